// A hidden vote in Chromium: my ballot shows in every browser I am signed in from (the same token),
// live and when I open the room later, while someone else's browser only counts that a vote was cast.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, newPerson, screenshotPath } from '../helpers/browser.js';
import { buildClient } from '../helpers/build-client.js';
import { connect, disconnectAll, ok, type TestSocket } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = chromiumAvailable();
const LIVE = { timeout: 10_000, interval: 50 };
const round = (page: Page) => page.locator('[data-vote="initial"]');
const mine = (page: Page) => round(page).locator('[data-my-ballot]');
const pressed = (page: Page, side: string) => round(page).getByRole('button', { name: side, exact: true }).getAttribute('aria-pressed');

describe.skipIf(!run)('my ballot in a hidden vote, in every browser of mine', () => {
  let server: TestServer;
  let browser: Browser;
  let host: TestSocket;
  let roomId = '';

  /** A browser that has just watched before: a fresh profile, or one holding this token (me, elsewhere). */
  async function watcher(token?: string): Promise<Page> {
    const { page } = await newPerson(browser, server.url);
    if (token) {
      await page.addInitScript(([id, t]) => localStorage.setItem(`debate:room:${id}`, JSON.stringify({ token: t, role: 'viewer' })), [roomId, token]);
    }
    await page.goto(`/r/${roomId}`);
    if (!token) await page.getByRole('button', { name: 'Just watch' }).click();
    await page.locator('article[data-post-id]').first().waitFor();
    return page;
  }

  const tokenOf = (page: Page) => page.evaluate((id) => JSON.parse(localStorage.getItem(`debate:room:${id}`)!).token as string, roomId);

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startTestServer({ staticDir: dist });
    browser = await launchChromium();
    host = await connect(server.url);
    const created = await ok(host, 'room:create', { title: 'Secret ballots', motion: 'This house would keep the votes hidden' });
    roomId = created.roomId;
    await ok(host, 'room:join', { roomId, role: 'participant', name: 'Hana', token: created.hostToken });
    await ok(host, 'post:create', { id: 'p-opening-statement', parentId: null, body: 'Opening statement.' });
  }, 120_000);

  afterAll(async () => {
    disconnectAll();
    await browser?.close();
    await server?.close();
  });

  it('shows my ballot in my other browser live and in one opened later; never in someone else’s', async () => {
    const here = await watcher();
    const token = await tokenOf(here);
    const there = await watcher(token);
    const someoneElse = await watcher();
    expect(await tokenOf(there)).toBe(token);
    expect(await tokenOf(someoneElse)).not.toBe(token);

    // Opened after every browser joined: each asks for its ballots when a hidden vote appears.
    await ok(host, 'vote:manage', { action: 'open', vote: 'initial', hideResults: true });
    await expect.poll(() => round(there).count(), LIVE).toBe(1);
    await round(here).getByRole('button', { name: 'For', exact: true }).click();
    await expect.poll(() => mine(here).textContent(), LIVE).toContain('You voted For');
    await expect.poll(() => mine(there).textContent(), LIVE).toContain('You voted For');
    expect(await pressed(there, 'For')).toBe('true');

    await expect.poll(() => round(someoneElse).locator('[data-hidden-results]').textContent(), LIVE).toMatch(/1 vote cast/);
    expect(await mine(someoneElse).count()).toBe(0);
    expect(await pressed(someoneElse, 'For')).toBe('false');

    // Opened later, on another device: the server tells it. A change there reaches the first browser.
    const later = await watcher(token);
    await expect.poll(() => mine(later).textContent(), LIVE).toContain('You voted For');
    await round(later).getByRole('button', { name: 'Against', exact: true }).click();
    await expect.poll(() => mine(here).textContent(), LIVE).toContain('You voted Against');
    await expect.poll(() => mine(there).textContent(), LIVE).toContain('You voted Against');
    await there.screenshot({ path: screenshotPath('debate-ballot-elsewhere-1280.png') });

    // Closed: the result is everyone's; the ballot is still only mine.
    await ok(host, 'vote:manage', { action: 'close', vote: 'initial' });
    for (const page of [here, there, later, someoneElse]) {
      await expect.poll(() => round(page).locator('[data-result="against"]').textContent(), LIVE).toMatch(/100%\s*\(1\)/);
    }
    expect(await mine(there).textContent()).toContain('You voted Against');
    expect(await mine(someoneElse).count()).toBe(0);
    for (const page of [here, there, later, someoneElse]) await page.close();
  }, 60_000);
});
