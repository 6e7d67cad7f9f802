// Arriving by a link, as a newcomer would, in Chromium at 1280 and 375 px: the room shows before
// anything is asked, a bad link says so at once, a phone's first screen is the debate, and the host
// is told which room they opened and how to get their controls back after "just watch".
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, newPerson, screenshotPath } from '../helpers/browser.js';
import { buildClient } from '../helpers/build-client.js';
import { connect, disconnectAll, ok } from '../helpers/client.js';
import { LIVE, seedRoom, type SeededRoom } from '../helpers/e2e-room.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = chromiumAvailable();
const PHONE = { width: 375, height: 812 };

describe.skipIf(!run)('arriving by a link', () => {
  let server: TestServer;
  let browser: Browser;
  let seeded: SeededRoom;

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startTestServer({ staticDir: dist });
    browser = await launchChromium();
    seeded = await seedRoom(server.url, { threads: 6, replies: 2 });
    await ok(seeded.host, 'phase:set', { phase: 'open', minutes: null });
  }, 60_000);

  afterAll(async () => {
    disconnectAll();
    await browser?.close();
    await server?.close();
  });

  it('a stranger with the link reads the room at once: title, motion, phase, head-count, the thread; watching by default', async () => {
    const { page } = await newPerson(browser, server.url);
    await page.goto(seeded.url);
    // Nothing clicked: the room itself is the first screen.
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), LIVE).toBe('Cars out of the centre?');
    await expect.poll(() => page.title()).toBe('Cars out of the centre? · Debate rooms');
    expect(await page.getByText('This house would ban private cars from city centres.').isVisible()).toBe(true);
    expect(await page.locator('[aria-current="step"]').textContent()).toContain('Open floor');
    await expect.poll(() => page.locator('article[data-post-id]').count(), LIVE).toBe(18);
    await expect.poll(() => page.getByTestId('viewer-count').textContent(), LIVE).toBe('1 watching');
    // The way in is right there, name field inline; watching needs no choice.
    const takePart = page.locator('[data-take-part]');
    expect(await takePart.getByRole('heading').textContent()).toBe('Take part in the debate');
    expect(await takePart.getByLabel('Display name').isVisible()).toBe(true);
    expect(await page.getByLabel('Add to the debate').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('arrival-1280.png') });

    await takePart.getByLabel('Display name').fill('Nell');
    await takePart.getByRole('button', { name: 'Take part' }).click();
    await expect.poll(() => page.getByLabel('Add to the debate').count(), LIVE).toBe(1);
    // Focus goes on to writing, never to the page body.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('placeholder'))).toBe('Make your point…');
    await page.close();
  }, 30_000);

  it('a link to a room that does not exist says so at once, before any choice', async () => {
    const { page } = await newPerson(browser, server.url);
    await page.goto('/r/nosuchroom9');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), LIVE).toBe('This room does not exist');
    expect(await page.getByLabel('Display name').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Just watch|Take part/ }).count()).toBe(0);
    expect(await page.title()).toBe('No such room · Debate rooms');
    await page.close();
  }, 30_000);

  it('on a 375 px phone the first screen shows the first posts; side, people, minds and log fold into one bar', async () => {
    const { page } = await newPerson(browser, server.url, PHONE);
    await page.goto(seeded.url);
    await page.locator('article[data-post-id]').first().waitFor();
    await page.screenshot({ path: screenshotPath('arrival-375.png') });
    const firstPost = await page.locator('article[data-post-id]').first().boundingBox();
    expect(firstPost!.y + 40).toBeLessThan(PHONE.height); // at least the first post's opening lines are on the first screen
    // The panels are not stacked above the thread: one line stands for them.
    expect(await page.locator('.presence').count()).toBe(0);
    expect(await page.getByTestId('mod-log').count()).toBe(0);
    const bar = page.locator('[data-side-bar]');
    expect((await bar.boundingBox())!.height).toBeLessThanOrEqual(60);
    expect(await bar.textContent()).toMatch(/\d+ here/);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: screenshotPath('arrival-375-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    await bar.click();
    const drawer = page.locator('[data-side-drawer]');
    await expect.poll(() => drawer.isVisible(), LIVE).toBe(true);
    expect(await drawer.locator('.presence li[data-member="Hana"]').isVisible()).toBe(true);
    expect(await drawer.getByTestId('mod-log').isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('arrival-drawer-375.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.count(), LIVE).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-side-bar'))).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.close();
  }, 30_000);

  it('a viewer in an empty room is not asked to be first, and no "0 of 0 online" is shown', async () => {
    // Opened over a socket by a host who never named themself: nobody has joined.
    const opener = await connect(server.url);
    const { roomId } = await ok(opener, 'room:create', { title: 'Quiet room' });
    const { page } = await newPerson(browser, server.url);
    await page.goto(`/r/${roomId}`);
    await page.locator('[data-empty]').waitFor();
    expect(await page.locator('[data-empty]').textContent()).not.toMatch(/Be the first/);
    expect(await page.locator('[data-empty]').textContent()).toMatch(/take part to make the first point/);
    await expect.poll(() => page.locator('.presence').textContent(), LIVE).toMatch(/1 watching/);
    expect(await page.locator('.presence').textContent()).not.toMatch(/of 0/);
    expect(await page.locator('.presence').textContent()).toMatch(/no participants yet/);
    await page.close();
  }, 30_000);

  it('the host sees which room they opened, and "just watch" says how to get the controls back', async () => {
    const { page } = await newPerson(browser, server.url);
    await page.goto('/');
    await page.getByLabel('Room title').fill('Friday debate club');
    await page.getByLabel(/Motion/).fill('This house believes that cities should ban cars.');
    await page.getByRole('button', { name: 'Open the room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    await expect.poll(() => page.getByRole('heading', { name: 'You opened “Friday debate club”' }).count(), LIVE).toBe(1);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Friday debate club');
    expect(await page.title()).toBe('Friday debate club · Debate rooms');
    expect(await page.locator('[data-empty]').textContent()).not.toMatch(/Be the first/); // not a participant yet

    await page.getByRole('button', { name: 'Just watch' }).click();
    const folded = page.locator('[data-watching]');
    expect(await folded.textContent()).toMatch(/Hosting .* starts when you take part/);
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Take part as host');
    // A reload keeps it folded, and still offers the way back.
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Take part as host' }).count(), LIVE).toBe(1);
    await page.getByRole('button', { name: 'Take part as host' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('join-name');
    await page.getByLabel('Display name').fill('Ada');
    await page.getByRole('button', { name: 'Take part' }).click();
    await expect.poll(() => page.getByTestId('mod-toggle').count(), LIVE).toBe(1);
    expect(await page.getByRole('button', { name: 'Set phase' }).count()).toBe(1);
    expect(await page.locator('[data-empty]').textContent()).toMatch(/Be the first/);
    await page.close();
  }, 30_000);
});
