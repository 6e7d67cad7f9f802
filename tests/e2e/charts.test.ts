// The charts panel in Chromium against the real server: loaded only when opened, every chart with a text
// alternative that says the right numbers, live as people post and react, at 1280 and 375 px in light and
// dark, under the Content-Security-Policy without a single violation. Screenshots go to test-output/.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, newPerson, screenshotPath } from '../helpers/browser.js';
import { buildClient } from '../helpers/build-client.js';
import { connect, disconnectAll, ok, type TestSocket } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = chromiumAvailable();
const LIVE = { timeout: 10_000, interval: 50 };
type Watched = Window & { cspViolations: string[] };

/** More events than one catch-up answers (limits.syncMaxEvents). */
const BIG_ROOM_POSTS = 1_010;
const chart = (page: Page, name: string) => page.locator(`[data-chart="${name}"]`);
const summary = (page: Page, name: string) => chart(page, name).locator('[data-chart-summary]').textContent();
/** A chart's hidden table as rows of cells (the header row first). */
const tableOf = (page: Page, name: string) =>
  chart(page, name)
    .locator('[data-chart-table] tr')
    .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent!.trim())));
/** Sums a table's column by its header. */
async function columnTotal(page: Page, name: string, header: string): Promise<number> {
  const [head, ...rows] = await tableOf(page, name);
  const at = head.indexOf(header);
  return rows.reduce((sum, row) => sum + Number(row[at]), 0);
}

describe.skipIf(!run)('the shape of a debate, in charts', () => {
  let server: TestServer;
  let browser: Browser;
  const people: Record<string, TestSocket> = {};
  let roomId = '';
  let secretRoomId = '';
  let bigRoomId = '';

  async function viewer(room: string, viewport: { width: number; height: number }, colorScheme: 'light' | 'dark'): Promise<{ context: BrowserContext; page: Page }> {
    const person = await newPerson(browser, server.url, viewport);
    await person.page.emulateMedia({ colorScheme });
    await person.context.addInitScript(() => {
      const page = window as unknown as Watched;
      page.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => page.cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'}`));
    });
    await person.page.goto(`/r/${room}`);
    await person.page.getByRole('button', { name: 'Just watch' }).click();
    await person.page.locator('article[data-post-id]').first().waitFor();
    return person;
  }

  async function openCharts(page: Page, coverage = /whole room/): Promise<void> {
    await page.getByRole('button', { name: 'Charts' }).click();
    await page.getByRole('dialog', { name: 'The shape of the debate' }).waitFor();
    await expect.poll(() => page.locator('[data-charts-coverage]').textContent(), LIVE).toMatch(coverage);
  }

  /** The whole panel in one picture: the page made as tall as the panel for the shot. */
  async function screenshot(page: Page, name: string): Promise<void> {
    const { width, height } = page.viewportSize()!;
    const tall = await page.locator('.charts__inner').evaluate((el) => el.scrollHeight);
    await page.setViewportSize({ width, height: Math.max(height, tall + 20) });
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshotPath(name) });
    // A phone's long picture is also kept in screen-sized parts, to look at at full size.
    if (width < 500) {
      for (let part = 0, y = 0; y < tall; part++, y += 800) {
        await page.screenshot({ path: screenshotPath(name.replace('.png', `-${part + 1}.png`)), clip: { x: 0, y, width, height: Math.min(800, tall + 20 - y) } });
      }
    }
    await page.setViewportSize({ width, height });
  }

  beforeAll(async () => {
    server = await startTestServer({ staticDir: await buildClient() });
    browser = await launchChromium();
    const host = (people.hana = await connect(server.url));
    const created = await ok(host, 'room:create', { title: 'Cars in the city', motion: 'This house would ban cars from city centres' });
    roomId = created.roomId;
    await ok(host, 'room:join', { roomId, role: 'participant', name: 'Hana', token: created.hostToken });
    for (const name of ['Ann', 'Bob', 'Cy', 'Dee']) {
      people[name.toLowerCase()] = await connect(server.url);
      await ok(people[name.toLowerCase()], 'room:join', { roomId, role: 'participant', name });
    }
    const { hana, ann, bob, cy, dee } = people;
    for (const [who, side] of [[hana, 'for'], [ann, 'for'], [bob, 'against'], [cy, 'undecided']] as const) await ok(who, 'side:set', { side });
    await ok(hana, 'phase:set', { phase: 'opening' });
    const post = (who: TestSocket, id: string, body: string, parentId: string | null = null, stance?: 'support' | 'rebut' | 'question') =>
      ok(who, 'post:create', { id, parentId, body, ...(stance ? { stance } : {}) });
    await post(hana, 'p-hana-1', 'Cars make city centres loud, dangerous and dirty.');
    await post(ann, 'p-ann-01', 'Buses move forty people in the road space of three cars.');
    await post(bob, 'p-bob-01', 'Deliveries still need access.', 'p-hana-1', 'rebut');
    await post(cy, 'p-cy-001', 'What about night workers?', 'p-hana-1', 'question');
    await post(ann, 'p-ann-02', 'Footfall went up in pedestrianised streets.', 'p-hana-1', 'support');
    await post(bob, 'p-bob-02', 'Only when the buses are full.', 'p-ann-01', 'rebut');
    await ok(hana, 'phase:set', { phase: 'open' });
    await post(hana, 'p-hana-2', 'Deliveries can come before ten.', 'p-bob-01', 'rebut');
    await post(dee, 'p-dee-01', 'I have a twist: >!the mayor drives!< everywhere.');
    for (const [who, postId, emoji] of [[ann, 'p-hana-1', '👍'], [bob, 'p-ann-01', '🔥'], [cy, 'p-hana-1', '👍'], [dee, 'p-ann-01', '❤️']] as const) await ok(who, 'reaction:set', { postId, emoji, on: true });
    // Two visible votes: Bob and Cy move to For; Ann and Dee stay.
    const vote = async (kind: 'initial' | 'final', ballots: [TestSocket, 'for' | 'against' | 'undecided'][]) => {
      await ok(hana, 'vote:manage', { action: 'open', vote: kind, hideResults: false });
      for (const [who, choice] of ballots) await ok(who, 'vote:cast', { vote: kind, choice });
      await ok(hana, 'vote:manage', { action: 'close', vote: kind });
    };
    await vote('initial', [[ann, 'for'], [bob, 'against'], [cy, 'undecided'], [dee, 'against']]);
    await vote('final', [[ann, 'for'], [bob, 'for'], [cy, 'for'], [dee, 'against']]);
    await ok(bob, 'mind:changed', { postId: 'p-ann-01' });
    await ok(cy, 'mind:changed', { postId: 'p-ann-01' });

    // A second room whose opening vote hides its ballots.
    const secret = await ok(hana, 'room:create', { title: 'Secret ballots', motion: 'This house would vote in secret' });
    secretRoomId = secret.roomId;
    people.host2 = await connect(server.url);
    await ok(people.host2, 'room:join', { roomId: secretRoomId, role: 'participant', name: 'Hana', token: secret.hostToken });
    await ok(people.host2, 'post:create', { id: 'p-secret-1', parentId: null, body: 'Secret ballots protect voters.' });
    await ok(people.host2, 'vote:manage', { action: 'open', vote: 'initial', hideResults: true });
    people.eve = await connect(server.url);
    await ok(people.eve, 'room:join', { roomId: secretRoomId, role: 'participant', name: 'Eve' });
    await ok(people.eve, 'vote:cast', { vote: 'initial', choice: 'against' });
    await ok(people.host2, 'vote:cast', { vote: 'initial', choice: 'for' });

    // A room whose log is longer than one catch-up: the page holds a window of it.
    const big = await ok(hana, 'room:create', { title: 'A long debate', motion: 'This house would talk for ever' });
    bigRoomId = big.roomId;
    people.host3 = await connect(server.url);
    await ok(people.host3, 'room:join', { roomId: bigRoomId, role: 'participant', name: 'Hana', token: big.hostToken });
    for (let i = 0; i < BIG_ROOM_POSTS; i++) await ok(people.host3, 'post:create', { id: `p-long-${String(i).padStart(4, '0')}`, parentId: null, body: `Point ${i}.` });
  }, 120_000);

  afterAll(async () => {
    disconnectAll();
    await browser?.close();
    await server?.close();
  });

  it('loads chart.js only when opened, and every chart says its numbers in words and in a table', async () => {
    const { context, page } = await viewer(roomId, { width: 1280, height: 900 }, 'light');
    const chunks = () => page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name).filter((name) => /ChartsPanel/.test(name)));
    expect(await chunks()).toEqual([]);
    await openCharts(page);
    expect((await chunks()).length).toBeGreaterThan(0);

    // Each chart: a canvas named by its heading and described by its sentence and its table.
    const names = ['posts', 'votes', 'flow', 'reactions', 'branches', 'stances', 'minds', 'authors'];
    for (const name of names) {
      const canvas = chart(page, name).locator('canvas[role="img"]');
      const described = (await canvas.getAttribute('aria-describedby'))!.split(' ');
      expect(described).toHaveLength(2);
      for (const id of described) expect(await page.locator(`[id="${id}"]`).count()).toBe(1);
      expect(await page.locator(`[id="${described[1]}"]`).evaluate((el) => el.tagName)).toBe('TABLE');
      expect(await canvas.getAttribute('aria-labelledby')).toBeTruthy();
    }

    expect(await summary(page, 'posts')).toMatch(/^8 posts by side: For 4, Against 2, Undecided 1, No side 1\./);
    expect(await summary(page, 'posts')).toMatch(/Phases: Opening from \d\d:\d\d, Open floor from \d\d:\d\d\./);
    expect(await columnTotal(page, 'posts', 'For')).toBe(4);
    expect(await columnTotal(page, 'posts', 'Against')).toBe(2);
    expect(await summary(page, 'votes')).toBe('Opening vote: For 25% (1), Against 50% (2), Undecided 25% (1); 4 votes. Final vote: For 75% (3), Against 25% (1), Undecided 0% (0); 4 votes.');
    expect(await tableOf(page, 'votes')).toEqual([['Vote', 'For', 'Against', 'Undecided', 'Votes'], ['Opening vote', '1', '2', '1', '4'], ['Final vote', '3', '1', '0', '4']]);
    expect(await summary(page, 'flow')).toBe('4 people voted in both rounds: 1 Against → For, 1 Undecided → For; 2 kept their side.');
    expect((await tableOf(page, 'flow')).slice(1)).toEqual([['For', 'For', '1'], ['Against', 'For', '1'], ['Against', 'Against', '1'], ['Undecided', 'For', '1']]);
    expect(await summary(page, 'reactions')).toMatch(/^4 reactions\./);
    expect(await summary(page, 'branches')).toBe('Most replied: Hana: “Cars make city centres loud, dangerous and dirty.”, with 4 replies; then 1.');
    expect((await tableOf(page, 'stances')).slice(1)).toEqual([
      ['Hana: “Cars make city centres loud, dangerous and dirty.”', '1', '1', '1'],
      ['Ann: “Buses move forty people in the road space of three cars.”', '0', '1', '0'],
    ]);
    expect(await summary(page, 'minds')).toBe('2 people said a reply changed their mind. Most persuasive: Ann: “Buses move forty people in the road space of three cars.”, 2 people.');
    const authors = (await tableOf(page, 'authors')).slice(1).sort();
    expect(authors).toEqual([['Ann', 'For', '2'], ['Bob', 'Against', '2'], ['Cy', 'Undecided', '1'], ['Dee', 'No side', '1'], ['Hana', 'For', '2']]);
    // A spoiler never shows in a label.
    expect((await page.locator('.charts').textContent())!).not.toMatch(/mayor/);

    await screenshot(page, 'charts-1280-light.png');

    // Live: a new argument and a reaction to it, without reopening anything.
    await ok(people.ann, 'post:create', { id: 'p-ann-03', parentId: null, body: 'A live point for the charts.' });
    await ok(people.bob, 'reaction:set', { postId: 'p-ann-03', emoji: '👎', on: true });
    await ok(people.dee, 'side:set', { side: 'against' });
    await expect.poll(() => summary(page, 'posts'), LIVE).toMatch(/^9 posts by side: For 5, Against 3, Undecided 1\./);
    await expect.poll(() => summary(page, 'reactions'), LIVE).toMatch(/^5 reactions\./);
    await expect.poll(() => tableOf(page, 'authors').then((rows) => rows.find((row) => row[0] === 'Ann')), LIVE).toEqual(['Ann', 'For', '3']);
    await expect.poll(() => tableOf(page, 'authors').then((rows) => rows.find((row) => row[0] === 'Dee')), LIVE).toEqual(['Dee', 'Against', '1']);

    // The colour scheme changes under the open panel: the charts follow.
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'charts-1280-dark.png');
    expect(await page.evaluate(() => (window as unknown as Watched).cspViolations)).toEqual([]);
    await context.close();
  }, 60_000);

  it('fits a phone in dark mode and in light', async () => {
    for (const scheme of ['dark', 'light'] as const) {
      const { context, page } = await viewer(roomId, { width: 375, height: 800 }, scheme);
      await openCharts(page);
      await expect.poll(() => summary(page, 'posts'), LIVE).toMatch(/^\d+ posts by side/);
      const widest = await page.locator('.charts canvas').evaluateAll((canvases) => Math.max(...canvases.map((c) => c.getBoundingClientRect().right)));
      expect(widest).toBeLessThanOrEqual(375);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(page, `charts-375-${scheme}.png`);
      expect(await page.evaluate(() => (window as unknown as Watched).cspViolations)).toEqual([]);
      await context.close();
    }
  }, 60_000);

  it('shows a hidden vote only as counts once it closes, and never who moved where', async () => {
    const { context, page } = await viewer(secretRoomId, { width: 1280, height: 900 }, 'light');
    await openCharts(page);
    expect(await summary(page, 'votes')).toBe('Opening vote: results hidden until it closes. Final vote: not held yet.');
    expect(await summary(page, 'flow')).toBe('Who moved where shows once both votes have opened.');

    await ok(people.host2, 'vote:manage', { action: 'close', vote: 'initial' });
    await ok(people.host2, 'vote:manage', { action: 'open', vote: 'final', hideResults: false });
    await ok(people.eve, 'vote:cast', { vote: 'final', choice: 'for' });
    await expect.poll(() => summary(page, 'votes'), LIVE).toBe('Opening vote: For 50% (1), Against 50% (1), Undecided 0% (0); 2 votes. Final vote (open): For 100% (1), Against 0% (0), Undecided 0% (0); 1 vote.');
    expect(await summary(page, 'flow')).toBe('Who moved where cannot be shown: the opening vote kept its ballots secret, so only totals are known.');
    await screenshot(page, 'charts-hidden-vote-1280.png');
    expect(await page.evaluate(() => (window as unknown as Watched).cspViolations)).toEqual([]);
    await context.close();
  }, 60_000);

  it('counts what the page holds in a room too long to read whole, and says so', async () => {
    const { context, page } = await viewer(bigRoomId, { width: 1280, height: 900 }, 'light');
    await openCharts(page, /threads loaded on this page/);
    const held = Number((await summary(page, 'posts'))!.match(/^(\d+) posts/)![1]);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(BIG_ROOM_POSTS);
    expect(await summary(page, 'reactions')).toBe('No reactions since these charts opened yet.');
    await ok(people.host3, 'post:create', { id: 'p-long-live', parentId: null, body: 'One more point.' });
    await ok(people.host3, 'reaction:set', { postId: 'p-long-live', emoji: '🔥', on: true });
    await expect.poll(() => summary(page, 'posts'), LIVE).toMatch(new RegExp(`^${held + 1} posts`));
    await expect.poll(() => summary(page, 'reactions'), LIVE).toMatch(/^1 reaction since these charts opened\./);
    expect(await page.evaluate(() => (window as unknown as Watched).cspViolations)).toEqual([]);
    await context.close();
  }, 60_000);
});
