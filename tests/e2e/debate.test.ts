// The debate in Chromium against the real server: the new-replies pill that never moves the page,
// permalinks (also into a thread outside the first window), sorting, collapsing, sides and stances,
// typing, unread marks, and a whole vote: opening vote, final vote, swing, "this changed my mind".
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_WINDOW_BUDGET } from '../../shared/post-window.js';
import { chromiumAvailable, launchChromium, newPerson, screenshotPath } from '../helpers/browser.js';
import { buildClient } from '../helpers/build-client.js';
import { connect, disconnectAll, ok, type TestSocket } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = chromiumAvailable();
const LIVE = { timeout: 10_000, interval: 50 };
const THREADS = 60;
const REPLIES = 3;
const root = (t: number) => `p-t${t}-root`;
const reply = (t: number, r: number) => `p-t${t}-r${r}-x`;
const article = (page: Page, id: string) => page.locator(`#post-${id}`);
const topLevelIds = (page: Page) =>
  page.locator('.thread > .thread-list > li > article').evaluateAll((els) => els.map((el) => el.getAttribute('data-post-id')!));

describe.skipIf(!run)('the debate in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let host: TestSocket;
  let bea: TestSocket;
  let roomId = '';
  let hostToken = '';

  async function viewer(viewport = { width: 1280, height: 800 }, path = `/r/${roomId}`): Promise<Page> {
    const { page } = await newPerson(browser, server.url, viewport);
    await page.goto(path);
    await page.getByRole('button', { name: 'Just watch' }).click();
    await page.locator('article[data-post-id]').first().waitFor();
    return page;
  }

  /** The host's browser: this browser keeps the host token, as after creating the room here. */
  async function hostPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
    const { page } = await newPerson(browser, server.url, viewport);
    await page.goto('/');
    await page.evaluate(([id, token]) => localStorage.setItem(`debate:room:${id}`, JSON.stringify({ token, role: 'participant', host: true })), [roomId, hostToken]);
    await page.goto(`/r/${roomId}`);
    await page.locator('article[data-post-id]').first().waitFor();
    return page;
  }

  /**
   * Scroll down until the progressive rendering has put this post on the page, then bring it into
   * view (in a big room a thread far off screen is parked: swapped for an empty box of its height).
   */
  async function scrollUntil(page: Page, id: string) {
    for (let i = 0; i < 200 && !(await article(page, id).count()); i++) {
      await page.mouse.wheel(0, 600);
      await page.waitForTimeout(40);
    }
    await article(page, id).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.waitForTimeout(100);
  }

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startTestServer({ staticDir: dist });
    browser = await launchChromium();
    host = await connect(server.url);
    const created = await ok(host, 'room:create', { title: 'Cars in the city', motion: 'This house would ban cars from city centres' });
    roomId = created.roomId;
    hostToken = created.hostToken;
    await ok(host, 'room:join', { roomId, role: 'participant', name: 'Hana', token: created.hostToken });
    bea = await connect(server.url);
    await ok(bea, 'room:join', { roomId, role: 'participant', name: 'Bea' });
    // 60 threads of 4 posts: 240 posts, more than the first window (about the newest 15 threads), so older threads are not sent on join.
    // The tests that scroll to a thread use threads from the window (48 and up); sorting by top and controversial pages in the rest.
    for (let t = 0; t < THREADS; t++) {
      await ok(host, 'post:create', { id: root(t), parentId: null, body: `Thread ${t}: a point about cars.\n\nWith a second paragraph.` });
      for (let r = 0; r < REPLIES; r++) {
        await ok(bea, 'post:create', { id: reply(t, r), parentId: r === 2 ? reply(t, 0) : root(t), body: `Reply ${t}.${r}`, stance: r === 1 ? 'rebut' : 'support' });
      }
    }
    expect(THREADS * (REPLIES + 1)).toBeGreaterThan(FIRST_WINDOW_BUDGET);
    // Reactions for "top" and "controversial": thread 20 is loved (6 reactions), thread 45 divides (2 👍, 2 👎).
    const [eve, fay] = [await connect(server.url), await connect(server.url)];
    await ok(eve, 'room:join', { roomId, role: 'participant', name: 'Eve' });
    await ok(fay, 'room:join', { roomId, role: 'participant', name: 'Fay' });
    for (const emoji of ['🔥', '❤️', '😂'] as const) await ok(host, 'reaction:set', { postId: root(20), emoji, on: true });
    for (const who of [bea, eve, fay]) await ok(who, 'reaction:set', { postId: root(20), emoji: '👍', on: true });
    for (const [who, emoji] of [[host, '👍'], [eve, '👍'], [bea, '👎'], [fay, '👎']] as const) await ok(who, 'reaction:set', { postId: root(45), emoji, on: true });
  }, 120_000);

  afterAll(async () => {
    disconnectAll();
    await browser?.close();
    await server?.close();
  });

  it('holds new replies behind a pill: the page does not move while someone else posts', async () => {
    const page = await viewer();
    await scrollUntil(page, root(51));
    const target = article(page, root(51));
    await target.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300);
    const before = { y: await page.evaluate(() => window.scrollY), box: (await target.boundingBox())! };

    // Another browser takes part and replies to the post in view, twice; a socket adds a new thread.
    const { page: other } = await newPerson(browser, server.url);
    await other.goto(`/r/${roomId}`);
    await other.getByLabel('Display name').fill('Cy');
    await other.getByRole('button', { name: 'Take part' }).click();
    await scrollUntil(other, root(51));
    for (const text of ['Cy answers thread 51.', 'Cy again on thread 51.']) {
      await article(other, root(51)).getByRole('button', { name: 'Reply', exact: true }).click();
      await other.getByLabel('Reply to Hana').fill(text);
      await other.getByLabel('Reply to Hana').press('Control+Enter');
      await expect.poll(() => other.locator('article:not([data-pending])', { hasText: text }).count(), LIVE).toBe(1);
    }
    await ok(bea, 'post:create', { id: 'p-late-thread', parentId: null, body: 'A late new thread.' });

    const pill = target.locator('[data-new-replies]');
    await expect.poll(() => pill.textContent(), LIVE).toMatch(/2 new replies/);
    await expect.poll(() => page.locator('[data-room-new]').textContent(), LIVE).toMatch(/2 new replies/);
    await page.waitForTimeout(300);
    expect(await page.locator('article', { hasText: 'Cy answers thread 51.' }).count()).toBe(0);
    const after = { y: await page.evaluate(() => window.scrollY), box: (await target.boundingBox())! };
    expect(Math.abs(after.y - before.y)).toBeLessThanOrEqual(2);
    expect(Math.abs(after.box.y - before.box.y)).toBeLessThanOrEqual(2);
    expect(Math.abs(after.box.height - before.box.height)).toBeLessThanOrEqual(2);
    await page.screenshot({ path: screenshotPath('debate-pill-1280.png') });

    // A click shows them in place, marked new.
    await pill.click();
    await expect.poll(() => page.locator('article', { hasText: 'Cy answers thread 51.' }).count(), LIVE).toBe(1);
    expect(await page.locator('article', { hasText: 'Cy again on thread 51.' }).locator('[data-unread]').count()).toBe(1);
    expect(await page.locator('[data-room-new]').count()).toBe(0);

    // Follow live: nothing is held.
    await page.locator('[data-follow-live]').click();
    await ok(bea, 'post:create', { id: 'p-live-reply', parentId: root(51), body: 'Followed live.' });
    await expect.poll(() => page.locator('article', { hasText: 'Followed live.' }).count(), LIVE).toBe(1);
    await page.locator('[data-follow-live]').click();
    await other.close();
    await page.close();
  }, 60_000);

  it('permalinks open the room scrolled to the post and highlight it, also in a thread outside the first window', async () => {
    const page = await viewer();
    await scrollUntil(page, reply(58, 2));
    const link = await article(page, reply(58, 2)).locator('[data-permalink]').getAttribute('data-permalink');
    expect(link).toBe(`/r/${roomId}?post=${reply(58, 2)}`);
    // Thread 1 is older than the window: the page fetches it with room:posts {postId}.
    expect(await article(page, root(1)).count()).toBe(0);
    await page.close();

    for (const id of [reply(58, 2), reply(1, 2)]) {
      const { page: reader } = await newPerson(browser, server.url);
      // No choice first: a permalink opens the room, watching, at the post.
      await reader.goto(`/r/${roomId}?post=${id}`);
      const post = article(reader, id);
      await expect.poll(() => post.getAttribute('data-highlighted'), LIVE).not.toBeNull();
      const box = (await post.boundingBox())!;
      const height = await reader.evaluate(() => window.innerHeight);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(height);
      if (id === reply(1, 2)) await reader.screenshot({ path: screenshotPath('debate-permalink-1280.png') });
      // Jump to parent: the parent is focused and highlighted.
      await post.getByRole('button', { name: '↑ Parent' }).click();
      await expect.poll(() => article(reader, id.replace('-r2-', '-r0-')).getAttribute('data-highlighted'), LIVE).not.toBeNull();
      expect(await reader.evaluate(() => document.activeElement?.id)).toBe(`post-${id.replace('-r2-', '-r0-')}`);
      await reader.close();
    }
  }, 60_000);

  it('sorts by new, old, top and controversial', async () => {
    const page = await viewer();
    const first = async () => (await topLevelIds(page))[0];
    const number = (id: string) => Number(/^p-t(\d+)-root$/.exec(id)?.[1]);
    const [a, b] = await topLevelIds(page); // old: the oldest threads of the window first
    expect(number(a)).toBeLessThan(number(b));
    await page.getByRole('button', { name: 'New', exact: true }).click();
    await expect.poll(first, LIVE).toBe('p-late-thread');
    await page.getByRole('button', { name: 'Top', exact: true }).click();
    await expect.poll(first, LIVE).toBe(root(20));
    await page.getByRole('button', { name: 'Controversial', exact: true }).click();
    await expect.poll(first, LIVE).toBe(root(45));
    await page.getByRole('button', { name: 'Old', exact: true }).click();
    await expect.poll(first, LIVE).not.toBe(root(45));
    await page.close();
  }, 30_000);

  it('collapses a subthread and says how many replies it hides', async () => {
    const page = await viewer();
    await scrollUntil(page, root(52));
    const item = page.locator(`li:has(> #post-${root(52)})`);
    const toggle = item.locator('> .thread-bar [data-collapse]');
    expect(await item.locator('article').count()).toBe(4);
    expect(await item.locator('> .thread-bar [data-balance]').textContent()).toMatch(/1 supporting.*1 rebutting/);
    await toggle.click();
    expect(await item.locator('article').count()).toBe(1);
    expect(await toggle.textContent()).toContain('Show 3 hidden replies');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await item.locator('article').count()).toBe(4);
    await page.close();
  }, 30_000);

  it('sides, stances and typing: a participant declares a side, replies rebutting, and is seen typing', async () => {
    const watcher = await viewer();
    await watcher.locator('[data-follow-live]').click(); // so Dee's reply shows at once, wherever the watcher is
    await scrollUntil(watcher, root(55));
    const { page } = await newPerson(browser, server.url);
    await page.goto(`/r/${roomId}`);
    await page.getByLabel('Display name').fill('Dee');
    await page.getByRole('button', { name: 'Take part' }).click();
    await scrollUntil(page, root(55));
    await page.getByRole('group', { name: 'Your side' }).getByRole('button', { name: 'Against' }).click();
    await expect.poll(() => watcher.locator('.presence li[data-member="Dee"] [data-side]').textContent(), LIVE).toContain('Against');

    const parent = article(page, root(55));
    await parent.getByRole('button', { name: 'Reply', exact: true }).click();
    const box = page.getByLabel('Reply to Hana');
    await box.pressSequentially('Cars are not the problem');
    await expect.poll(() => article(watcher, root(55)).locator('[data-typing]').textContent(), LIVE).toContain('Dee is replying to Hana');
    await page.getByRole('button', { name: 'Rebuts' }).click();
    await box.press('Control+Enter');
    await expect.poll(() => article(watcher, root(55)).locator('[data-typing]').textContent(), LIVE).toBe('');

    const mine = watcher.locator('article', { hasText: 'Cars are not the problem' });
    await expect.poll(() => mine.count(), LIVE).toBe(1);
    expect(await mine.locator('[data-stance="rebut"]').textContent()).toContain('Rebuts Hana');
    expect(await mine.locator('[data-side="against"]').count()).toBe(1);
    await expect.poll(() => watcher.locator(`li:has(> #post-${root(55)}) > .thread-bar [data-balance]`).textContent(), LIVE).toMatch(/1 supporting.*2 rebutting/);
    await page.close();
    await watcher.close();
  }, 45_000);

  it('marks what arrived since my last visit in this browser', async () => {
    const { context, page } = await newPerson(browser, server.url);
    await page.goto(`/r/${roomId}`);
    await page.getByRole('button', { name: 'Just watch' }).click();
    await page.locator('article[data-post-id]').first().waitFor();
    expect(await page.locator('[data-unread-summary]').count()).toBe(0); // a first visit marks nothing
    await page.waitForTimeout(2_500); // the last-seen mark is saved every 2 s and on leaving
    await page.close();
    await ok(bea, 'post:create', { id: 'p-while-away', parentId: null, body: 'Posted while you were away.' });
    const again = await context.newPage();
    await again.goto(`/r/${roomId}`);
    await scrollUntil(again, 'p-while-away');
    const marked = again.locator('article', { hasText: 'Posted while you were away.' });
    expect(await marked.locator('[data-unread]').count()).toBe(1);
    expect(await again.locator('[data-unread-summary]').textContent()).toContain('1 new since your last visit');
    expect(await again.locator('article [data-unread]').count()).toBe(1);
    await context.close();
  }, 30_000);

  it('a whole vote: host opens the opening vote (hidden), the audience votes, the final vote, the swing, minds changed', async () => {
    const hosting = await hostPage();
    const watcher = await viewer({ width: 1280, height: 900 });
    const round = (page: Page, kind: string) => page.locator(`[data-vote="${kind}"]`);

    await hosting.getByLabel('Hide results until it closes').check();
    await hosting.getByRole('button', { name: 'Open the opening vote' }).click();
    await expect.poll(() => round(watcher, 'initial').count(), LIVE).toBe(1);
    await round(watcher, 'initial').getByRole('button', { name: 'For', exact: true }).click();
    await expect.poll(() => round(watcher, 'initial').getByRole('button', { name: 'For', exact: true }).getAttribute('aria-pressed'), LIVE).toBe('true');
    expect(await round(watcher, 'initial').locator('[data-hidden-results]').textContent()).toMatch(/hidden until the vote closes · 1 vote cast/);
    await ok(bea, 'vote:cast', { vote: 'initial', choice: 'against' });
    await ok(host, 'vote:cast', { vote: 'initial', choice: 'undecided' });
    await round(hosting, 'initial').getByRole('button', { name: 'Close the opening vote' }).click();
    await round(hosting, 'initial').getByRole('button', { name: 'Close the vote', exact: true }).click(); // asked first: it cannot be undone
    await expect.poll(() => round(watcher, 'initial').locator('[data-result="for"]').textContent(), LIVE).toMatch(/33%\s*\(1\)/);
    // Hidden ballots come back as '' even now: the server still tells me mine (vote:mine).
    expect(await round(watcher, 'initial').textContent()).toContain('You voted For');

    await hosting.getByRole('button', { name: 'Set phase' }).click(); // the next phase: Opening
    await expect.poll(() => watcher.locator('[aria-current="step"]').textContent(), LIVE).toContain('Opening');
    await hosting.getByLabel('Move to').selectOption('open');
    await hosting.getByLabel('Countdown in minutes').fill('5');
    await hosting.getByRole('button', { name: 'Set phase' }).click();
    await expect.poll(() => watcher.locator('[aria-current="step"]').textContent(), LIVE).toContain('Open floor');
    expect(await watcher.locator('[data-countdown]').textContent()).toMatch(/[45]:\d\d left/);

    await hosting.getByRole('button', { name: 'Open the final vote' }).click();
    await expect.poll(() => round(watcher, 'final').count(), LIVE).toBe(1);
    await round(watcher, 'final').getByRole('button', { name: 'Against', exact: true }).click();
    // My final vote differs from my first: a post may be named as the one that changed my mind.
    await scrollUntil(watcher, reply(50, 1));
    const persuasive = article(watcher, reply(50, 1));
    await expect.poll(() => persuasive.getByRole('button', { name: 'This changed my mind' }).count(), LIVE).toBe(1);
    await persuasive.getByRole('button', { name: 'This changed my mind' }).click();
    await expect.poll(() => hosting.locator('[data-persuasive]').textContent(), LIVE).toMatch(/Reply 50\.1[\s\S]*moved 1 person/);
    await ok(bea, 'vote:cast', { vote: 'final', choice: 'against' });
    await ok(host, 'vote:cast', { vote: 'final', choice: 'against' });
    await expect.poll(() => round(watcher, 'final').locator('[data-result="against"]').textContent(), LIVE).toMatch(/100%\s*\(3\)/);
    await round(hosting, 'final').getByRole('button', { name: 'Close the final vote' }).click();
    await round(hosting, 'final').getByRole('button', { name: 'Close the vote', exact: true }).click(); // asked first: it cannot be undone

    // Before: for 1/3, against 1/3, undecided 1/3. After: against 3/3. Against gained 66.7 pts, For lost 33.3.
    await expect.poll(() => watcher.locator('[data-swing] [data-winner]').textContent(), LIVE).toContain('Against wins');
    expect(await hosting.locator('[data-swing] [data-winner]').textContent()).toMatch(/Against wins: it gained \+66\.7 pts, For −33\.3 pts/);
    await watcher.locator('[data-votes]').scrollIntoViewIfNeeded();
    await watcher.screenshot({ path: screenshotPath('debate-vote-1280.png') });
    await hosting.close();
    await watcher.close();
  }, 60_000);

  it('screenshots at 1280 and 375 px with nothing overflowing', async () => {
    for (const width of [1280, 375]) {
      const page = await viewer({ width, height: 900 });
      await page.screenshot({ path: screenshotPath(`debate-top-${width}.png`) });
      await scrollUntil(page, root(53));
      await article(page, root(53)).evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(200);
      await page.screenshot({ path: screenshotPath(`debate-thread-${width}.png`) });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.close();
    }
    const hosting = await hostPage({ width: 375, height: 900 });
    await hosting.screenshot({ path: screenshotPath('debate-host-375.png'), fullPage: false });
    expect(await hosting.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await hosting.close();
  }, 45_000);
});
