// Flows that contradicted themselves, as a newcomer meets them in Chromium: locked subthreads say
// why, "Ended" says what it closes, the swing says whom it counts, closing a vote and locking replies
// ask first, dialogs name the post, the banned page lets its reader back in live, the phase picker
// lists each phase once, names are not cut by their tags, and a mute says what it silences.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, newPerson, screenshotPath } from '../helpers/browser.js';
import { buildClient } from '../helpers/build-client.js';
import { connect, disconnectAll, ok, type TestSocket } from '../helpers/client.js';
import { becomeHost, LIVE, seedRoom, takePart, type SeededRoom } from '../helpers/e2e-room.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = chromiumAvailable();
const article = (page: Page, id: string) => page.locator(`#post-${id}`);
const postWith = (page: Page, text: string) => page.locator('article[data-post-id]', { hasText: text });

describe.skipIf(!run)('flows that say one thing', () => {
  let server: TestServer;
  let browser: Browser;
  let seeded: SeededRoom;
  let host: Page;
  let bea: Page;
  let beaId = '';

  async function voter(): Promise<TestSocket> {
    const socket = await connect(server.url);
    await ok(socket, 'room:join', { roomId: seeded.roomId, role: 'viewer' });
    return socket;
  }

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startTestServer({ staticDir: dist });
    browser = await launchChromium();
    seeded = await seedRoom(server.url, { threads: 3, replies: 1 });
    await ok(seeded.host, 'post:create', { id: 'post-deep', parentId: 'post-t0-r0', body: 'Deep in the first thread.' });
    ({ page: host } = await newPerson(browser, server.url));
    await becomeHost(host, seeded.roomId, seeded.hostToken);
    await host.goto(seeded.url);
    await host.getByTestId('mod-toggle').waitFor();
    ({ page: bea } = await newPerson(browser, server.url));
    await bea.goto(seeded.url);
    await takePart(bea, 'Bartholomew-Bea');
    const state = (await server.store.load(seeded.roomId))!;
    beaId = Object.values(state.members).find((m) => m.name === 'Bartholomew-Bea')!.id;
  }, 60_000);

  afterAll(async () => {
    disconnectAll();
    await browser?.close();
    await server?.close();
  });

  it('a reply deep in a locked thread says why it cannot be answered', async () => {
    await ok(seeded.host, 'mod:post', { action: 'lock', postId: 'post-t0-root' });
    await expect.poll(() => article(bea, 'post-deep').locator('[data-locked-note]').textContent(), LIVE).toContain('a moderator locked this thread further up');
    expect(await article(bea, 'post-t0-root').locator('[data-locked-note]').textContent()).toContain('Replies to this post are locked');
    expect(await article(bea, 'post-deep').getByRole('button', { name: 'Reply', exact: true }).count()).toBe(0);
    // Elsewhere the floor is open: no note.
    expect(await article(bea, 'post-t1-root').locator('[data-locked-note]').count()).toBe(0);
  }, 30_000);

  it('locking replies asks first and names the post; the remove dialog names the post and its author', async () => {
    await bea.getByLabel('Add to the debate').fill('Parking should cost what the land is worth.');
    await bea.getByRole('button', { name: 'Post', exact: true }).click();
    const beas = postWith(host, 'Parking should cost');
    await beas.waitFor();
    await beas.getByRole('button', { name: /^Moderate this post/ }).click();
    await host.locator('[data-action="lock"]').click();
    const lock = host.getByRole('dialog', { name: 'Lock replies beneath this post' });
    expect(await lock.locator('[data-dialog-subject]').textContent()).toBe('“Parking should cost what the land is worth.” by Bartholomew-Bea');
    await lock.getByRole('button', { name: 'Cancel' }).click();
    const id = (await beas.getAttribute('data-post-id'))!;
    expect((await server.store.load(seeded.roomId))!.posts[id].locked).toBe(false);

    await beas.getByRole('button', { name: /^Moderate this post/ }).click();
    await host.locator('[data-action="remove"]').click();
    const remove = host.getByRole('dialog', { name: 'Remove Bartholomew-Bea’s post' });
    expect(await remove.locator('[data-dialog-subject]').textContent()).toBe('“Parking should cost what the land is worth.” by Bartholomew-Bea');
    expect(await remove.getByLabel('Reason (shown to everyone)').count()).toBe(1);
    await host.screenshot({ path: screenshotPath('flows-remove-dialog-1280.png') });
    await remove.getByRole('button', { name: 'Cancel' }).click();
  }, 30_000);

  it('the phase picker lists each phase once, the next one chosen', async () => {
    const options = await host.getByLabel('Move to').locator('option').allTextContents();
    const names = options.map((o) => o.replace(/\s*\((next|now)\)\s*$/, '').trim());
    expect(names).toEqual(['Opening', 'Open floor', 'Closing', 'Ended']);
    expect(await host.getByLabel('Move to').inputValue()).toBe('opening');
  }, 30_000);

  it('closing a vote asks first; the swing counts those who voted in both rounds and says so', async () => {
    const voters = await Promise.all([voter(), voter(), voter(), voter(), voter()]);
    await ok(seeded.host, 'vote:manage', { action: 'open', vote: 'initial', hideResults: false });
    // Opening vote: three people, one each way.
    await ok(voters[0], 'vote:cast', { vote: 'initial', choice: 'for' });
    await ok(voters[1], 'vote:cast', { vote: 'initial', choice: 'against' });
    await ok(voters[2], 'vote:cast', { vote: 'initial', choice: 'undecided' });
    const round = (kind: string) => host.locator(`[data-vote="${kind}"]`);
    await round('initial').getByRole('button', { name: 'Close the opening vote' }).click();
    expect(await round('initial').getByRole('group', { name: 'Confirm closing the opening vote' }).textContent()).toMatch(/3 votes are in; no ballot can be cast or changed afterwards/);
    await round('initial').getByRole('button', { name: 'Keep it open' }).click();
    expect((await server.store.load(seeded.roomId))!.votes.initial!.open).toBe(true);
    await round('initial').getByRole('button', { name: 'Close the opening vote' }).click();
    await round('initial').getByRole('button', { name: 'Close the vote', exact: true }).click();
    await expect.poll(async () => (await server.store.load(seeded.roomId))!.votes.initial!.open, LIVE).toBe(false);

    // Final vote, results hidden: the undecided one goes Against, and two newcomers vote For.
    await ok(seeded.host, 'vote:manage', { action: 'open', vote: 'final', hideResults: true });
    await ok(voters[0], 'vote:cast', { vote: 'final', choice: 'for' });
    await ok(voters[1], 'vote:cast', { vote: 'final', choice: 'against' });
    await ok(voters[2], 'vote:cast', { vote: 'final', choice: 'against' });
    await ok(voters[3], 'vote:cast', { vote: 'final', choice: 'for' });
    await ok(voters[4], 'vote:cast', { vote: 'final', choice: 'for' });
    await round('final').getByRole('button', { name: 'Close the final vote' }).click();
    await round('final').getByRole('button', { name: 'Close the vote', exact: true }).click();

    // Counted over everyone, For would win (33 % → 60 %); over the same three people Against gains and wins.
    const swing = bea.locator('[data-swing]');
    await expect.poll(() => swing.locator('[data-winner]').textContent(), LIVE).toMatch(/^Against wins: it gained \+33\.3 pts, For ±0 pts\./);
    expect((await swing.locator('[data-swing-basis]').textContent())!.replace(/\s+/g, ' ').trim()).toBe(
      'Counted on the 3 people who voted in both rounds (3 voted in the opening vote, 5 in the final vote).',
    );
    await bea.locator('[data-votes]').scrollIntoViewIfNeeded();
    await bea.screenshot({ path: screenshotPath('results-1280.png') });
    await bea.emulateMedia({ colorScheme: 'dark' });
    await bea.screenshot({ path: screenshotPath('results-1280-dark.png') });
    await bea.emulateMedia({ colorScheme: 'light' });
  }, 45_000);

  it('"Ended" says plainly that it does not close the floor', async () => {
    await ok(seeded.host, 'phase:set', { phase: 'ended', minutes: null });
    await expect.poll(() => bea.locator('[data-notice="ended"]').textContent(), LIVE).toMatch(/The debate has ended\.\s*Replies stay open for comments until the host closes the room\./);
    expect(await bea.getByLabel('Add to the debate').count()).toBe(1);
    expect(await host.locator('[data-notice="ended"]').textContent()).toMatch(/close the room \(Moderation → Room\)/);
  }, 30_000);

  it('names in the people list are never cut short by their tags', async () => {
    await ok(seeded.host, 'mod:member', { action: 'mute', memberId: beaId, minutes: 5, reason: '' });
    await bea.getByRole('group', { name: 'Your side' }).getByRole('button', { name: 'Undecided' }).click(); // a mute does not stop this (below)
    const row = host.locator('.presence li[data-member="Bartholomew-Bea"]');
    await expect.poll(() => row.textContent(), LIVE).toMatch(/muted/);
    await expect.poll(() => row.locator('[data-side]').count(), LIVE).toBe(1);
    const names = await host.locator('.presence__name').evaluateAll((els) => els.map((el) => ({ text: el.textContent, cut: el.scrollWidth > el.clientWidth + 1, width: el.getBoundingClientRect().width })));
    expect(names.filter((n) => n.cut)).toEqual([]);
    const bart = names.find((n) => n.text === 'Bartholomew-Bea')!;
    expect(bart.width).toBeGreaterThan(60);
  }, 30_000);

  it('a mute says what it silences: no posts, replies or reactions; a side can still change', async () => {
    await expect.poll(() => bea.locator('[data-notice="muted"]').textContent(), LIVE).toMatch(/you cannot post, reply or react; you can still read, vote and change your side/);
    await bea.getByRole('group', { name: 'Your side' }).getByRole('button', { name: 'For' }).click();
    await expect.poll(async () => (await server.store.load(seeded.roomId))!.members[beaId].side, LIVE).toBe('for');
    await ok(seeded.host, 'mod:member', { action: 'unmute', memberId: beaId });
  }, 30_000);

  it('the banned page updates live when the ban is lifted', async () => {
    await ok(seeded.host, 'mod:member', { action: 'ban', memberId: beaId, reason: 'Cool off', removePosts: false });
    await expect.poll(() => bea.getByTestId('banned').textContent(), LIVE).toBe('You were banned from this room: Cool off');
    await bea.screenshot({ path: screenshotPath('flows-banned-1280.png') });
    await ok(seeded.host, 'mod:member', { action: 'unban', memberId: beaId });
    // No reload: the room comes back, and Bea is herself again.
    await expect.poll(() => bea.getByLabel('Add to the debate').count(), LIVE).toBe(1);
    expect(await bea.getByTestId('banned').count()).toBe(0);
    await bea.getByLabel('Add to the debate').fill('Back, and calmer.');
    await bea.getByRole('button', { name: 'Post', exact: true }).click();
    await expect.poll(() => host.locator('article[data-post-id]:not([data-pending])', { hasText: 'Back, and calmer.' }).count(), LIVE).toBe(1);
  }, 30_000);
});
