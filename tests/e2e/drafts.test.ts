// No one loses what they typed: reply drafts survive Escape and Cancel, a post refused for a blocked
// term comes back into its composer with the words marked, a held post says so in place from the
// ack, blocked terms are saved as they are added, and the report dialog says one thing about who
// reads the reason. Real Chromium, the real server.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, newPerson, screenshotPath } from '../helpers/browser.js';
import { buildClient } from '../helpers/build-client.js';
import { disconnectAll, ok } from '../helpers/client.js';
import { becomeHost, focused, LIVE, seedRoom, takePart, type SeededRoom } from '../helpers/e2e-room.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = chromiumAvailable();
const article = (page: Page, id: string) => page.locator(`#post-${id}`);
const replyButton = (page: Page, id: string) => article(page, id).getByRole('button', { name: 'Reply', exact: true });

describe.skipIf(!run)('nothing typed is lost', () => {
  let server: TestServer;
  let browser: Browser;
  let seeded: SeededRoom;
  let host: Page;
  let bea: Page;

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startTestServer({ staticDir: dist });
    browser = await launchChromium();
    seeded = await seedRoom(server.url, { threads: 3 });
    ({ page: host } = await newPerson(browser, server.url));
    await becomeHost(host, seeded.roomId, seeded.hostToken);
    await host.goto(seeded.url);
    await host.getByTestId('mod-toggle').waitFor();
    ({ page: bea } = await newPerson(browser, server.url));
    await bea.goto(seeded.url);
    await takePart(bea, 'Bea');
  }, 60_000);

  afterAll(async () => {
    disconnectAll();
    await browser?.close();
    await server?.close();
  });

  it('Escape and Cancel close a reply box but keep its draft, one per post, until it is sent', async () => {
    await replyButton(bea, 'post-t0-root').click();
    await bea.getByLabel('Reply to Hana').fill('A first thought on point one');
    await bea.getByLabel('Reply to Hana').press('Escape');
    expect(await bea.getByLabel('Reply to Hana').count()).toBe(0);
    // Focus goes back to the Reply button it came from, not to the page.
    expect(await bea.evaluate(() => document.activeElement?.closest('article')?.id)).toBe('post-post-t0-root');
    expect(await focused(bea)).toBe('BUTTON Reply');

    await replyButton(bea, 'post-t1-root').click();
    await bea.getByLabel('Reply to Hana').fill('Another on point two');
    await article(bea, 'post-t1-root').getByRole('button', { name: 'Cancel' }).click();

    await replyButton(bea, 'post-t0-root').click();
    expect(await bea.getByLabel('Reply to Hana').inputValue()).toBe('A first thought on point one');
    // A reload loses nothing either.
    await bea.waitForTimeout(600);
    await bea.reload();
    await replyButton(bea, 'post-t1-root').click();
    expect(await bea.getByLabel('Reply to Hana').inputValue()).toBe('Another on point two');
    await bea.getByLabel('Reply to Hana').press('Control+Enter');
    // Sent: focus moves to the new reply; the draft is gone.
    await expect.poll(() => bea.evaluate(() => document.activeElement?.textContent ?? ''), LIVE).toContain('Another on point two');
    expect(await bea.evaluate(() => document.activeElement?.tagName)).toBe('ARTICLE');
    await replyButton(bea, 'post-t1-root').click();
    expect(await bea.getByLabel('Reply to Hana').inputValue()).toBe('');
    await bea.getByLabel('Reply to Hana').press('Escape');
  }, 30_000);

  it('blocked terms are saved as they are added: closing the drawer loses none', async () => {
    await host.getByTestId('mod-toggle').click();
    const panel = host.getByTestId('mod-panel');
    await panel.getByRole('tab', { name: /^Room/ }).click();
    await panel.getByLabel('Add a term').fill('idiot');
    await panel.getByLabel('When it appears').selectOption('reject');
    await panel.getByRole('button', { name: 'Add', exact: true }).click();
    await panel.getByLabel('Add a term').fill('tankie');
    await panel.getByLabel('When it appears').selectOption('hold');
    await panel.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => panel.locator('[data-terms-status]').textContent(), LIVE).toBe('Saved: posts with “tankie” are held for review.');
    await host.keyboard.press('Escape'); // no "Save" was pressed
    await expect.poll(() => panel.count(), LIVE).toBe(0);
    await expect.poll(async () => (await server.store.load(seeded.roomId))!.blockedTerms.map((t) => t.term), LIVE).toEqual(['idiot', 'tankie']);
    await host.getByTestId('mod-toggle').click();
    await panel.getByRole('tab', { name: /^Room/ }).click();
    expect(await panel.locator('[data-term]').evaluateAll((els) => els.map((el) => el.getAttribute('data-term')))).toEqual(['idiot', 'tankie']);
    await host.keyboard.press('Escape');
  }, 30_000);

  it('a post refused for a blocked term goes back into its composer, text intact, the refused words marked', async () => {
    await bea.getByLabel('Add to the debate').fill('Only an 1D10T would drive in. Truly, an idiot!');
    await bea.getByRole('button', { name: 'Post', exact: true }).click();
    const refused = bea.locator('[data-refused]');
    await expect.poll(() => refused.textContent(), LIVE).toContain('This room does not allow “idiot”');
    expect(await bea.getByLabel('Add to the debate').inputValue()).toBe('Only an 1D10T would drive in. Truly, an idiot!');
    expect(await refused.locator('mark').allTextContents()).toEqual(['1D10T', 'idiot!']);
    // No red copy at the end of the thread, and the first refused word is selected, ready to retype.
    expect(await bea.locator('[data-pending]').count()).toBe(0);
    expect(await bea.evaluate(() => {
      const el = document.activeElement as HTMLTextAreaElement;
      return el.value.slice(el.selectionStart, el.selectionEnd);
    })).toBe('1D10T');
    await bea.screenshot({ path: screenshotPath('drafts-refused-1280.png') });
    await bea.keyboard.type('fool');
    await bea.getByLabel('Add to the debate').fill('Only a fool would drive in.');
    await bea.getByRole('button', { name: 'Post', exact: true }).click();
    await expect.poll(() => bea.locator('article[data-post-id]:not([data-pending])', { hasText: 'Only a fool' }).count(), LIVE).toBe(1);
    expect(await refused.count()).toBe(0);

    // A reply too: its box opens again under the post it answered.
    await replyButton(bea, 'post-t2-root').click();
    await bea.getByLabel('Reply to Hana').fill('What an idiot plan.');
    await bea.getByLabel('Reply to Hana').press('Control+Enter');
    await expect.poll(() => article(bea, 'post-t2-root').locator('[data-refused] mark').textContent(), LIVE).toBe('idiot');
    expect(await article(bea, 'post-t2-root').getByLabel('Reply to Hana').inputValue()).toBe('What an idiot plan.');
    await article(bea, 'post-t2-root').getByRole('button', { name: 'Discard draft' }).click();
  }, 30_000);

  it('a post held for review says so in place as soon as the server acknowledges it', async () => {
    // The moment the post is held, the room's event about it is kept from this page for a while:
    // only the acknowledgement can tell it, as it does.
    await ok(seeded.host, 'mod:room', { action: 'blockedTerms', terms: [{ term: 'idiot', action: 'reject' }, { term: 'tankie', action: 'hold' }] });
    const { page, context } = await newPerson(browser, server.url);
    let holdBack = true;
    await context.routeWebSocket(/\/socket\.io\//, (ws) => {
      const upstream = ws.connectToServer();
      upstream.onMessage((message) => {
        if (holdBack && typeof message === 'string' && message.includes('"post.held"')) return;
        ws.send(message);
      });
    });
    await page.goto(seeded.url);
    await takePart(page, 'Cy');
    await page.getByLabel('Add to the debate').fill('Spoken like a true tankie.');
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    const mine = page.locator('article[data-pending]', { hasText: 'Spoken like a true tankie.' });
    await expect.poll(() => mine.getAttribute('data-pending'), { timeout: 1_000, interval: 25 }).toBe('held');
    expect(await mine.textContent()).toContain('Held for review');
    holdBack = false;
    await context.close();
  }, 30_000);

  it('the report dialog says one thing: only moderators see the reason', async () => {
    await bea.locator('#post-post-t0-root').getByRole('button', { name: 'Report' }).click();
    const dialog = bea.getByRole('dialog', { name: 'Report this post' });
    expect(await dialog.getByLabel('Reason (only moderators see it)').count()).toBe(1);
    expect(await dialog.textContent()).not.toMatch(/shown to everyone/);
    expect(await dialog.textContent()).toContain('Only the moderators see your report and your reason.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  }, 30_000);
});
