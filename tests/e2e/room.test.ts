// The whole room in real Chromium against the real server: a host, a participant and a viewer in
// three browser profiles. Every change must reach the others live; a dropped network must lose and
// double nothing.
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, newPerson, screenshotPath } from '../helpers/browser.js';
import { buildClient } from '../helpers/build-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = chromiumAvailable();
const LIVE = { timeout: 10_000, interval: 50 };

const posts = (page: Page) => page.locator('article[data-post-id]');
const confirmed = (page: Page) => page.locator('article[data-post-id]:not([data-pending])');
const pending = (page: Page) => page.locator('article[data-pending]');
const postWith = (page: Page, text: string) => page.locator('article[data-post-id]', { hasText: text });
const status = (page: Page) => page.locator('[data-status]').first();

async function postIds(page: Page): Promise<string[]> {
  return page.locator('article[data-post-id]').evaluateAll((els) => els.map((el) => el.getAttribute('data-post-id')!));
}

describe.skipIf(!run)('a debate room in three browsers', () => {
  let server: TestServer;
  let browser: Browser;
  let host: { context: BrowserContext; page: Page };
  let participant: { context: BrowserContext; page: Page };
  let viewer: { context: BrowserContext; page: Page };
  let roomUrl = '';
  const dialogs: string[] = [];
  /** The participant's WebSockets pass through here, so a test can cut one as a dying network would. */
  const sockets: { page: WebSocketRoute; server: WebSocketRoute }[] = [];

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startTestServer({ staticDir: dist });
    browser = await launchChromium();
    host = await newPerson(browser, server.url);
    participant = await newPerson(browser, server.url);
    viewer = await newPerson(browser, server.url);
    await participant.context.routeWebSocket(/\/socket\.io\//, (ws) => {
      sockets.push({ page: ws, server: ws.connectToServer() });
    });
    for (const p of [host, participant, viewer]) p.page.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the host opens a room, names themself, and gets one link to share', async () => {
    const { page, context } = host;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.goto('/');
    await page.getByRole('button', { name: 'Open the room' }).click();
    await expect.poll(() => page.getByText('This cannot be empty.').count()).toBe(1); // validated with the shared schema

    await page.getByLabel('Room title').fill('Friday debate club');
    await page.getByLabel(/Motion/).fill('This house believes that cities should ban cars from their centres.');
    await page.getByRole('button', { name: 'Open the room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    roomUrl = page.url();

    await expect.poll(() => page.getByRole('heading', { name: 'You opened “Friday debate club”' }).count()).toBe(1);
    await page.getByLabel('Display name').fill('Ada');
    await page.getByRole('button', { name: 'Take part' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Friday debate club');
    await expect.poll(() => page.getByText('This house believes that cities should ban cars').count()).toBe(1);
    expect(await page.getByLabel('Invite people with this link').inputValue()).toBe(roomUrl);
    await page.getByRole('button', { name: 'Copy link' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(roomUrl);
    await expect.poll(() => status(page).getAttribute('data-status'), LIVE).toBe('connected');

    await page.getByLabel('Add to the debate').fill('Cars in centres cost **lives** and space.');
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await expect.poll(() => confirmed(page).count(), LIVE).toBe(1);
  }, 60_000);

  it('a host who reloads is still the host, with no question asked', async () => {
    const { page } = host;
    await page.reload();
    await expect.poll(() => page.locator('.presence li', { hasText: 'Ada' }).textContent(), LIVE).toMatch(/Ada\s*you\s*host/);
    expect(await page.getByLabel('Display name').count()).toBe(0);
    expect(await page.getByLabel('Invite people with this link').count()).toBe(1);
  }, 30_000);

  it('a participant joins with a name (a taken one is refused by the field) and a viewer just watches', async () => {
    const { page } = participant;
    await page.goto(roomUrl);
    await page.getByLabel('Display name').fill('ada');
    await page.getByRole('button', { name: 'Take part' }).click();
    const error = page.locator('#join-name-error');
    await expect.poll(() => error.textContent(), LIVE).toMatch(/already taken/);
    expect(await page.getByLabel('Display name').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Display name').fill('Bea');
    await page.getByRole('button', { name: 'Take part' }).click();
    await expect.poll(() => confirmed(page).count(), LIVE).toBe(1);

    await viewer.page.goto(roomUrl);
    await viewer.page.getByRole('button', { name: 'Just watch' }).click();
    await expect.poll(() => viewer.page.getByText('You are watching.').count(), LIVE).toBe(1);
    expect(await viewer.page.getByLabel('Add to the debate').count()).toBe(0);
    await expect.poll(() => host.page.getByTestId('viewer-count').textContent(), LIVE).toBe('1 watching');
    await expect.poll(() => viewer.page.locator('.presence li.is-online').count(), LIVE).toBe(2);
  }, 30_000);

  it('posts, replies and reactions appear live for everyone', async () => {
    const p = participant.page;
    const v = viewer.page;
    await p.getByLabel('Add to the debate').fill('Buses need the road space too.');
    await p.getByRole('button', { name: 'Post', exact: true }).click();
    await expect.poll(() => postWith(v, 'Buses need the road space').count(), LIVE).toBe(1);

    const hostPost = postWith(p, 'Cars in centres cost');
    await hostPost.getByRole('button', { name: 'Reply', exact: true }).click();
    await p.getByLabel('Reply to Ada').fill('What about deliveries?');
    await p.getByLabel('Reply to Ada').press('Control+Enter');
    // Nested: the reply sits in a list inside the host post's list item, one level deeper.
    const nested = v.locator('li[aria-level="1"]:has(> article:has-text("Cars in centres cost")) li[aria-level="2"] article', {
      hasText: 'What about deliveries?',
    });
    await expect.poll(() => nested.count(), LIVE).toBe(1);

    const fire = hostPost.getByRole('button', { name: /^Fire/ });
    await fire.click();
    await expect.poll(() => fire.getAttribute('aria-pressed'), LIVE).toBe('true');
    const viewerFire = postWith(v, 'Cars in centres cost').locator('[data-emoji="🔥"]');
    await expect.poll(() => viewerFire.getAttribute('aria-label'), LIVE).toBe('Fire, 1');
    await fire.click();
    await expect.poll(() => viewerFire.count(), LIVE).toBe(0);
    expect(await fire.getAttribute('aria-pressed')).toBe('false');
    await fire.click();
    await expect.poll(() => viewerFire.getAttribute('aria-label'), LIVE).toBe('Fire, 1');
    await expect.poll(() => postWith(host.page, 'Cars in centres cost').getByRole('button', { name: 'Fire, 1' }).getAttribute('aria-pressed'), LIVE).toBe('false');

    expect(await postIds(v)).toEqual(await postIds(p));
    expect(await posts(v).count()).toBe(3);
  }, 30_000);

  it('edits and deletes (with a confirmation) show live; a deleted post keeps its replies', async () => {
    const p = participant.page;
    const v = viewer.page;
    // Found by id: while editing, the text lives in a textarea that text filters do not see.
    const mine = p.locator(`#post-${await postWith(p, 'Buses need the road space').getAttribute('data-post-id')}`);
    await mine.getByRole('button', { name: 'Edit' }).click();
    await mine.getByLabel('Edit your post').fill('Buses and bikes need the road space too.');
    await mine.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => postWith(v, 'Buses and bikes').locator('.post__edited').count(), LIVE).toBe(1);

    // Host replies to it, then the participant deletes it: the tombstone keeps the reply under it.
    const onHost = postWith(host.page, 'Buses and bikes');
    await onHost.getByRole('button', { name: 'Reply', exact: true }).click();
    await host.page.getByLabel('Reply to Bea').fill('Bikes, yes.');
    await host.page.getByRole('button', { name: 'Reply', exact: true }).last().click();
    await expect.poll(() => postWith(p, 'Bikes, yes.').count(), LIVE).toBe(1);

    const target = postWith(p, 'Buses and bikes');
    await target.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => p.getByText('Delete this post?').count()).toBe(1);
    await target.getByRole('button', { name: 'Keep it' }).click();
    expect(await postWith(v, 'Buses and bikes').count()).toBe(1);
    await target.getByRole('button', { name: 'Delete' }).click();
    await target.getByRole('button', { name: 'Delete', exact: true }).click();
    const tomb = v.locator('li:has(> article:has-text("deleted by author"))');
    await expect.poll(() => tomb.count(), LIVE).toBe(1);
    expect(await tomb.locator('article', { hasText: 'Bikes, yes.' }).count()).toBe(1);
    expect(await v.getByText('Buses and bikes').count()).toBe(0);
  }, 30_000);

  it('drops and comes back: posts written offline are sent once, nobody misses or doubles anything', async () => {
    const p = participant.page;
    const v = viewer.page;
    const before = await posts(v).count();

    await participant.context.setOffline(true);
    await expect.poll(() => status(p).getAttribute('data-status'), LIVE).toBe('offline');
    await p.getByLabel('Add to the debate').fill('Written on the train, offline.');
    await p.getByRole('button', { name: 'Post', exact: true }).click();
    await p.getByLabel('Add to the debate').fill('A second thought, still offline.');
    await p.getByRole('button', { name: 'Post', exact: true }).click();
    await postWith(p, 'Cars in centres cost').getByRole('button', { name: 'Reply', exact: true }).click();
    await p.getByLabel('Reply to Ada').fill('An offline reply.');
    await p.getByLabel('Reply to Ada').press('Control+Enter');
    expect(await pending(p).count()).toBe(3);
    expect(await pending(p).first().textContent()).toContain('Sending…');

    // Meanwhile the room moves on without them.
    await host.page.getByLabel('Add to the debate').fill('Posted while Bea was away.');
    await host.page.getByRole('button', { name: 'Post', exact: true }).click();
    await expect.poll(() => postWith(v, 'Posted while Bea was away').count(), LIVE).toBe(1);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await postWith(v, 'offline').count()).toBe(0);

    await participant.context.setOffline(false);
    await expect.poll(() => status(p).getAttribute('data-status'), { timeout: 15_000 }).toBe('connected');
    await expect.poll(() => pending(p).count(), LIVE).toBe(0);
    await expect.poll(() => posts(v).count(), LIVE).toBe(before + 4);
    await expect.poll(() => posts(p).count(), LIVE).toBe(before + 4);
    expect(await postWith(p, 'Posted while Bea was away').count()).toBe(1);

    const truth = (await server.store.load(roomUrl.split('/r/')[1]))!;
    for (const page of [p, v, host.page]) {
      await expect.poll(() => postIds(page), LIVE).toHaveLength(truth.postOrder.length);
      const ids = await postIds(page);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual([...truth.postOrder].sort());
    }
    expect(truth.postOrder.length).toBe(before + 4);
  }, 60_000);

  it('a socket forced closed mid-post re-joins, syncs and still shows each post once', async () => {
    const p = participant.page;
    const v = viewer.page;
    const before = await posts(v).count();
    expect(sockets.length).toBeGreaterThan(0);
    const { page: pageSide, server: serverSide } = sockets.at(-1)!;
    const socketsBefore = sockets.length;
    await p.getByLabel('Add to the debate').fill('Sent across a reconnect.');
    // Cut the live WebSocket at both ends, then post straight away.
    await pageSide.close({ code: 4000, reason: 'cut by the test' });
    await serverSide.close({ code: 4000, reason: 'cut by the test' });
    await p.getByRole('button', { name: 'Post', exact: true }).click();
    // Meanwhile someone else posts; the participant catches up by room:sync after re-joining.
    await host.page.getByLabel('Add to the debate').fill('Posted during the cut.');
    await host.page.getByRole('button', { name: 'Post', exact: true }).click();

    await expect.poll(() => sockets.length, { timeout: 15_000 }).toBeGreaterThan(socketsBefore);
    await expect.poll(() => posts(v).count(), { timeout: 15_000 }).toBe(before + 2);
    await expect.poll(() => posts(p).count(), LIVE).toBe(before + 2);
    await expect.poll(() => pending(p).count(), LIVE).toBe(0);
    expect(await postWith(p, 'Sent across a reconnect.').count()).toBe(1);
    expect(await postWith(v, 'Sent across a reconnect.').count()).toBe(1);
    expect(await postWith(p, 'Posted during the cut.').count()).toBe(1);
    expect(await postIds(p)).toEqual(await postIds(v));
    expect(dialogs).toEqual([]);
  }, 30_000);

  it('screenshots of the room at 1280 and 375 px, light and dark', async () => {
    const v = viewer.page;
    await v.setViewportSize({ width: 1280, height: 900 });
    await v.screenshot({ path: screenshotPath('room-1280.png'), fullPage: true });
    await participant.page.screenshot({ path: screenshotPath('room-participant-1280.png'), fullPage: true });
    await v.emulateMedia({ colorScheme: 'dark' });
    await v.screenshot({ path: screenshotPath('room-1280-dark.png'), fullPage: true });
    await v.emulateMedia({ colorScheme: 'light' });
    await participant.page.setViewportSize({ width: 375, height: 812 });
    await participant.page.screenshot({ path: screenshotPath('room-375.png'), fullPage: true });
    // Nothing may overflow sideways on a phone.
    const overflow = await participant.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await host.page.goto('/');
    await host.page.screenshot({ path: screenshotPath('landing-1280.png') });
  }, 30_000);
});
