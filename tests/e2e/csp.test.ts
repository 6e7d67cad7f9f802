// The built client under the server's Content-Security-Policy, in real Chromium: a whole visit (open a
// room, take part, post, reply, react, reload) must not trip the policy once, and the policy must really be
// enforced (an inline script is refused). A page from another site cannot open the socket.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, newPerson } from '../helpers/browser.js';
import { buildClient } from '../helpers/build-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = chromiumAvailable();
const LIVE = { timeout: 10_000, interval: 50 };

type Watched = Window & { cspViolations: string[]; inlineScriptRan?: boolean };

/** Records every CSP violation the page reports, from before its first script runs. */
async function watchViolations(context: BrowserContext, consoleErrors: string[]) {
  await context.addInitScript(() => {
    const page = window as unknown as Watched;
    page.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      page.cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sample})`);
    });
  });
  context.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) consoleErrors.push(message.text());
  });
}

const violations = (page: Page) => page.evaluate(() => (window as unknown as Watched).cspViolations);

describe.skipIf(!run)('the client under its Content-Security-Policy', () => {
  let server: TestServer;
  let browser: Browser;
  let person: { context: BrowserContext; page: Page };
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startTestServer({ staticDir: dist });
    browser = await launchChromium();
    person = await newPerson(browser, server.url);
    await watchViolations(person.context, consoleErrors);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens a room, posts, replies, reacts and reloads without a single violation', async () => {
    const { page } = person;
    const response = await page.goto('/');
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);

    await page.getByLabel('Room title').fill('Policy club');
    await page.getByLabel(/Motion/).fill('This house believes that a strict policy costs nothing.');
    await page.getByRole('button', { name: 'Open the room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    await page.getByLabel('Display name').fill('Ada');
    await page.getByRole('button', { name: 'Take part' }).click();
    // The socket itself is under connect-src.
    await expect.poll(() => page.locator('[data-status]').first().getAttribute('data-status'), LIVE).toBe('connected');

    // Markdown, a spoiler, and HTML a hostile author might try: rendered or dropped, never a violation.
    const body = 'Strict **is** _cheap_: `code`, >!a spoiler!<, <b style="color:red" onclick="alert(1)">bold?</b> <img src=x onerror=alert(1)>';
    await page.getByLabel('Add to the debate').fill(body);
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    const post = page.locator('article[data-post-id]:not([data-pending])', { hasText: 'Strict' });
    await expect.poll(() => post.count(), LIVE).toBe(1);

    await post.getByRole('button', { name: 'Reply', exact: true }).click();
    await page.getByLabel('Reply to Ada').fill('And a reply.');
    await page.getByLabel('Reply to Ada').press('Control+Enter');
    await expect.poll(() => page.locator('article[data-post-id]:not([data-pending])').count(), LIVE).toBe(2);
    const fire = post.getByRole('button', { name: /^Fire/ });
    await fire.click();
    await expect.poll(() => fire.getAttribute('aria-pressed'), LIVE).toBe('true');

    await page.reload();
    await expect.poll(() => page.locator('article[data-post-id]').count(), LIVE).toBe(2);
    await expect.poll(() => page.locator('[data-status]').first().getAttribute('data-status'), LIVE).toBe('connected');

    expect(await violations(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 60_000);

  it('really enforces the policy: an inline script and an inline style attribute are refused', async () => {
    const { page } = person;
    const before = (await violations(page)).length;
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineScriptRan = true;';
      document.head.append(script);
      const styled = document.createElement('div');
      styled.innerHTML = '<span style="color: red">styled</span>';
      document.body.append(styled);
    });
    await expect.poll(async () => (await violations(page)).length - before).toBe(2);
    expect(await page.evaluate(() => (window as unknown as Watched).inlineScriptRan)).toBeUndefined();
    const refused = (await violations(page)).slice(before).join('\n');
    expect(refused).toMatch(/script-src-elem blocked inline/);
    expect(refused).toMatch(/style-src-attr blocked inline/);
    consoleErrors.length = 0;
  });

  it('a page on another site cannot open the socket; this site’s page can', async () => {
    const elsewhere: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    const socketUrl = `${server.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    const tryOpen = (page: Page) =>
      page.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(url);
            ws.onopen = () => (ws.close(), resolve('open'));
            ws.onerror = () => resolve('refused');
          }),
        socketUrl,
      );
    try {
      const { context, page } = await newPerson(browser, elsewhereUrl);
      await page.goto('/');
      expect(await tryOpen(page)).toBe('refused');
      await context.close();
      expect(await tryOpen(person.page)).toBe('open');
    } finally {
      elsewhere.close();
    }
  });
});
