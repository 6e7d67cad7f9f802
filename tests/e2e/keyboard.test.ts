// The room by keyboard and screen reader, in Chromium: skip links, one Tab stop per post with the
// arrow keys inside it, focus that never falls to the page body, one polite live region, replies
// and toggles that say whom they belong to, and permalinks that are real links.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, newPerson } from '../helpers/browser.js';
import { buildClient } from '../helpers/build-client.js';
import { connect, disconnectAll, ok } from '../helpers/client.js';
import { becomeHost, focused, LIVE, seedRoom, takePart, type SeededRoom } from '../helpers/e2e-room.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = chromiumAvailable();
const article = (page: Page, id: string) => page.locator(`#post-${id}`);
const inSidePicker = (page: Page) => page.evaluate(() => !!document.activeElement?.closest('[aria-labelledby="side-picker-heading"]'));

/** A fresh load, so Tab starts from the top of the page, as it does for someone arriving. */
async function fromTheTop(page: Page): Promise<void> {
  await page.reload();
  await page.locator('article[data-post-id]').nth(17).waitFor();
  await page.locator('#side-picker-heading').waitFor();
}

/** Tab from the top of the page until `reached` holds; the number of presses (or Infinity). */
async function tabsUntil(page: Page, reached: () => Promise<boolean>, max = 400): Promise<number> {
  await fromTheTop(page);
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab');
    if (await reached()) return presses;
  }
  return Infinity;
}

describe.skipIf(!run)('the room by keyboard and screen reader', () => {
  let server: TestServer;
  let browser: Browser;
  let seeded: SeededRoom;
  let bea: Page;
  /** The server's clock runs this far behind the real one, so that a one-minute countdown can end now. */
  let skew = 0;

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startTestServer({ staticDir: dist, now: () => Date.now() - skew });
    browser = await launchChromium();
    // 18 posts: six threads of a post and two replies.
    seeded = await seedRoom(server.url, { threads: 6, replies: 2 });
    ({ page: bea } = await newPerson(browser, server.url));
    await bea.goto(seeded.url);
    await takePart(bea, 'Bea');
    await bea.locator('article[data-post-id]').nth(17).waitFor();
  }, 60_000);

  afterAll(async () => {
    disconnectAll();
    await browser?.close();
    await server?.close();
  });

  it('reaches "Your side" in an 18-post room in a few Tab presses, and at once by the skip link', async () => {
    const presses = await tabsUntil(bea, () => inSidePicker(bea));
    console.log(`Tab presses from the top of the page to "Your side" in an 18-post room: ${presses}`);
    expect(presses).toBeLessThanOrEqual(45);

    // The skip links are the first stops: the side panel is three presses and Enter away.
    await fromTheTop(bea);
    await bea.keyboard.press('Tab');
    expect(await focused(bea)).toBe('A Skip to the composer');
    await bea.keyboard.press('Tab');
    expect(await focused(bea)).toBe('A Skip to the thread');
    await bea.keyboard.press('Tab');
    expect(await focused(bea)).toBe('A Skip to the side panel');
    await bea.keyboard.press('Enter');
    await bea.keyboard.press('Tab');
    expect(await inSidePicker(bea)).toBe(true);
    console.log('With the skip link: 3 Tab presses, Enter, 1 Tab press');

    await fromTheTop(bea);
    await bea.keyboard.press('Tab');
    await bea.keyboard.press('Enter');
    expect(await bea.evaluate(() => document.activeElement?.getAttribute('placeholder'))).toBe('Make your point…');
  }, 60_000);

  it('one Tab stop per post, arrow keys inside it (reactions included)', async () => {
    const first = article(bea, 'post-t0-root');
    await first.locator('[data-permalink-time]').focus();
    expect(await first.locator('[tabindex="0"]').count()).toBe(1);
    const stops: string[] = [];
    for (let i = 0; i < 12; i++) {
      stops.push(await focused(bea));
      await bea.keyboard.press('ArrowRight');
    }
    expect(stops).toEqual(expect.arrayContaining(['BUTTON Thumbs up, 0', 'BUTTON Fire, 0', 'BUTTON Reply', 'BUTTON Quote', 'BUTTON Report']));
    // Every arrow stayed inside this post.
    expect(await bea.evaluate(() => document.activeElement?.closest('article')?.id)).toBe('post-post-t0-root');
    await bea.keyboard.press('End');
    await bea.keyboard.press('Home');
    expect(await bea.evaluate(() => document.activeElement?.hasAttribute('data-permalink-time'))).toBe(true);
    // The control last used is where Tab comes back to; Tab leaves the post at once.
    await bea.keyboard.press('ArrowRight');
    const remembered = await focused(bea);
    await bea.keyboard.press('Tab');
    expect(await bea.evaluate(() => document.activeElement?.closest('article')?.id ?? null)).not.toBe('post-post-t0-root');
    await bea.keyboard.press('Shift+Tab');
    expect(await focused(bea)).toBe(remembered);
  }, 30_000);

  it('a reply without a stance says whom it answers; "Hide replies" names its thread', async () => {
    expect(await article(bea, 'post-t0-r0').locator('[data-reply-to]').textContent()).toMatch(/to Hana/);
    const toggles = bea.getByRole('button', { name: 'Hide replies to Hana’s post' });
    expect(await toggles.count()).toBe(6);
  }, 30_000);

  it('a post’s time is its permalink, a real link', async () => {
    const time = article(bea, 'post-t3-r1').locator('header a[href]');
    expect(await time.getAttribute('href')).toBe(`/r/${seeded.roomId}?post=post-t3-r1`);
    expect(await time.locator('time').count()).toBe(1);
    await time.click();
    await expect.poll(() => bea.url(), LIVE).toContain('?post=post-t3-r1');
    await expect.poll(() => article(bea, 'post-t3-r1').getAttribute('data-highlighted'), LIVE).not.toBeNull();
  }, 30_000);

  it('new posts are said in one polite live region, counted: "3 new replies"', async () => {
    const regions = await bea.evaluate(() => [...document.querySelectorAll('[aria-live="polite"]')].map((el) => el.getAttribute('data-announcer') !== null || el.hasAttribute('data-typing')));
    expect(regions.every(Boolean)).toBe(true); // the announcer, and the room's "… are writing" line
    for (let r = 0; r < 3; r++) await ok(seeded.host, 'post:create', { id: `post-live-${r}`, parentId: 'post-t5-root', body: `Live reply ${r}` });
    await expect.poll(() => bea.locator('[data-announcer]').textContent(), LIVE).toBe('3 new replies');
  }, 30_000);

  it('the countdown’s end is said once: "time is up"', async () => {
    skew = 58_500; // a one-minute phase set now ends in about 1.5 s
    await ok(seeded.host, 'phase:set', { phase: 'open', minutes: 1 });
    skew = 0;
    await expect.poll(() => bea.locator('[data-countdown]').textContent(), LIVE).toMatch(/Time is up/);
    await expect.poll(() => bea.locator('[data-announcer]').textContent(), LIVE).toBe('Time is up: Open floor is over.');
  }, 30_000);

  it('queue actions move focus to the next item, never to the page body', async () => {
    const { page: host } = await newPerson(browser, server.url);
    await becomeHost(host, seeded.roomId, seeded.hostToken);
    await host.goto(seeded.url);
    for (const postId of ['post-t1-root', 'post-t2-root']) {
      const reporter = await connect(server.url);
      await ok(reporter, 'room:join', { roomId: seeded.roomId, role: 'viewer' });
      await ok(reporter, 'report:create', { postId, reason: 'Off topic' });
    }
    await host.getByTestId('mod-toggle').click();
    const items = host.getByTestId('mod-panel').locator('[data-queue-post]');
    await expect.poll(() => items.count(), LIVE).toBe(2);
    await items.first().getByRole('button', { name: 'Dismiss' }).focus();
    await host.keyboard.press('Enter');
    await expect.poll(() => items.count(), LIVE).toBe(1);
    await expect.poll(() => host.evaluate(() => document.activeElement?.closest('[data-queue-post]')?.getAttribute('data-queue-post') ?? document.activeElement?.tagName), LIVE).toBe(
      await items.first().getAttribute('data-queue-post'),
    );
    await items.first().getByRole('button', { name: 'Dismiss' }).focus();
    await host.keyboard.press('Enter');
    await expect.poll(() => items.count(), LIVE).toBe(0);
    await expect.poll(() => focused(host), LIVE).toMatch(/^H3 Reported posts/);
    await host.close();
  }, 30_000);
});
