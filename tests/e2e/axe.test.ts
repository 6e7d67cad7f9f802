// axe in every state a newcomer meets, at 1280 and 375 px, light and dark: no critical, serious or
// moderate finding. The screenshots of arrival, room, drawers and results go to test-output/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, blocking, type AxeFinding } from '../helpers/axe.js';
import { chromiumAvailable, launchChromium, newPerson, screenshotPath } from '../helpers/browser.js';
import { buildClient } from '../helpers/build-client.js';
import { connect, disconnectAll, ok } from '../helpers/client.js';
import { becomeHost, LIVE, seedRoom, takePart, type SeededRoom } from '../helpers/e2e-room.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = chromiumAvailable();
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

describe.skipIf(!run)('axe in every state', () => {
  let server: TestServer;
  let browser: Browser;
  let seeded: SeededRoom;
  /** Every blocking finding, by state: one report at the end says all of them. */
  const found: Record<string, AxeFinding[]> = {};
  const all: Record<string, AxeFinding[]> = {};

  /** Audit the page in light and dark; screenshots of the named ones in both. */
  async function check(page: Page, state: string, shot?: string) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(50);
      const findings = await axe(page);
      all[`${state} (${scheme})`] = findings;
      const bad = blocking(findings);
      if (bad.length) {
        found[`${state} (${scheme})`] = bad;
        console.log(`axe ${state} (${scheme}): ${JSON.stringify(bad)}`);
      }
      if (shot) await page.screenshot({ path: screenshotPath(`${shot}${scheme === 'dark' ? '-dark' : ''}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startTestServer({ staticDir: dist });
    browser = await launchChromium();
    seeded = await seedRoom(server.url, { threads: 4, replies: 2 });
    await ok(seeded.host, 'post:create', { id: 'post-spoiler', parentId: null, body: 'The ending: >!the motion carries!< and a [link](https://example.com).' });
    await ok(seeded.host, 'phase:set', { phase: 'open', minutes: 30 });
    const zed = await connect(server.url);
    await ok(zed, 'room:join', { roomId: seeded.roomId, role: 'participant', name: 'Zed' });
    await ok(zed, 'post:create', { id: 'post-zed', parentId: null, body: 'Zed says: make the buses free.' });
  }, 60_000);

  afterAll(async () => {
    disconnectAll();
    await browser?.close();
    await server?.close();
  });

  for (const viewport of [WIDE, PHONE]) {
    const w = viewport.width;
    it(`at ${w} px: landing, arrival, not found, a participant's room, a reply box, a report dialog`, async () => {
      const { page } = await newPerson(browser, server.url, viewport);
      await page.goto('/');
      await page.getByLabel('Room title').waitFor();
      await check(page, `landing ${w}`, `landing-${w}`);

      await page.goto('/r/nosuchroom9');
      await page.getByRole('heading', { name: 'This room does not exist' }).waitFor();
      await check(page, `not found ${w}`);

      await page.goto(seeded.url);
      await page.locator('[data-take-part]').waitFor();
      await page.locator('article[data-post-id]').first().waitFor();
      await check(page, `arrival ${w}`, `axe-arrival-${w}`);
      await page.getByRole('button', { name: 'Just watch' }).click();
      await check(page, `watching ${w}`);

      await takePart(page, `Reader${w}`);
      await page.getByLabel('Add to the debate').waitFor();
      await check(page, `room ${w}`, `axe-room-${w}`);

      await page.locator('#post-post-t0-root').getByRole('button', { name: 'Reply', exact: true }).click();
      await page.getByLabel('Reply to Hana').fill('A draft');
      await check(page, `reply box ${w}`);
      await page.getByLabel('Reply to Hana').press('Escape');

      await page.locator('#post-post-t1-root').getByRole('button', { name: 'Report' }).click();
      await page.getByRole('dialog', { name: 'Report this post' }).waitFor();
      await check(page, `report dialog ${w}`);
      await page.keyboard.press('Escape');

      if (w === PHONE.width) {
        await page.locator('[data-side-bar]').click();
        await page.locator('[data-side-drawer]').waitFor();
        await check(page, `side drawer ${w}`, `axe-side-drawer-${w}`);
        await page.keyboard.press('Escape');
      }
      await page.close();
    }, 90_000);

    it(`at ${w} px: the host's first screen, the moderation drawer, a remove dialog, the results, a banned page`, async () => {
      // A host who just opened a room here.
      const { page: fresh } = await newPerson(browser, server.url, viewport);
      await fresh.goto('/');
      await fresh.getByLabel('Room title').fill('Axe room');
      await fresh.getByRole('button', { name: 'Open the room' }).click();
      await fresh.getByRole('heading', { name: 'You opened “Axe room”' }).waitFor();
      await check(fresh, `host's first screen ${w}`, `axe-host-first-${w}`);
      await fresh.close();

      const { page } = await newPerson(browser, server.url, viewport);
      await becomeHost(page, seeded.roomId, seeded.hostToken);
      await page.goto(seeded.url);
      await page.getByTestId('mod-toggle').waitFor();
      const reporter = await connect(server.url);
      await ok(reporter, 'room:join', { roomId: seeded.roomId, role: 'viewer' });
      await ok(reporter, 'report:create', { postId: 'post-t2-root', reason: 'Off topic' }).catch(() => undefined);
      await page.getByTestId('mod-toggle').click();
      const panel = page.getByTestId('mod-panel');
      await panel.locator('[data-queue-post]').first().waitFor();
      await check(page, `moderation queue ${w}`, `axe-mod-drawer-${w}`);
      for (const tab of ['Speakers', 'Room']) {
        await panel.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
        await check(page, `moderation ${tab} ${w}`);
      }
      await page.keyboard.press('Escape');
      await expect.poll(() => panel.count(), LIVE).toBe(0);

      await page.locator('#post-post-zed').getByRole('button', { name: /^Moderate this post/ }).click();
      await page.locator('[data-action="remove"]').click();
      await page.getByRole('dialog', { name: /^Remove/ }).waitFor();
      await check(page, `remove dialog ${w}`);
      await page.keyboard.press('Escape');

      // Results: both votes closed, the swing shown.
      const votes = await connect(server.url);
      await ok(votes, 'room:join', { roomId: seeded.roomId, role: 'viewer' });
      if (w === WIDE.width) {
        await ok(seeded.host, 'vote:manage', { action: 'open', vote: 'initial', hideResults: false });
        await ok(votes, 'vote:cast', { vote: 'initial', choice: 'undecided' });
        await ok(seeded.host, 'vote:manage', { action: 'close', vote: 'initial' });
        await ok(seeded.host, 'vote:manage', { action: 'open', vote: 'final', hideResults: false });
        await ok(votes, 'vote:cast', { vote: 'final', choice: 'for' });
        await ok(seeded.host, 'vote:manage', { action: 'close', vote: 'final' });
      }
      await page.locator('[data-swing]').waitFor();
      await page.locator('[data-votes]').scrollIntoViewIfNeeded();
      await check(page, `results ${w}`, `axe-results-${w}`);
      await page.close();

      // A banned page.
      const { page: banned } = await newPerson(browser, server.url, viewport);
      await banned.goto(seeded.url);
      await takePart(banned, `Banned${w}`);
      const state = (await server.store.load(seeded.roomId))!;
      const memberId = Object.values(state.members).find((m) => m.name === `Banned${w}`)!.id;
      await ok(seeded.host, 'mod:member', { action: 'ban', memberId, reason: 'Spam', removePosts: false });
      await banned.getByTestId('banned').waitFor();
      await check(banned, `banned ${w}`);
      await banned.close();
    }, 90_000);
  }

  it('found nothing critical, serious or moderate in any state', () => {
    const minor = Object.entries(all).flatMap(([state, findings]) => findings.filter((f) => f.impact === 'minor').map((f) => `${state}: ${f.id}`));
    if (minor.length) console.log(`axe, minor findings (not failing):\n${[...new Set(minor)].join('\n')}`);
    console.log(`axe: ${Object.keys(all).length} states audited`);
    expect(Object.keys(all).length).toBeGreaterThanOrEqual(44); // every state above was reached and audited
    expect(found).toEqual({});
  });
});
