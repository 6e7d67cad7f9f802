// Moderation in real Chromium against the real server: a host, a participant (Bea) and a viewer in
// three browser profiles. Every action must reach the others live, without a reload; a ban must end
// the banned person's session for good.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, newPerson, screenshotPath } from '../helpers/browser.js';
import { buildClient } from '../helpers/build-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = chromiumAvailable();
const LIVE = { timeout: 10_000, interval: 50 };

const postWith = (page: Page, text: string) => page.locator('article[data-post-id]', { hasText: text });
const notice = (page: Page, key: string) => page.locator(`[data-notice="${key}"]`);
const badge = (page: Page) => page.getByTestId('mod-badge');
const panel = (page: Page) => page.getByTestId('mod-panel');
const modLog = (page: Page) => page.getByTestId('mod-log');
/** The log as one line of text (the template's line breaks folded to spaces). */
const logText = async (page: Page) => ((await modLog(page).textContent()) ?? '').replace(/\s+/g, ' ');
const dialog = (page: Page, name: string | RegExp) => page.getByRole('dialog', { name });

/** The moderation menu on a post, or on a person in the participant list. */
async function choose(page: Page, menuButton: Locator, action: string) {
  await menuButton.click();
  await page.locator(`[data-action="${action}"]`).click();
}
const postMenu = (page: Page, text: string) => postWith(page, text).getByRole('button', { name: /^Moderate this post/ });
const memberMenu = (page: Page, name: string) => page.locator(`.presence li[data-member="${name}"]`).getByRole('button', { name: `Moderate ${name}` });

async function openPanel(page: Page, tab?: 'Queue' | 'Speakers' | 'Room') {
  if (!(await panel(page).isVisible())) {
    // By keyboard, as a moderator in a hurry would.
    await page.getByTestId('mod-toggle').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => panel(page).isVisible(), LIVE).toBe(true);
  }
  if (tab) await panel(page).getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
}

async function closePanel(page: Page) {
  await page.keyboard.press('Escape');
  await expect.poll(() => panel(page).count(), LIVE).toBe(0);
}

async function post(page: Page, text: string) {
  await page.getByLabel('Add to the debate').fill(text);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect.poll(() => page.locator('article[data-post-id]:not([data-pending])', { hasText: text }).count(), LIVE).toBe(1);
}

describe.skipIf(!run)('moderation in three browsers', () => {
  let server: TestServer;
  let browser: Browser;
  let host: { context: BrowserContext; page: Page };
  let bea: { context: BrowserContext; page: Page };
  let viewer: { context: BrowserContext; page: Page };
  let roomUrl = '';
  const errors: string[] = [];

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startTestServer({ staticDir: dist });
    browser = await launchChromium();
    host = await newPerson(browser, server.url);
    bea = await newPerson(browser, server.url);
    viewer = await newPerson(browser, server.url);
    for (const p of [host, bea, viewer]) p.page.on('pageerror', (e) => errors.push(e.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sets up: a host with a post, a participant with two, a viewer', async () => {
    const { page } = host;
    await page.goto('/');
    await page.getByLabel('Room title').fill('Cars out of the centre?');
    await page.getByLabel(/Motion/).fill('This house would ban private cars from city centres.');
    await page.getByRole('button', { name: 'Open the room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    roomUrl = page.url();
    await page.getByLabel('Display name').fill('Ada');
    await page.getByRole('button', { name: 'Take part' }).click();
    await post(page, 'Cars in centres cost lives and space.');

    await bea.page.goto(roomUrl);
    await bea.page.getByLabel('Display name').fill('Bea');
    await bea.page.getByRole('button', { name: 'Take part' }).click();
    await post(bea.page, 'Ada is a clown and a liar.');
    await post(bea.page, 'Buses need the road space too.');

    await viewer.page.goto(roomUrl);
    await viewer.page.getByRole('button', { name: 'Just watch' }).click();
    await expect.poll(() => postWith(viewer.page, 'Buses need').count(), LIVE).toBe(1);
    // Only hosts and moderators get the moderation view.
    expect(await bea.page.getByTestId('mod-toggle').count()).toBe(0);
    expect(await viewer.page.getByTestId('mod-toggle').count()).toBe(0);
    expect(await badge(page).count()).toBe(0);
  }, 60_000);

  it('reports from a viewer and a participant reach the host’s queue live; dismissing clears one', async () => {
    const v = viewer.page;
    await postWith(v, 'Ada is a clown').getByRole('button', { name: 'Report' }).click();
    const report = dialog(v, 'Report this post');
    await report.getByRole('button', { name: 'Send report' }).click();
    await expect.poll(() => report.getByRole('alert').textContent()).toMatch(/Give a reason/); // a reason is required
    await report.getByRole('button', { name: 'Personal attack' }).click();
    await report.getByRole('button', { name: 'Send report' }).click();
    await expect.poll(() => postWith(v, 'Ada is a clown').getByRole('button', { name: 'Reported' }).count(), LIVE).toBe(1);
    await expect.poll(() => badge(host.page).textContent(), LIVE).toBe('1');

    const b = bea.page;
    await postWith(b, 'Cars in centres').getByRole('button', { name: 'Report' }).click();
    const second = dialog(b, 'Report this post');
    await second.getByLabel(/Reason/).fill('Not an argument, just a slogan');
    await second.getByRole('button', { name: 'Send report' }).click();
    await expect.poll(() => badge(host.page).textContent(), LIVE).toBe('2');

    const h = host.page;
    await openPanel(h);
    const attack = panel(h).locator('[data-queue-post]', { hasText: 'Ada is a clown' });
    await expect.poll(() => attack.textContent(), LIVE).toMatch(/1 report.*post by Bea/s);
    expect(await attack.textContent()).toContain('Personal attack');
    const slogan = panel(h).locator('[data-queue-post]', { hasText: 'Cars in centres' });
    expect(await slogan.textContent()).toContain('Not an argument, just a slogan');
    await slogan.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => badge(h).textContent(), LIVE).toBe('1');
    await expect.poll(() => slogan.count(), LIVE).toBe(0);
    await h.screenshot({ path: screenshotPath('moderation-panel-1280.png') });
    await closePanel(h);
    expect(await h.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('mod-toggle');
    await expect.poll(() => logText(v), LIVE).toMatch(/Ada dismissed the reports on a post by Ada/);
  }, 30_000);

  it('slow mode: the participant sees the banner and their own countdown, and can post again when it ends', async () => {
    const h = host.page;
    const b = bea.page;
    await openPanel(h, 'Room');
    await panel(h).getByText('10 s', { exact: true }).click();
    await expect.poll(() => notice(b, 'slow').textContent(), LIVE).toMatch(/Slow mode is on: one post every 10 s/);
    await closePanel(h);

    // Bea posted a moment ago: her wait may still be running; posting works once it is over.
    await expect.poll(() => notice(b, 'slow').textContent(), { timeout: 15_000, interval: 100 }).not.toContain('You can post again');
    await post(b, 'One more thought on buses.');
    await expect.poll(() => notice(b, 'slow').textContent(), LIVE).toMatch(/You can post again in (10|9|8) s\./);
    const first = Number((await notice(b, 'slow').textContent())!.match(/again in (\d+) s/)![1]);
    await expect.poll(async () => Number((await notice(b, 'slow').textContent())!.match(/again in (\d+) s/)?.[1] ?? 0), LIVE).toBeLessThan(first);
    // The composer stays, so the next point can be drafted; it is not sent before the wait is over.
    await b.getByLabel('Add to the debate').fill('And trams, too.');
    await b.getByRole('button', { name: 'Post', exact: true }).click();
    await expect.poll(() => b.locator('.composer').getByRole('alert').textContent(), LIVE).toMatch(/Slow mode is on: your draft is kept/);
    expect(await b.getByLabel('Add to the debate').inputValue()).toBe('And trams, too.');
    await b.screenshot({ path: screenshotPath('moderation-slow-mode-participant-1280.png') });
    await expect.poll(() => notice(b, 'slow').textContent(), { timeout: 15_000, interval: 100 }).not.toContain('You can post again');
    await b.getByRole('button', { name: 'Post', exact: true }).click();
    await expect.poll(() => postWith(viewer.page, 'And trams, too.').count(), LIVE).toBe(1);

    await openPanel(h, 'Room');
    await panel(h).getByText('Off', { exact: true }).click();
    await closePanel(h);
    await expect.poll(() => notice(b, 'slow').count(), LIVE).toBe(0);
    await expect.poll(() => logText(viewer.page), LIVE).toMatch(/Ada changed the room settings \(slow mode off\)/);
  }, 60_000);

  it('a muted participant sees until when (their local time) and why; unmuting gives the composer back', async () => {
    const h = host.page;
    const b = bea.page;
    await choose(h, memberMenu(h, 'Bea'), 'mute');
    const mute = dialog(h, 'Mute Bea');
    await mute.getByText('5 min', { exact: true }).click();
    await mute.getByRole('button', { name: 'Cool off' }).click();
    await mute.getByRole('button', { name: 'Mute', exact: true }).click();
    await expect.poll(() => mute.count(), LIVE).toBe(0);

    await expect.poll(() => notice(b, 'muted').textContent(), LIVE).toMatch(/You are muted until \d\d:\d\d \(Cool off\)\./);
    const shown = (await notice(b, 'muted').textContent())!.match(/until (\d\d:\d\d)/)![1];
    const expected = await b.evaluate(() => {
      const at = new Date(Date.now() + 5 * 60_000);
      return [at, new Date(at.getTime() - 60_000)].map((d) => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`);
    });
    expect(expected).toContain(shown);
    expect(await b.getByLabel('Add to the debate').count()).toBe(0);
    expect(await postWith(b, 'Cars in centres').getByRole('group', { name: 'React to this post' }).count()).toBe(0);
    await expect.poll(() => viewer.page.locator('.presence li[data-member="Bea"]').textContent(), LIVE).toContain('muted');
    await expect.poll(() => logText(viewer.page), LIVE).toMatch(/Ada muted Bea \(until \d\d:\d\d\)/);
    await b.screenshot({ path: screenshotPath('moderation-muted-participant-1280.png') });

    await choose(h, memberMenu(h, 'Bea'), 'unmute');
    await expect.poll(() => notice(b, 'muted').count(), LIVE).toBe(0);
    await expect.poll(() => b.getByLabel('Add to the debate').count(), LIVE).toBe(1);
  }, 30_000);

  it('pins and locks: the pinned post comes first for everyone, and a locked one takes no replies', async () => {
    const h = host.page;
    const v = viewer.page;
    const b = bea.page;
    // By keyboard: Enter opens the menu on its first action, arrows move, Escape closes it back onto its button.
    const menu = postMenu(h, 'Buses need');
    const focused = (attribute: string) => h.evaluate((name) => document.activeElement?.getAttribute(name), attribute);
    await menu.focus();
    await h.keyboard.press('Enter');
    await expect.poll(() => focused('data-action'), LIVE).toBe('remove');
    await h.keyboard.press('ArrowDown');
    expect(await focused('data-action')).toBe('pin');
    await h.keyboard.press('Escape');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await focused('aria-label')).toBe('Moderate this post by Bea');

    await choose(h, postMenu(h, 'Buses need'), 'pin');
    await expect.poll(() => v.locator('article[data-post-id]').first().textContent(), LIVE).toContain('Buses need the road space');
    expect(await postWith(v, 'Buses need').locator('[data-mark="pinned"]').textContent()).toContain('Pinned');

    expect(await postWith(b, 'Buses need').getByRole('button', { name: 'Reply', exact: true }).count()).toBe(1);
    await choose(h, postMenu(h, 'Buses need'), 'lock');
    const lock = dialog(h, 'Lock replies beneath this post'); // asked first, naming the post
    expect(await lock.locator('[data-dialog-subject]').textContent()).toBe('“Buses need the road space too.” by Bea');
    await lock.getByRole('button', { name: 'Lock replies' }).click();
    await expect.poll(() => postWith(b, 'Buses need').locator('[data-mark="locked"]').count(), LIVE).toBe(1);
    expect(await postWith(b, 'Buses need').getByRole('button', { name: 'Reply', exact: true }).count()).toBe(0);
    await expect.poll(() => logText(v), LIVE).toMatch(/Ada locked the replies under a post by Bea/);
  }, 30_000);

  it('a promotion takes effect without a reload, and so does the demotion', async () => {
    const h = host.page;
    const b = bea.page;
    await choose(h, memberMenu(h, 'Bea'), 'promote');
    await expect.poll(() => b.getByTestId('mod-toggle').count(), LIVE).toBe(1);
    // The new snapshot carries what moderators read: the reasons in the queue.
    await openPanel(b);
    await expect.poll(() => panel(b).locator('[data-queue-post]').textContent(), LIVE).toContain('Personal attack');
    await closePanel(b);
    await choose(h, memberMenu(h, 'Bea'), 'demote');
    await expect.poll(() => b.getByTestId('mod-toggle').count(), LIVE).toBe(0);
    expect(await postWith(b, 'Ada is a clown').getByRole('button', { name: /^Moderate/ }).count()).toBe(0);
  }, 30_000);

  it('approved speakers only: the participant raises a hand, the host lets them speak from the drawer', async () => {
    const h = host.page;
    const b = bea.page;
    await openPanel(h, 'Room');
    await panel(h).getByLabel('Approved speakers only (others raise a hand)').check();
    await closePanel(h);
    await expect.poll(() => notice(b, 'speakers').textContent(), LIVE).toMatch(/Approved speakers only\. Raise your hand to ask to speak\./);
    expect(await b.getByLabel('Add to the debate').count()).toBe(0);
    await notice(b, 'speakers').getByRole('button', { name: 'Raise hand' }).click();
    await expect.poll(() => notice(b, 'speakers').textContent(), LIVE).toContain('Your hand is raised');
    await expect.poll(() => badge(h).textContent(), LIVE).toBe('2'); // the open report, and the hand

    await openPanel(h, 'Speakers');
    await panel(h).locator('[data-hand="Bea"]').getByRole('button', { name: 'Let speak' }).click();
    await expect.poll(() => panel(h).locator('[data-speaker="Bea"]').count(), LIVE).toBe(1);
    await expect.poll(() => b.getByLabel('Add to the debate').count(), LIVE).toBe(1);
    expect(await notice(b, 'speakers').textContent()).toContain('You are an approved speaker');
    await panel(h).getByRole('tab', { name: /^Room/ }).click();
    await panel(h).getByLabel('Everyone in the room').check();
    await closePanel(h);
    await expect.poll(() => notice(b, 'speakers').count(), LIVE).toBe(0);
  }, 30_000);

  it('blocked terms: a held post waits in the queue with its term until the host approves it', async () => {
    const h = host.page;
    const b = bea.page;
    const v = viewer.page;
    await openPanel(h, 'Room');
    await panel(h).getByLabel('Add a term').fill('tankie');
    await panel(h).getByRole('button', { name: 'Add', exact: true }).click();
    await panel(h).getByLabel('Add a term').fill('idiot');
    await panel(h).getByLabel('When it appears').selectOption('reject');
    await panel(h).getByRole('button', { name: 'Add', exact: true }).click();
    // Saved as added, nothing to lose by closing the drawer.
    await expect.poll(() => panel(h).locator('[data-terms-status]').textContent(), LIVE).toBe('Saved: posts with “idiot” are rejected.');
    await closePanel(h);

    await b.getByLabel('Add to the debate').fill('What an 1D10T idea.');
    await b.getByRole('button', { name: 'Post', exact: true }).click();
    // Refused: the text comes back into the composer, the refused word marked, to rephrase.
    await expect.poll(() => b.locator('[data-refused]').textContent(), LIVE).toContain('This room does not allow “idiot”');
    expect(await b.getByLabel('Add to the debate').inputValue()).toBe('What an 1D10T idea.');
    expect(await b.locator('[data-refused] mark').textContent()).toBe('1D10T');
    expect(await b.locator('[data-pending]').count()).toBe(0);
    await b.getByLabel('Add to the debate').fill('Spoken like a true T@NKIE.');
    await b.getByRole('button', { name: 'Post', exact: true }).click();
    await expect.poll(() => b.locator('[data-pending="held"]').count(), LIVE).toBe(1);

    await openPanel(h, 'Queue');
    const held = panel(h).locator('[data-queue-held]');
    await expect.poll(() => held.textContent(), LIVE).toMatch(/matched “tankie”.*post by Bea.*Spoken like a true T@NKIE\./s);
    expect(await postWith(v, 'Spoken like').count()).toBe(0);
    await h.setViewportSize({ width: 375, height: 812 });
    await h.screenshot({ path: screenshotPath('moderation-panel-queue-375.png') });
    expect(await h.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await h.setViewportSize({ width: 1280, height: 900 });
    await held.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => held.count(), LIVE).toBe(0);
    await closePanel(h);
    await expect.poll(() => postWith(v, 'Spoken like a true T@NKIE.').count(), LIVE).toBe(1);
    await expect.poll(() => b.locator('[data-pending]').count(), LIVE).toBe(0);
  }, 30_000);

  it('locking the room makes it read-only for participants until it is unlocked', async () => {
    const h = host.page;
    const b = bea.page;
    await openPanel(h, 'Room');
    await panel(h).getByLabel(/Reason \(optional, shown to everyone\)/).fill('Five minute break');
    await panel(h).getByRole('button', { name: 'Lock the room' }).click();
    await expect.poll(() => notice(viewer.page, 'locked').textContent(), LIVE).toMatch(/The room is locked\. Five minute break\. It is read-only for now\./);
    await expect.poll(() => b.getByLabel('Add to the debate').count(), LIVE).toBe(0);
    expect(await h.getByLabel('Add to the debate').count()).toBe(1); // moderators may still post
    await panel(h).getByRole('button', { name: 'Unlock the room' }).click();
    await closePanel(h);
    await expect.poll(() => notice(b, 'locked').count(), LIVE).toBe(0);
    await expect.poll(() => b.getByLabel('Add to the debate').count(), LIVE).toBe(1);
  }, 30_000);

  it('the host removes a post with a reason and bans its author with their posts; everyone sees it live', async () => {
    const h = host.page;
    const v = viewer.page;
    const b = bea.page;
    await postMenu(h, 'Ada is a clown').click();
    await h.screenshot({ path: screenshotPath('moderation-post-menu-1280.png') });
    await h.locator('[data-action="remove"]').click();
    const remove = dialog(h, 'Remove Bea’s post');
    expect(await remove.locator('[data-dialog-subject]').textContent()).toBe('“Ada is a clown and a liar.” by Bea');
    await remove.getByRole('button', { name: 'Personal attack' }).click();
    await h.screenshot({ path: screenshotPath('moderation-remove-dialog-1280.png') });
    await remove.getByRole('button', { name: 'Remove post' }).click();
    // The menu it came from went with the post's body: focus lands on the tombstone's own menu.
    await expect.poll(() => h.evaluate(() => document.activeElement?.closest('article')?.textContent ?? ''), LIVE).toContain('Removed by a moderator: Personal attack');

    // The viewer's page, without a reload: the tombstone in the same place, and the log entry.
    const tomb = v.locator('article[data-post-id]', { hasText: 'Removed by a moderator: Personal attack' });
    await expect.poll(() => tomb.count(), LIVE).toBe(1);
    expect(await v.getByText('Ada is a clown').count()).toBe(0);
    await expect.poll(() => logText(v), LIVE).toMatch(/Ada removed a post by Bea.*“Personal attack”/s);
    await expect.poll(() => badge(h).count(), LIVE).toBe(0); // removing a post settles its reports

    // The host still reads it, folded away.
    const removed = postWith(h, 'Removed by a moderator: Personal attack');
    await removed.getByRole('button', { name: 'Show removed text' }).click();
    expect(await removed.textContent()).toContain('Ada is a clown and a liar.');

    let sockets = 0;
    b.on('websocket', () => sockets++);
    await choose(h, postMenu(h, 'Buses need'), 'ban');
    const ban = dialog(h, 'Ban Bea');
    await ban.getByRole('button', { name: 'Harassment' }).click();
    await ban.getByLabel('Also remove all their posts').check();
    await ban.getByRole('button', { name: 'Ban Bea' }).click();

    await expect.poll(() => b.getByTestId('banned').textContent(), LIVE).toBe('You were banned from this room: Harassment');
    await expect.poll(() => v.locator('article[data-post-id]', { hasText: 'Removed by a moderator: Harassment' }).count(), LIVE).toBe(4);
    expect(await v.getByText('Buses need the road space').count()).toBe(0);
    await expect.poll(() => logText(v), LIVE).toMatch(/Ada banned Bea \(and removed their posts\).*“Harassment”/s);
    await expect.poll(() => v.locator('.presence li[data-member="Bea"]').textContent(), LIVE).toContain('banned');
    // No reconnect loop: the closed session stays closed; one new socket only watches, nameless, for an unban.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(sockets).toBe(1);
    await b.screenshot({ path: screenshotPath('moderation-banned-1280.png') });
  }, 30_000);

  it('the banned person cannot get back in: a later visit says the same, with no way to join', async () => {
    const b = bea.page;
    await b.reload();
    await expect.poll(() => b.getByTestId('banned').textContent(), LIVE).toBe('You were banned from this room: Harassment');
    expect(await b.getByLabel('Display name').count()).toBe(0);
    expect(await b.locator('article[data-post-id]').count()).toBe(0);
    // A fresh browser profile with the same token is refused by the server in the same words.
    const token = await b.evaluate((id) => JSON.parse(localStorage.getItem(`debate:room:${id}`)!).token as string, roomUrl.split('/r/')[1]);
    const other = await newPerson(browser, server.url);
    await other.page.addInitScript(
      ([id, t]) => localStorage.setItem(`debate:room:${id}`, JSON.stringify({ token: t, role: 'participant' })),
      [roomUrl.split('/r/')[1], token],
    );
    await other.page.goto(roomUrl);
    await expect.poll(() => other.page.getByTestId('banned').textContent(), LIVE).toBe('You were banned from this room.');
    await other.context.close();
  }, 30_000);

  it('screenshots of the moderation panel and the room at 1280 and 375 px, light and dark', async () => {
    const h = host.page;
    const v = viewer.page;
    await openPanel(h, 'Room');
    await h.screenshot({ path: screenshotPath('moderation-panel-room-1280.png') });
    await closePanel(h);
    await v.screenshot({ path: screenshotPath('moderation-room-viewer-1280.png'), fullPage: true });
    await h.screenshot({ path: screenshotPath('moderation-room-host-1280.png'), fullPage: true });
    await v.emulateMedia({ colorScheme: 'dark' });
    await v.screenshot({ path: screenshotPath('moderation-room-viewer-1280-dark.png'), fullPage: true });
    await v.emulateMedia({ colorScheme: 'light' });

    for (const page of [h, v]) await page.setViewportSize({ width: 375, height: 812 });
    await v.screenshot({ path: screenshotPath('moderation-room-viewer-375.png'), fullPage: true });
    await h.screenshot({ path: screenshotPath('moderation-room-host-375.png'), fullPage: true });
    await openPanel(h, 'Queue');
    await h.screenshot({ path: screenshotPath('moderation-panel-375.png') });
    await panel(h).getByRole('tab', { name: /^Room/ }).click();
    await h.emulateMedia({ colorScheme: 'dark' });
    await h.screenshot({ path: screenshotPath('moderation-panel-room-375-dark.png') });
    await h.emulateMedia({ colorScheme: 'light' });
    await closePanel(h);
    for (const page of [h, v]) {
      // Nothing may overflow sideways on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    }
  }, 30_000);
  it('the host closes the room (after a confirmation): archived and read-only for everyone', async () => {
    const h = host.page;
    await openPanel(h, 'Room');
    await panel(h).getByRole('button', { name: 'Close the room…' }).click();
    expect(await h.evaluate(() => document.activeElement?.id)).toBe('close-reason');
    await panel(h).getByRole('button', { name: 'Keep it open' }).click();
    expect(await h.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Close the room…');
    await panel(h).getByRole('button', { name: 'Close the room…' }).click();
    await panel(h).getByLabel(/Closing words/).fill('Thank you all');
    await panel(h).getByRole('button', { name: 'Close the room for good' }).click();
    await expect.poll(() => notice(viewer.page, 'closed').textContent(), LIVE).toMatch(/This room is closed\. Thank you all\. It is archived/);
    // The viewer can hear of it before the host's own answer is in; until then the confirmation (which
    // takes Escape for "keep it open") is still on the host's page.
    await expect.poll(() => panel(h).getByRole('button', { name: 'Close the room for good' }).count(), LIVE).toBe(0);
    await closePanel(h);
    expect(await h.getByLabel('Add to the debate').count()).toBe(0);
    expect(await postWith(viewer.page, 'Cars in centres').getByRole('button', { name: 'Report' }).count()).toBe(0);
    await viewer.page.screenshot({ path: screenshotPath('moderation-room-closed-viewer-375.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 30_000);

});
