// One person's screen never disagrees with another's: a host, participants and viewers in separate
// Chromium profiles against the real server. Newcomers reach everyone's "In the room" at once, a mute
// ends on every screen when it ends (on a clock moved forward, the server's and the pages'), a removed
// post's text is nowhere on the page (its quotes included), and a banned or unreachable person is not
// shown online.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, newPerson, screenshotPath } from '../helpers/browser.js';
import { buildClient } from '../helpers/build-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = chromiumAvailable();
const LIVE = { timeout: 10_000, interval: 50 };

type Person = { context: BrowserContext; page: Page };
const member = (page: Page, name: string) => page.locator(`.presence li[data-member="${name}"]`);
const memberMenu = (page: Page, name: string) => member(page, name).getByRole('button', { name: `Moderate ${name}` });
const postWith = (page: Page, text: string) => page.locator('article[data-post-id]:not([data-pending])', { hasText: text });
const counts = (page: Page) => page.locator('.presence__counts');
const dialog = (page: Page, name: string | RegExp) => page.getByRole('dialog', { name });
/** Everything this page holds, visible or not (hidden text, attributes), but not the devtools' view of the store. */
const pageText = (page: Page) => page.content();

async function choose(page: Page, menuButton: Locator, action: string) {
  await menuButton.click();
  await page.locator(`[data-action="${action}"]`).click();
}

/** The moderation menu on a person lists these actions (then closes). */
async function offered(page: Page, name: string): Promise<string[]> {
  await memberMenu(page, name).click();
  const items = page.locator('.menu-item[data-action]');
  await items.first().waitFor();
  const keys = await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-action') ?? ''));
  await page.keyboard.press('Escape');
  return keys;
}

async function post(page: Page, text: string) {
  await page.getByLabel('Add to the debate').fill(text);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect.poll(() => postWith(page, text).count(), LIVE).toBe(1);
}

describe.skipIf(!run)('everyone sees the same room', () => {
  let server: TestServer;
  let browser: Browser;
  /** How far the server's clock and the pages' clocks have been moved ahead of the real one. */
  let skewMs = 0;
  let host: Person, bea: Person, vic: Person, cy: Person;
  const people: Person[] = [];
  let roomUrl = '';
  const errors: string[] = [];

  async function person(): Promise<Person> {
    const p = await newPerson(browser, server.url);
    // Each page runs on a clock the test can move, as the server's is (AppDeps.now).
    await p.context.clock.install({ time: Date.now() + skewMs });
    p.page.on('pageerror', (e) => errors.push(e.message));
    people.push(p);
    return p;
  }

  beforeAll(async () => {
    const dist = await buildClient();
    // Presence recounts rarely here (as on a busy server): what the pages show must not wait for them.
    server = await startTestServer({ staticDir: dist, now: () => Date.now() + skewMs, presenceIntervalMs: 30_000 });
    browser = await launchChromium();
    host = await person();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a newcomer is in everyone’s “In the room” at once, and the host can act on them before they post', async () => {
    const h = host.page;
    await h.goto('/');
    await h.getByLabel('Room title').fill('Cars out of the centre?');
    await h.getByLabel(/Motion/).fill('This house would ban private cars from city centres.');
    await h.getByRole('button', { name: 'Open the room' }).click();
    await h.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    roomUrl = h.url();
    await h.getByLabel('Display name').fill('Ada');
    await h.getByRole('button', { name: 'Take part' }).click();
    await post(h, 'Cars in centres cost lives and space.');

    vic = await person();
    await vic.page.goto(roomUrl);
    await vic.page.getByRole('button', { name: 'Just watch' }).click();
    await member(vic.page, 'Ada').waitFor();

    bea = await person();
    await bea.page.goto(roomUrl);
    await bea.page.getByLabel('Display name').fill('Bea');
    await bea.page.getByRole('button', { name: 'Take part' }).click();
    for (const page of [h, vic.page, bea.page]) {
      await expect.poll(() => member(page, 'Bea').count(), LIVE).toBe(1);
      await expect.poll(() => counts(page).textContent(), LIVE).toMatch(/of 2 participants/);
    }
    expect(await offered(h, 'Bea')).toEqual(expect.arrayContaining(['mute', 'ban', 'promote']));

    // A viewer who decides to take part reaches everyone the same way.
    cy = await person();
    await cy.page.goto(roomUrl);
    await cy.page.getByRole('button', { name: 'Just watch' }).click();
    await cy.page.getByRole('button', { name: 'Take part' }).click();
    await cy.page.getByLabel('Display name').fill('Cy');
    await cy.page.getByRole('button', { name: 'Take part' }).click();
    for (const page of [h, vic.page, bea.page, cy.page]) {
      await expect.poll(() => member(page, 'Cy').count(), LIVE).toBe(1);
      await expect.poll(() => counts(page).textContent(), LIVE).toMatch(/of 3 participants/);
    }
    expect(await offered(h, 'Cy')).toEqual(expect.arrayContaining(['mute', 'ban']));
  }, 60_000);

  it('when a mute runs out it ends on every screen, and the host is offered Mute again', async () => {
    const h = host.page;
    await choose(h, memberMenu(h, 'Bea'), 'mute');
    const mute = dialog(h, 'Mute Bea');
    await mute.getByText('5 min', { exact: true }).click();
    await mute.getByRole('button', { name: 'Mute', exact: true }).click();
    for (const page of [h, vic.page, bea.page]) await expect.poll(() => member(page, 'Bea').textContent(), LIVE).toContain('muted');
    await expect.poll(() => bea.page.locator('[data-notice="muted"]').count(), LIVE).toBe(1);
    expect(await offered(h, 'Bea')).toContain('unmute');

    // Five minutes pass: on the server's clock and every page's, with no event and no reload. The
    // pages' timers do not fire for it (as after a laptop's sleep): each page's clock must notice.
    skewMs += 5 * 60_000 + 2_000;
    for (const { page } of people) await page.clock.setSystemTime(Date.now() + skewMs);
    const SOON = { timeout: 15_000, interval: 100 };
    for (const page of [h, vic.page, bea.page, cy.page]) await expect.poll(() => member(page, 'Bea').textContent(), SOON).not.toContain('muted');
    await expect.poll(() => bea.page.locator('[data-notice="muted"]').count(), SOON).toBe(0);
    const offer = await offered(h, 'Bea');
    expect(offer).toContain('mute');
    expect(offer).not.toContain('unmute');
    // And the server agrees: Bea can post again.
    await post(bea.page, 'Buses need the road space too.');
  }, 60_000);

  it('a removed post’s text is nowhere on a viewer’s or a late joiner’s page, its quotes included', async () => {
    const secret = 'The treasurer takes bribes';
    await post(bea.page, `${secret}, everyone knows it.`);
    const h = host.page;
    // The host quotes part of it (a selection) and replies.
    const quoted = postWith(h, secret);
    await quoted.locator('.post-body p').evaluate((p, text) => {
      const node = p.firstChild!;
      const range = document.createRange();
      range.setStart(node, 4);
      range.setEnd(node, text.length);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    }, secret);
    await quoted.getByRole('button', { name: 'Quote' }).click();
    await h.getByLabel('Reply to Bea').fill('Source? That is a serious claim.');
    await h.getByLabel('Reply to Bea').press('Control+Enter');
    for (const page of [h, vic.page]) {
      const reply = postWith(page, 'Source? That is a serious claim.');
      await expect.poll(() => reply.locator('figcaption').textContent(), LIVE).toContain('Bea wrote (part):');
      expect((await reply.locator('blockquote').textContent())?.trim()).toBe('treasurer takes bribes');
    }
    await postWith(vic.page, 'Source?').screenshot({ path: screenshotPath('shared-view-quote-1280.png') });

    await choose(h, postWith(h, secret).getByRole('button', { name: /^Moderate this post/ }), 'remove');
    const remove = dialog(h, 'Remove Bea’s post');
    await remove.getByRole('button', { name: 'Misinformation' }).click();
    await remove.getByRole('button', { name: 'Remove post' }).click();

    const v = vic.page;
    await expect.poll(() => postWith(v, 'Source?').locator('blockquote').textContent(), LIVE).toContain('[removed]');
    expect(await pageText(v)).not.toContain('treasurer');
    await postWith(v, 'Source?').screenshot({ path: screenshotPath('shared-view-quote-removed-1280.png') });
    const late = await person();
    await late.page.goto(roomUrl);
    await late.page.getByRole('button', { name: 'Just watch' }).click();
    await expect.poll(() => postWith(late.page, 'Source?').locator('blockquote').textContent(), LIVE).toContain('[removed]');
    expect(await pageText(late.page)).not.toContain('treasurer');
    // The host's quote does not unfold it either (the tombstone does, on purpose).
    expect(await postWith(h, 'Source?').locator('blockquote').textContent()).toContain('[removed]');
  }, 60_000);

  it('a banned person is not shown online anywhere, even before the next presence count', async () => {
    const h = host.page;
    // Once a count has Cy online, the next is up to 30 s away (see presenceIntervalMs above).
    await expect.poll(() => member(h, 'Cy').getAttribute('class'), { timeout: 35_000, interval: 50 }).toContain('is-online');
    await choose(h, memberMenu(h, 'Cy'), 'ban');
    const ban = dialog(h, 'Ban Cy');
    await ban.getByRole('button', { name: 'Spam' }).click();
    await ban.getByRole('button', { name: 'Ban Cy' }).click();
    for (const page of [h, vic.page, bea.page]) {
      await expect.poll(() => member(page, 'Cy').textContent(), LIVE).toContain('banned');
      expect(await member(page, 'Cy').getAttribute('class')).not.toContain('is-online');
    }
  }, 60_000);

  it('a disconnected page shows presence as unknown, not everyone green; back online it is live again', async () => {
    const v = vic.page;
    await expect.poll(() => v.locator('.presence li.is-online').count(), LIVE).toBeGreaterThan(0);
    await vic.context.setOffline(true);
    await expect.poll(() => v.getByTestId('presence-unknown').textContent(), LIVE).toMatch(/offline: who is online is unknown/);
    expect(await v.locator('.presence li.is-online').count()).toBe(0);
    expect(await v.getByTestId('viewer-count').count()).toBe(0);
    await v.locator('.presence').screenshot({ path: screenshotPath('shared-view-presence-offline-1280.png') });
    await vic.context.setOffline(false);
    await expect.poll(() => v.locator('.presence li.is-online').count(), { timeout: 15_000, interval: 100 }).toBeGreaterThan(0);
    expect(await v.getByTestId('presence-unknown').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 40_000);
});
