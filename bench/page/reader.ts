import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PROBE } from './measure.js';

/**
 * A returning viewer of a seeded room (the page joins at once, no form to click through), with the
 * bench's probe installed before the page's own scripts. Shared by the bench and its profiling tools.
 */
export async function newReader(browser: Browser, roomId: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  // tsx keeps function names with a __name() helper that the page does not have.
  await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
  await context.addInitScript(([id]) => localStorage.setItem(`debate:room:${id}`, JSON.stringify({ token: '', role: 'viewer' })), [roomId]);
  await context.addInitScript(PROBE);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  return { context, page };
}

/** Open the room and wait for its first post on screen. */
export async function openRoom(page: Page, serverUrl: string, roomId: string): Promise<void> {
  await page.goto(`${serverUrl}/r/${roomId}`);
  await page.waitForFunction(() => (window as unknown as { __firstPost: number | null }).__firstPost !== null, null, { timeout: 60_000 });
}

/** Sort the room by new, from the top: the whole room, older threads paged in as the reader nears the end. */
export async function sortByNew(page: Page): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await page.waitForTimeout(500);
}
