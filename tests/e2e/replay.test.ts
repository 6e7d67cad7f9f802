// The debate as a record in Chromium against the real server: scrub the timeline, jump to moments,
// play back at 16×, return to live while the room goes on; a permalink to a moment; the transcript
// downloaded; a JSON export imported as a new room. Screenshots at 1280 and 375 px, light and dark.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, newPerson, screenshotPath } from '../helpers/browser.js';
import { buildClient } from '../helpers/build-client.js';
import { connect, disconnectAll, ok, type TestSocket } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = chromiumAvailable();
const LIVE = { timeout: 10_000, interval: 50 };
const REMOVED = 'Text a moderator removed';
const DELETED = 'Text its author deleted';

describe.skipIf(!run)('the record in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let host: TestSocket;
  let roomId = '';
  let hostToken = '';
  /** Every write moves the room's clock on ten seconds, so playback has time to play. */
  let offset = 0;

  async function watcher(viewport = { width: 1280, height: 900 }, path = `/r/${roomId}`, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const { page } = await newPerson(browser, server.url, viewport);
    await page.emulateMedia({ colorScheme });
    await page.goto(path);
    // A link opens the room for watching at once (see arrival.test.ts): nothing to choose first.
    // The live room, or (a link to a moment) the room as it stood then.
    await page.locator('article[data-post-id]:visible, [data-replay]').first().waitFor();
    return page;
  }

  const moment = (page: Page) => page.locator('[data-moment]');
  const cursorOf = async (page: Page) => Number(await page.locator('[data-scrubber]').inputValue());
  const latestOf = async (page: Page) => Number(await page.locator('[data-scrubber]').getAttribute('max'));

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startTestServer({ staticDir: dist, now: () => Date.now() + offset });
    browser = await launchChromium();
    host = await connect(server.url);
    const created = await ok(host, 'room:create', { title: 'Cars in the city', motion: 'This house would ban cars from city centres' });
    ({ roomId, hostToken } = created);
    await ok(host, 'room:join', { roomId, role: 'participant', name: 'Hana', token: hostToken });
    const bea = await connect(server.url);
    await ok(bea, 'room:join', { roomId, role: 'participant', name: 'Bea' });
    const cy = await connect(server.url);
    await ok(cy, 'room:join', { roomId, role: 'participant', name: 'Cy' });
    const step = async <T>(write: Promise<T>) => {
      offset += 10_000;
      return write;
    };
    await step(ok(host, 'phase:set', { phase: 'opening', minutes: 5 }));
    await step(ok(host, 'vote:manage', { action: 'open', vote: 'initial', hideResults: false }));
    for (const [who, choice] of [[host, 'for'], [bea, 'against'], [cy, 'undecided']] as const) await step(ok(who, 'vote:cast', { vote: 'initial', choice }));
    await step(ok(host, 'vote:manage', { action: 'close', vote: 'initial' }));
    await step(ok(host, 'phase:set', { phase: 'open', minutes: null }));
    for (let t = 0; t < 6; t++) {
      await step(ok(host, 'post:create', { id: `thread-00${t}`, parentId: null, body: `Thread ${t}: cars cost space.` }));
      await step(ok(bea, 'post:create', { id: `reply-00${t}`, parentId: `thread-00${t}`, body: `Reply to thread ${t}: deliveries?`, stance: 'rebut' }));
      await step(ok(cy, 'reaction:set', { postId: `thread-00${t}`, emoji: '👍', on: true }));
    }
    await step(ok(bea, 'post:create', { id: 'removed-post', parentId: 'thread-001', body: REMOVED }));
    await step(ok(cy, 'post:create', { id: 'deleted-post', parentId: 'thread-002', body: DELETED }));
    await step(ok(host, 'mod:post', { action: 'remove', postId: 'removed-post', reason: 'off topic' }));
    await step(ok(cy, 'post:delete', { postId: 'deleted-post' }));
    await step(ok(host, 'phase:set', { phase: 'closing', minutes: 2 }));
  }, 120_000);

  afterAll(async () => {
    disconnectAll();
    await browser?.close();
    await server?.close();
  });

  it('scrubs the timeline, jumps to a moment, plays at 16× and returns to live as the room goes on', async () => {
    const page = await watcher();
    await page.getByRole('button', { name: 'Replay the debate' }).click();
    await page.locator('[data-replay]').waitFor();
    expect(await page.locator('.record-stage__live').isVisible()).toBe(false);
    const latest = await latestOf(page);
    expect(await cursorOf(page)).toBe(latest);
    await expect.poll(() => new URL(page.url()).searchParams.get('at')).toBe(String(latest));

    // Scrub with the keyboard: to the start, then event by event.
    const scrubber = page.locator('[data-scrubber]');
    await scrubber.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => cursorOf(page)).toBe(1);
    await expect.poll(() => page.locator('[data-happened]').textContent()).toContain('The room opened.');
    expect(await page.locator('[data-replay-post]').count()).toBe(0);
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => cursorOf(page)).toBe(6);

    // Jump to the opening vote's close: the summary shows the tally as it was.
    await page.locator('[data-jump="vote"]', { hasText: 'Opening vote closes' }).click();
    await expect.poll(() => page.locator('[data-replay-votes]').textContent()).toMatch(/Opening vote · closed · 3 ballots[\s\S]*For 33%/);
    expect(await page.locator('[data-replay-phase]').textContent()).toMatch(/Opening/);
    const atVote = await cursorOf(page);

    // Play at 16×: posts are ten seconds apart, so a few come in a few seconds, each in its thread.
    await page.getByText('16×', { exact: true }).click();
    await page.locator('[data-play]').click();
    await expect.poll(async () => (await cursorOf(page)) - atVote, { timeout: 8_000 }).toBeGreaterThanOrEqual(4);
    await expect.poll(() => page.locator('[data-replay-post]').count(), LIVE).toBeGreaterThan(0);
    await page.locator('[data-play]').click();
    const paused = await cursorOf(page);
    expect(paused).toBeLessThan(latest);
    await page.waitForTimeout(800);
    expect(await cursorOf(page)).toBe(paused);
    await page.screenshot({ path: screenshotPath('replay-playing-1280.png') });

    // The removed and deleted posts, at a moment between their writing and their end: never their text.
    const body = await page.evaluate(() => document.body.innerText);
    expect(body).not.toContain(REMOVED);
    expect(body).not.toContain(DELETED);
    await page.evaluate((seq) => {
      const input = document.querySelector<HTMLInputElement>('[data-scrubber]')!;
      input.value = String(seq);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, latest - 3);
    await expect.poll(() => page.locator('[data-replay-post="removed-post"]').textContent()).toContain('This text is no longer available.');
    expect(await page.evaluate(() => document.body.innerText)).not.toMatch(new RegExp(`${REMOVED}|${DELETED}`));

    // The room goes on underneath: the timeline grows, and Live shows it.
    offset += 10_000;
    await ok(host, 'post:create', { id: 'late-post', parentId: null, body: 'A point made while you were replaying.' });
    await expect.poll(() => latestOf(page), LIVE).toBe(latest + 1);
    await page.locator('[data-live]').click();
    await expect.poll(() => page.locator('[data-replay]').count()).toBe(0);
    await expect.poll(() => page.locator('#post-late-post').isVisible(), LIVE).toBe(true);
    expect(new URL(page.url()).searchParams.get('at')).toBeNull();
    await page.close();
  }, 60_000);

  it('opens the room as it stood at a permalinked moment; moderators see the removed text there', async () => {
    const page = await watcher(undefined, `/r/${roomId}?at=5`);
    await expect.poll(() => cursorOf(page), LIVE).toBe(5);
    expect(await moment(page).textContent()).toContain('event 5 of');

    const { page: hosting } = await newPerson(browser, server.url);
    await hosting.goto('/');
    await hosting.evaluate(([id, token]) => localStorage.setItem(`debate:room:${id}`, JSON.stringify({ token, role: 'participant', host: true })), [roomId, hostToken]);
    await hosting.goto(`/r/${roomId}`);
    await hosting.getByRole('button', { name: 'Replay the debate' }).click();
    await hosting.locator('[data-replay-post="removed-post"]').waitFor();
    expect(await hosting.locator('[data-replay-post="removed-post"]').textContent()).toMatch(/Removed by Hana: “off topic”[\s\S]*Text a moderator removed/);
    await hosting.close();
    await page.close();
  }, 30_000);

  it('downloads the transcript, and imports its JSON as a new room with me as host', async () => {
    const page = await watcher();
    const [markdown] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Markdown' }).click()]);
    expect(markdown.suggestedFilename()).toBe(`cars-in-the-city-${roomId}.md`);
    const text = readFileSync((await markdown.path())!, 'utf8');
    expect(text).toMatch(/^# Cars in the city/);
    expect(text).not.toContain(REMOVED);
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'JSON' }).click()]);
    const file = (await json.path())!;

    await page.goto('/');
    await page.getByLabel('JSON export').setInputFiles({ name: 'room.json', mimeType: 'application/json', buffer: readFileSync(file) });
    await page.getByRole('button', { name: 'Import as a new room' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/r/') && !url.pathname.endsWith(roomId));
    await page.getByLabel('Display name').fill('Importer');
    await page.getByRole('button', { name: 'Take part' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), LIVE).toBe('Cars in the city');
    await expect.poll(() => page.locator('article[data-post-id]').count(), LIVE).toBeGreaterThan(6);

    await page.goto('/');
    await page.getByLabel('JSON export').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"not":"an export"}') });
    await page.getByRole('button', { name: 'Import as a new room' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), LIVE).toMatch(/not a room export/);
    await page.close();
  }, 60_000);

  it('screenshots the replay at 1280 and 375 px, light and dark, with nothing overflowing', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [1280, 375]) {
        const page = await watcher({ width, height: 900 }, `/r/${roomId}?at=30`, colorScheme);
        await page.locator('[data-replay]').waitFor();
        await page.waitForTimeout(300);
        await page.screenshot({ path: screenshotPath(`replay-${width}-${colorScheme}.png`) });
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
        await page.close();
      }
    }
  }, 60_000);
});
