// Reading and writing the thread in Chromium: deep threads, scroll anchoring under live inserts,
// spoilers, quote-reply, times, and hostile posts arriving through the real server.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, newPerson, screenshotPath } from '../helpers/browser.js';
import { buildClient } from '../helpers/build-client.js';
import { connect, disconnectAll, ok, type TestSocket } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = chromiumAvailable();
const LIVE = { timeout: 10_000, interval: 50 };
const id = (name: string) => `p-${name}-0000`;

describe.skipIf(!run)('the thread in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let host: TestSocket;
  let roomId = '';
  const dialogs: string[] = [];

  async function post(name: string, parent: string | null, body: string) {
    await ok(host, 'post:create', { id: id(name), parentId: parent ? id(parent) : null, body });
  }

  async function reader(viewport = { width: 1280, height: 700 }): Promise<Page> {
    const { page } = await newPerson(browser, server.url, viewport);
    page.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
    await page.goto(`/r/${roomId}`);
    await page.getByRole('button', { name: 'Just watch' }).click();
    await page.locator('article[data-post-id]').first().waitFor();
    return page;
  }

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startTestServer({ staticDir: dist });
    browser = await launchChromium();
    host = await connect(server.url);
    const created = await ok(host, 'room:create', { title: 'Threads', motion: 'This house prefers long threads' });
    roomId = created.roomId;
    await ok(host, 'room:join', { roomId, role: 'participant', name: 'Hana', token: created.hostToken });
    for (let i = 0; i < 30; i++) await post(`top${i}`, null, `Top-level point number ${i}.\n\nWith a second paragraph to give it height.`);
    // A chain twelve replies deep under the first post.
    let parent = 'top0';
    for (let d = 1; d <= 12; d++) {
      await post(`deep${d}`, parent, `Depth ${d} reply`);
      parent = `deep${d}`;
    }
  }, 60_000);

  afterAll(async () => {
    disconnectAll();
    await browser?.close();
    await server?.close();
  });

  it('indents replies up to depth 8, then continues the thread on its own, with a way back', async () => {
    const page = await reader();
    const level = (n: number) => page.locator(`li[aria-level="${n}"] > article`, { hasText: `Depth ${n - 1} reply` });
    expect(await level(8).count()).toBe(1);
    expect(await page.getByText('Depth 8 reply', { exact: true }).count()).toBe(0);
    const more = page.getByRole('link', { name: /Continue this thread/ });
    expect(await more.textContent()).toContain('5 more replies');

    await more.click();
    await page.waitForURL(/\?thread=/);
    await expect.poll(() => page.getByText('Depth 12 reply', { exact: true }).count(), LIVE).toBe(1);
    expect(await page.getByText('Top-level point number 5.').count()).toBe(0);
    await page.getByRole('link', { name: '↑ Up one level' }).click();
    await expect.poll(() => page.getByText('Depth 6 reply', { exact: true }).count(), LIVE).toBe(1);
    await page.getByRole('link', { name: '← Back to the full debate' }).click();
    await expect.poll(() => page.getByText('Top-level point number 5.').count(), LIVE).toBe(1);
    expect(await page.getByText('Depth 12 reply', { exact: true }).count()).toBe(0);
    await page.goBack();
    await expect.poll(() => page.getByText('Depth 6 reply', { exact: true }).count(), LIVE).toBe(1);
    expect(new URL(page.url()).searchParams.get('thread')).toBe(id('deep6'));
    await page.close();
  }, 30_000);

  it('keeps what the reader is looking at still when replies land above it', async () => {
    const page = await reader();
    const anchor = page.locator(`#post-${id('top20')}`);
    await anchor.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const before = await anchor.evaluate((el) => el.getBoundingClientRect().top);
    const scrollBefore = await page.evaluate(() => window.scrollY);

    for (let i = 0; i < 3; i++) await post(`above${i}`, 'top3', `A reply landing above the reader, ${i}.\n\nTwo paragraphs tall.`);
    await expect.poll(() => page.locator('article', { hasText: 'landing above the reader' }).count(), LIVE).toBe(3);
    await page.waitForTimeout(100);

    const after = await anchor.evaluate((el) => el.getBoundingClientRect().top);
    expect(Math.abs(after - before)).toBeLessThanOrEqual(2);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(scrollBefore + 100);
    await page.close();
  }, 30_000);

  it('reveals spoilers by click or keyboard, and shows relative times with the exact time on hover', async () => {
    await post('spoiler', null, 'The twist: >!the butler did it!< and >!so did the cook!<');
    const page = await reader();
    const spoilers = page.locator(`#post-${id('spoiler')} .spoiler`);
    await expect.poll(() => spoilers.count(), LIVE).toBe(2);
    const first = spoilers.nth(0);
    expect(await first.evaluate((el) => getComputedStyle(el).color)).toBe('rgba(0, 0, 0, 0)');
    expect(await first.getAttribute('aria-expanded')).toBe('false');
    await first.focus();
    await page.keyboard.press('Enter');
    expect(await first.getAttribute('aria-expanded')).toBe('true');
    expect(await first.evaluate((el) => getComputedStyle(el).color)).not.toBe('rgba(0, 0, 0, 0)');
    await spoilers.nth(1).click();
    expect(await spoilers.nth(1).getAttribute('class')).toContain('is-revealed');

    const time = page.locator(`#post-${id('spoiler')} time`);
    expect(await time.textContent()).toBe('just now');
    expect(new Date((await time.getAttribute('datetime'))!).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await time.getAttribute('title')).toMatch(/\d/);
    await page.close();
  }, 30_000);

  it('quote-reply quotes the selection, or the whole post when nothing is selected', async () => {
    await post('quoted', null, 'Cities are for people, not for parking.');
    const { page } = await newPerson(browser, server.url);
    await page.goto(`/r/${roomId}`);
    await page.getByLabel('Display name').fill('Quinn');
    await page.getByRole('button', { name: 'Take part' }).click();
    const target = page.locator(`#post-${id('quoted')}`);
    await target.waitFor();

    await target.locator('.post-body p').evaluate((p) => {
      const text = p.firstChild!;
      const range = document.createRange();
      range.setStart(text, 'Cities are for '.length);
      range.setEnd(text, 'Cities are for people'.length);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    await target.getByRole('button', { name: 'Quote' }).click();
    // The quote is a reference to the post (shown above the field, sent with the reply), not text in the field.
    const box = page.getByLabel('Reply to Hana');
    const preview = page.locator('.composer__quote');
    expect(await box.inputValue()).toBe('');
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    expect((await preview.locator('figcaption').textContent())?.trim()).toBe('Hana wrote (part):');
    expect((await preview.locator('blockquote').textContent())?.trim()).toBe('people');
    await box.pressSequentially('Half a thought');
    await box.press('Escape');
    // Escape keeps the draft for that post (until sent or discarded): Reply brings it back.
    await target.getByRole('button', { name: 'Reply', exact: true }).click();
    expect(await page.getByLabel('Reply to Hana').inputValue()).toBe('Half a thought');
    await target.getByRole('button', { name: 'Discard draft' }).click();
    expect(await page.getByLabel('Reply to Hana').count()).toBe(0);

    await page.evaluate(() => getSelection()!.removeAllRanges());
    await target.getByRole('button', { name: 'Quote' }).click();
    expect((await preview.locator('blockquote').textContent())?.trim()).toBe('Cities are for people, not for parking.');
    await page.getByLabel('Reply to Hana').pressSequentially('Parking is people too.');
    await page.getByLabel('Reply to Hana').press('Control+Enter');
    const reply = page.locator(`li:has(> #post-${id('quoted')}) li article`, { hasText: 'Parking is people too.' });
    await expect.poll(() => reply.count(), LIVE).toBe(1);
    expect(await reply.locator('figcaption').textContent()).toContain('Hana wrote:');
    expect(await reply.locator('blockquote').textContent()).toContain('Cities are for people');

    // Everything on the page is reachable and named: no unlabelled buttons or fields.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('button, input, textarea, a[href]')]
        .filter((el) => !(el.getAttribute('aria-label') || (el as HTMLElement).innerText?.trim() || (el as HTMLInputElement).labels?.length))
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unlabelled).toEqual([]);
    await page.close();
  }, 30_000);

  it('hostile posts arrive through the server and stay inert', async () => {
    const page = await reader();
    const bodies = [
      '<script>alert("script")</script>',
      '<img src=x onerror=alert("img")>',
      '[click me](javascript:alert("link"))',
      '>!<svg onload=alert("svg")>!<',
      'a [fine link](https://example.com/safe) here',
    ];
    for (const [i, body] of bodies.entries()) await post(`xss${i}`, null, body);
    await expect.poll(() => page.locator(`#post-${id('xss4')}`).count(), LIVE).toBe(1);
    const found = await page.locator('.post-body').evaluateAll((bodies) =>
      bodies.flatMap((b) => [...b.querySelectorAll('script, img, svg, iframe, [onerror], [onload], a[href^="javascript" i]')].map((el) => el.outerHTML)),
    );
    expect(found).toEqual([]);
    expect(await page.getByText('<script>alert("script")</script>').count()).toBe(1); // shown as text
    const link = page.locator(`#post-${id('xss4')} .post-body a`);
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener nofollow ugc');
    expect(dialogs).toEqual([]);
    await page.close();
  }, 30_000);

  it('screenshots a deep thread at 1280 and 375 px', async () => {
    for (const width of [1280, 375]) {
      const page = await reader({ width, height: 900 });
      await page.locator(`#post-${id('top0')}`).scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath(`thread-${width}.png`) });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.close();
    }
  }, 30_000);
});
