// Moderation in depth in real Chromium: the host (Hana) warns, notes and mutes Bea; Bea appeals; another
// moderator (Mo, on a phone) sees "Hana is reviewing" and accepts; Rae, who reported Bea's post, is told.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, newPerson, screenshotPath } from '../helpers/browser.js';
import { buildClient } from '../helpers/build-client.js';
import { ok } from '../helpers/client.js';
import { becomeHost, LIVE, seedRoom, takePart, type SeededRoom } from '../helpers/e2e-room.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = chromiumAvailable();
const PHONE = { width: 375, height: 800 };
const NOTE = 'Same jab as last week, under another name';
const postWith = (page: Page, text: string) => page.locator('article[data-post-id]', { hasText: text });
const notice = (page: Page, key: string) => page.locator(`[data-notice="${key}"]`);
const panel = (page: Page) => page.getByTestId('mod-panel');
const dialog = (page: Page, name: string | RegExp) => page.getByRole('dialog', { name });

async function choose(page: Page, text: string, action: string) {
  await postWith(page, text).getByRole('button', { name: /^Moderate this post/ }).click();
  await page.locator(`[data-action="${action}"]`).click();
}

describe.skipIf(!run)('warn, note, mute, appeal, accept, tell the reporter', () => {
  let server: TestServer;
  let browser: Browser;
  let room: SeededRoom;
  const people: Record<'hana' | 'bea' | 'rae' | 'mo', { context: BrowserContext; page: Page }> = {} as never;
  const errors: string[] = [];

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startTestServer({ staticDir: dist });
    browser = await launchChromium();
    room = await seedRoom(server.url, { threads: 1 });
    people.hana = await newPerson(browser, server.url);
    people.bea = await newPerson(browser, server.url);
    people.rae = await newPerson(browser, server.url, PHONE);
    people.mo = await newPerson(browser, server.url, PHONE);
    for (const p of Object.values(people)) p.page.on('pageerror', (e) => errors.push(e.message));
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('goes from a report to an accepted appeal, each person seeing their part', async () => {
    const { hana, bea, rae, mo } = people;
    await becomeHost(hana.page, room.roomId, room.hostToken);
    await hana.page.goto(room.url);
    for (const [p, name] of [[bea, 'Bea'], [rae, 'Rae'], [mo, 'Mo']] as const) {
      await p.page.goto(room.url);
      await takePart(p.page, name);
    }
    // Mo becomes a moderator (their page refreshes into the moderators' view).
    const moId = room.host.received.find((e) => e.type === 'member.joined' && e.name === 'Mo')!.actorId;
    await ok(room.host, 'mod:member', { action: 'promote', memberId: moId });
    await expect.poll(() => mo.page.getByTestId('mod-toggle').count(), LIVE).toBe(1);

    // Bea posts; Rae reports it.
    await bea.page.getByLabel('Add to the debate').fill('Hana is a clown and a liar.');
    await bea.page.getByRole('button', { name: 'Post', exact: true }).click();
    await expect.poll(() => postWith(rae.page, 'Hana is a clown').count(), LIVE).toBe(1);
    await postWith(rae.page, 'Hana is a clown').getByRole('button', { name: 'Report' }).click();
    await dialog(rae.page, 'Report this post').getByRole('button', { name: 'Personal attack' }).click();
    await dialog(rae.page, 'Report this post').getByRole('button', { name: 'Send report' }).click();

    // The host warns, notes, removes and mutes, from the post's menu.
    const h = hana.page;
    await expect.poll(() => postWith(h, 'Hana is a clown').count(), LIVE).toBe(1);
    await choose(h, 'Hana is a clown', 'warn');
    await dialog(h, 'Warn Bea').getByRole('button', { name: 'Personal attacks' }).click();
    await dialog(h, 'Warn Bea').getByRole('button', { name: 'Warn', exact: true }).click();
    await choose(h, 'Hana is a clown', 'note');
    await dialog(h, 'A note on Bea').getByLabel(/Note/).fill(NOTE);
    await dialog(h, 'A note on Bea').getByRole('button', { name: 'Save note' }).click();
    await choose(h, 'Hana is a clown', 'remove');
    await dialog(h, /Remove Bea/).getByRole('button', { name: 'Personal attack' }).click();
    await dialog(h, /Remove Bea/).getByRole('button', { name: 'Remove post' }).click();
    await choose(h, 'Removed by a moderator', 'mute');
    await dialog(h, 'Mute Bea').getByRole('button', { name: 'Cool off' }).click();
    await dialog(h, 'Mute Bea').getByRole('button', { name: 'Mute', exact: true }).click();

    // Bea: the warning, her own removed text in place, the mute; she appeals.
    const b = bea.page;
    await expect.poll(() => notice(b, 'warning').textContent(), LIVE).toMatch(/A moderator warned you: Personal attacks/);
    await expect.poll(() => b.getByTestId('own-removed').count(), LIVE).toBe(1);
    await b.getByRole('button', { name: 'Show what you wrote' }).click();
    expect(await b.getByTestId('own-removed').textContent()).toContain('Hana is a clown and a liar.');
    await expect.poll(() => notice(b, 'muted').count(), LIVE).toBe(1);
    await b.getByRole('button', { name: 'Appeal this mute…' }).click();
    await b.getByLabel(/Why should the mute be lifted/).fill('I was angry; I take it back.');
    await b.getByRole('button', { name: 'Send appeal' }).click();
    await expect.poll(() => notice(b, 'appeal-status').textContent(), LIVE).toMatch(/Your appeal is with the moderators/);
    await b.screenshot({ path: screenshotPath('conduct-member-appealed-1280.png') });

    // Rae is told, and sees neither the text nor the note.
    const r = rae.page;
    await expect.poll(() => notice(r, 'report').textContent(), LIVE).toMatch(/Your report on Bea’s post was acted on: Personal attack/);
    expect(await r.content()).not.toContain(NOTE);
    expect(await r.content()).not.toContain('Hana is a clown and a liar.');
    await notice(r, 'report').scrollIntoViewIfNeeded();
    await r.screenshot({ path: screenshotPath('conduct-reporter-told-375.png') });

    // The host opens the appeal; Mo, on a phone, sees that and the note, and accepts.
    await h.getByTestId('mod-toggle').click();
    const hanaAppeal = panel(h).locator('[data-queue-appeal]');
    await expect.poll(() => hanaAppeal.count(), LIVE).toBe(1);
    await hanaAppeal.focus();
    await mo.page.getByTestId('mod-toggle').click();
    const moAppeal = panel(mo.page).locator('[data-queue-appeal]');
    await expect.poll(() => moAppeal.textContent(), LIVE).toMatch(/Bea appeals their mute \(Cool off\)/);
    await expect.poll(() => moAppeal.getByTestId('reviewing').textContent(), LIVE).toBe('Hana is reviewing');
    expect(await moAppeal.getByTestId('notes-hint').textContent()).toContain(NOTE);
    await mo.page.screenshot({ path: screenshotPath('conduct-moderator-queue-375.png') });
    await h.screenshot({ path: screenshotPath('conduct-host-queue-1280.png') });
    // By keyboard: y on the focused item opens "accept".
    await moAppeal.focus();
    await mo.page.keyboard.press('y');
    await dialog(mo.page, 'Lift Bea’s mute').getByLabel(/Reason/).fill('Fair enough; welcome back');
    await dialog(mo.page, 'Lift Bea’s mute').getByRole('button', { name: 'Accept and lift' }).click();
    await expect.poll(() => moAppeal.count(), LIVE).toBe(0);

    // Bea is unmuted and told; the public mod log has the warning and the appeal, never the note.
    await expect.poll(() => notice(b, 'muted').count(), LIVE).toBe(0);
    await expect.poll(() => notice(b, 'appeal-status').textContent(), LIVE).toMatch(/Your appeal was accepted/);
    await b.setViewportSize(PHONE);
    await b.screenshot({ path: screenshotPath('conduct-member-accepted-375.png') });
    const log = (await r.getByTestId('mod-log').first().textContent().catch(() => '')) ?? '';
    if (log) expect(log.replace(/\s+/g, ' ')).toMatch(/Mo accepted the appeal of Bea/);
    expect(await r.content()).not.toContain(NOTE);

    // The record panel on the host's side shows it all.
    await h.keyboard.press('Escape');
    await choose(h, 'Removed by a moderator', 'record');
    const record = h.getByTestId('member-record');
    await expect.poll(() => record.textContent(), LIVE).toContain(NOTE);
    const text = (await record.textContent())!.replace(/\s+/g, ' ');
    expect(text).toMatch(/warned Bea/);
    expect(text).toMatch(/accepted the appeal of Bea/);
    await h.screenshot({ path: screenshotPath('conduct-record-1280.png') });
    expect(errors).toEqual([]);
  }, 120_000);

  it('a new member’s held first post: its author reads it and why it waits, in place; others see nothing of it', async () => {
    await ok(room.host, 'mod:guard', { newMemberHeldPosts: 1 });
    const kit = await newPerson(browser, server.url, PHONE);
    kit.page.on('pageerror', (e) => errors.push(e.message));
    try {
      await kit.page.goto(room.url);
      await takePart(kit.page, 'Kit');
      await kit.page.getByLabel('Add to the debate').fill('My very first words in this room.');
      await kit.page.getByRole('button', { name: 'Post', exact: true }).click();
      const mine = postWith(kit.page, 'My very first words in this room.');
      await expect.poll(() => mine.getByTestId('own-held').textContent(), LIVE).toMatch(/Held for review: a new member’s first posts wait for a moderator here\./);
      await kit.page.screenshot({ path: screenshotPath('conduct-own-held-375.png') });
      expect(await people.rae.page.content()).not.toContain('My very first words');
      expect(errors).toEqual([]);
    } finally {
      await ok(room.host, 'mod:guard', { newMemberHeldPosts: 0 });
      await kit.context.close();
    }
  }, 60_000);
});
