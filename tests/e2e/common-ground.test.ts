// Common ground in Chromium against the real server: the sort and its "why it ranks" line, the lane,
// a steelman its target confirms, "source requested" from a phone, and the minds-moved strip, all live.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNEY_GRACE_MS } from '../../shared/common-ground.js';
import { axe, blocking } from '../helpers/axe.js';
import { chromiumAvailable, launchChromium, newPerson, screenshotPath } from '../helpers/browser.js';
import { buildClient } from '../helpers/build-client.js';
import { connect, disconnectAll, ok, type TestSocket } from '../helpers/client.js';
import { becomeHost, LIVE } from '../helpers/e2e-room.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = chromiumAvailable();
const article = (page: Page, id: string) => page.locator(`#post-${id}`);
const topLevelIds = (page: Page) => page.locator('.thread > .thread-list > li > article').evaluateAll((els) => els.map((el) => el.getAttribute('data-post-id')!));
const STEELMAN = 'steelman-reply-1';

describe.skipIf(!run)('common ground in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let ahead = 0;
  let roomId = '';
  let hostToken = '';
  const people: Record<string, TestSocket> = {};
  let host: TestSocket;

  async function hostPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
    const { page } = await newPerson(browser, server.url, viewport);
    await becomeHost(page, roomId, hostToken);
    await page.goto(`/r/${roomId}`);
    await page.locator('article[data-post-id]').first().waitFor();
    return page;
  }

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startTestServer({ staticDir: dist, now: () => Date.now() + ahead });
    browser = await launchChromium();
    host = await connect(server.url);
    const created = await ok(host, 'room:create', { title: 'Cars in the city', motion: 'This house would ban cars from city centres' });
    roomId = created.roomId;
    hostToken = created.hostToken;
    await ok(host, 'room:join', { roomId, role: 'participant', name: 'Hana', token: hostToken });
    await ok(host, 'side:set', { side: 'for' });
    for (const [name, side] of [['Finn', 'for'], ['Faye', 'for'], ['Abe', 'against'], ['Ada', 'against']] as const) {
      people[name] = await connect(server.url);
      await ok(people[name], 'room:join', { roomId, role: 'participant', name });
      await ok(people[name], 'side:set', { side });
    }
    // Oldest first: the pile (For only), one nobody liked, a little from each side, a lot from each side.
    const bodies = { pile: 'Cars choke the old town.', none: 'Parking costs too much.', few: 'Deliveries need a plan.', bridge: 'Buses should go first.' };
    for (const [id, body] of Object.entries(bodies)) await ok(host, 'post:create', { id: `thread-${id}`, parentId: null, body });
    const like = (who: string, id: string) => ok(people[who], 'reaction:set', { postId: `thread-${id}`, emoji: '👍', on: true });
    for (const who of ['Finn', 'Faye']) await like(who, 'pile');
    for (const who of ['Finn', 'Abe']) await like(who, 'few');
    for (const who of ['Finn', 'Faye', 'Abe', 'Ada']) await like(who, 'bridge');
    await ok(host, 'mod:room', { action: 'settings', settings: { steelman: true } });
    await ok(people.Abe, 'post:create', {
      id: STEELMAN,
      parentId: 'thread-pile',
      body: 'Your point, as I understand it: traffic makes the old town unliveable.\n\nBut a ban moves it to the ring road.',
      stance: 'rebut',
    });
  }, 120_000);

  afterAll(async () => {
    disconnectAll();
    await browser?.close();
    await server?.close();
  });

  it('sorts by common ground with why each ranks, confirms a steelman, counts a phone’s source request, and shows minds moved live', async () => {
    const page = await hostPage();
    await page.locator('[data-sort="ground"]').click();
    // bridge 2/5 each → 0.40; few 1/4 each → 0.25; the pile (For only) and the unliked one score 0, newer first.
    await expect.poll(() => topLevelIds(page), LIVE).toEqual(['thread-bridge', 'thread-few', 'thread-none', 'thread-pile']);
    expect(await article(page, 'thread-bridge').locator('[data-why-ranks]').textContent()).toBe('liked by 2 For · 2 Against · 0 Undecided');
    expect(await article(page, 'thread-pile').locator('[data-why-ranks]').textContent()).toBe('liked by 2 For · 0 Against · 0 Undecided');
    const lane = page.locator('[data-ground-lane]');
    expect(await lane.locator('[data-ground-item]').allTextContents()).toEqual([
      expect.stringContaining('Buses should go first.'),
      expect.stringContaining('Deliveries need a plan.'),
    ]);
    expect(await lane.textContent()).toContain('Counts of this room’s declared participants');

    // Hana confirms Abe's restatement of her post: the reply is marked, and enters the lane (a steelman counts as one from each side).
    const reply = article(page, STEELMAN);
    await reply.getByRole('button', { name: 'Yes, that’s my view' }).click();
    await reply.locator('[data-steelmanned]').waitFor();
    await expect.poll(() => lane.locator('[data-ground-item]').count(), LIVE).toBe(3);

    // A phone viewer asks Hana for a source on the bridge; her page shows the marker live.
    const { page: phone } = await newPerson(browser, server.url, { width: 375, height: 800 });
    await phone.goto(`/r/${roomId}`);
    await phone.getByRole('button', { name: 'Just watch' }).click();
    await article(phone, 'thread-bridge').locator('[data-ask-source]').click();
    await article(phone, 'thread-bridge').locator('[data-source-requested]').waitFor();
    await expect.poll(() => article(page, 'thread-bridge').locator('[data-source-requested]').textContent(), LIVE).toBe('source requested (1)');

    // Faye moves to Against (past the minute that corrects a slip) and names Abe's steelman as the reply that did it.
    ahead += JOURNEY_GRACE_MS + 1_000;
    await ok(people.Faye, 'side:set', { side: 'against' });
    await ok(people.Faye, 'mind:changed', { postId: STEELMAN });
    const strip = page.locator('[data-minds-moved]');
    await strip.waitFor();
    expect(await strip.locator('[data-moved-flow]').textContent()).toBe('1 For → Against');
    // "→" is read as "to" (visually hidden).
    await expect.poll(async () => (await strip.locator('[data-move]').textContent())!.replace(/\s+/g, ' '), LIVE).toMatch(/^Faye For →to Against · .+ · after Abe’s “Your point, as I understand it: traffic makes/);
    await expect.poll(() => reply.locator('[data-minds-changed]').textContent(), LIVE).toContain('changed 1 mind');
    await expect.poll(() => phone.locator('[data-minds-moved] [data-move]').count(), LIVE).toBe(1);

    await page.waitForTimeout(200);
    await page.screenshot({ path: screenshotPath('common-ground-desktop.png'), fullPage: true });
    await phone.locator('[data-sort="ground"]').click();
    await phone.screenshot({ path: screenshotPath('common-ground-375.png'), fullPage: true });
    // The marks, the strip, the lane and the sort are clean for screen readers at both widths.
    expect(blocking(await axe(page))).toEqual([]);
    expect(blocking(await axe(phone))).toEqual([]);

    // Hana rebuts Abe through the composer, opening with the steelman the room offers; Abe confirms it.
    await reply.getByRole('button', { name: 'Reply', exact: true }).click();
    await page.getByRole('button', { name: /^Rebuts/ }).click();
    await page.getByRole('button', { name: /^Start with “Your point, as I understand it:”/ }).click();
    await page.keyboard.type('a ban only moves traffic.');
    const field = page.getByLabel('Reply to Abe');
    await field.press('End');
    await field.pressSequentially('\n\nThe ring road is built for it.');
    expect(await field.inputValue()).toBe('Your point, as I understand it: a ban only moves traffic.\n\nThe ring road is built for it.');
    await field.press('Control+Enter');
    await expect.poll(async () => (await server.store.load(roomId))!.postOrder.length, LIVE).toBe(6);
    const hanas = (await server.store.load(roomId))!.postOrder.at(-1)!;
    await ok(people.Abe, 'steelman:confirm', { postId: hanas });
    await article(page, hanas).locator('[data-steelmanned]').waitFor();

    // Hana answers the request by editing a link in: the marker ends on every page.
    await ok(host, 'post:edit', { postId: 'thread-bridge', body: 'Buses should go first: https://example.org/bus-priority' });
    await article(phone, 'thread-bridge').locator('[data-source-given]').waitFor();
    await expect.poll(() => article(page, 'thread-bridge').locator('[data-source-requested]').count(), LIVE).toBe(0);
  }, 90_000);
});
