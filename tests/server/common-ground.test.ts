import { nanoid } from 'nanoid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commonGround, countGround, JOURNEY_GRACE_MS, noCounts, openSourceAsks } from '../../shared/common-ground.js';
import { mindsMoved } from '../../shared/persuasion.js';
import { applyEvent, type RoomState } from '../../shared/room-state.js';
import { UNLIMITED } from '../../server/address-limits.js';
import { call, connect, disconnectAll, ok, until, type TestSocket } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { opened } from '../helpers/snapshot.js';
import { joinAs, openRoom } from '../helpers/fixtures.js';

/**
 * Common ground against the real server: scripted sides and reactions, and the ranking they must give,
 * worked out by hand below (each side's rate is endorsers / (endorsers + dissenters + 3); the score is the
 * lower of For's and Against's). The server's state, a fresh joiner's snapshot and a live viewer's fold agree.
 */
let server: TestServer;
/** The server's clock, moved on by hand where a change of side must count as a move (past JOURNEY_GRACE_MS). */
let ahead = 0;
beforeAll(async () => {
  server = await startTestServer({ now: () => Date.now() + ahead });
});
afterEach(() => disconnectAll());
afterAll(() => server.close());

const code = (answer: { ok: boolean; error?: { code: string } }) => (answer.ok ? 'ok' : answer.error!.code);
const rankOf = (state: RoomState, names: Record<string, string>) => commonGround(state, 10).map((post) => names[post.id]);

describe('common ground over sockets', () => {
  it('ranks by endorsement from both declared sides, live, as the hand-worked ranking says', async () => {
    const { host, roomId } = await openRoom(server.url);
    const watcher = await joinAs(server.url, roomId, null);
    const people: Record<string, { socket: TestSocket; id: string }> = {};
    for (const [name, side] of [['F1', 'for'], ['F2', 'for'], ['F3', 'for'], ['A1', 'against'], ['A2', 'against'], ['A3', 'against'], ['U1', 'undecided'], ['N1', null]] as const) {
      people[name] = await joinAs(server.url, roomId, name);
      if (side) await ok(people[name].socket, 'side:set', { side });
    }
    const names: Record<string, string> = {};
    const thread = async (name: string) => {
      const id = nanoid();
      await ok(host, 'post:create', { id, parentId: null, body: `${name}: a claim about cars` });
      names[id] = name;
      return id;
    };
    const like = (who: string[], postId: string, emoji: '👍' | '❤️' | '👎' = '👍') => Promise.all(who.map((name) => ok(people[name].socket, 'reaction:set', { postId, emoji, on: true })));

    const bridge = await thread('bridge');
    const pile = await thread('pile');
    const few = await thread('few');
    const split = await thread('split');
    await like(['F1', 'F2', 'A1', 'A2'], bridge); // For 2/5, Against 2/5 → 0.40
    await like(['F1', 'F2', 'F3', 'U1', 'N1'], pile); // For 3/6, Against 0 → 0: a one-sided pile-on (U1 shown, N1 has no side)
    await like(['F1'], few);
    await like(['A1'], few, '❤️'); // For 1/4, Against 1/4 → 0.25
    await like(['F1', 'F2', 'F3', 'A1'], split);
    await like(['A2', 'A3'], split, '👎'); // For 3/6, Against 1/(1+2+3) → 0.17
    let state = (await server.store.load(roomId))!;
    expect(rankOf(state, names)).toEqual(['bridge', 'few', 'split']);
    expect(state.posts[pile].ground?.up).toEqual({ for: 3, against: 0, undecided: 1 });

    // Steelman: the host turns it on; A1 restates the pile's claim before rebutting it; its author confirms.
    await ok(host, 'mod:room', { action: 'settings', settings: { steelman: true } });
    const reply = nanoid();
    names[reply] = 'steelman';
    await ok(people.A1.socket, 'post:create', { id: reply, parentId: pile, body: 'Your point, as I understand it: cars cost the centre.\n\nBut trams cost more.', stance: 'rebut' });
    expect(code(await call(people.F1.socket, 'steelman:confirm', { postId: reply }))).toBe('FORBIDDEN'); // not F1's post
    await ok(host, 'steelman:confirm', { postId: reply });
    // A confirmed steelman counts as one endorsement from each side: 1/4 each → 0.25, below "few" (same score, more endorsers).
    state = (await server.store.load(roomId))!;
    expect(rankOf(state, names)).toEqual(['bridge', 'few', 'steelman', 'split']);

    // F3 moves to Against, past the grace for a slip: each of F3's likes now counts for Against.
    ahead += JOURNEY_GRACE_MS + 1_000;
    await ok(people.F3.socket, 'side:set', { side: 'against' });
    // bridge 0.40 · split: For 2/5, Against 2/(2+2+3) → 0.29 · pile: For 2/5, Against 1/4 → 0.25 with 4 endorsers
    // · few 0.25 with 2 · steelman 0.25 with none.
    state = (await server.store.load(roomId))!;
    expect(rankOf(state, names)).toEqual(['bridge', 'split', 'pile', 'few', 'steelman']);
    for (const id of state.postOrder) {
      const kept = state.posts[id].ground ?? { up: noCounts(), down: noCounts() };
      expect(countGround(state, state.posts[id])).toEqual({ up: kept.up, down: kept.down });
    }
    expect(mindsMoved(state).moves.map((move) => [move.from, move.to])).toEqual([['for', 'against']]);

    // Having moved, F3 may say which reply did it (before, only a changed ballot allowed that).
    expect(code(await call(people.F2.socket, 'mind:changed', { postId: reply }))).toBe('FORBIDDEN');
    await ok(people.F3.socket, 'mind:changed', { postId: reply });

    // A fresh joiner's snapshot and the viewer who watched it all live hold the same ranking.
    const late = await joinAs(server.url, roomId, null);
    expect(rankOf(late.joined.snapshot, names)).toEqual(['bridge', 'split', 'pile', 'few', 'steelman']);
    const seq = (await server.store.load(roomId))!.seq;
    await until(() => watcher.socket.received.at(-1)?.seq === seq, 'the watcher caught up');
    let live: RoomState = watcher.joined.snapshot;
    for (const event of watcher.socket.received) live = applyEvent(live, event);
    expect(rankOf(live, names)).toEqual(['bridge', 'split', 'pile', 'few', 'steelman']);
    expect(mindsMoved(live).moves[0]).toMatchObject({ memberId: people.F3.id, from: 'for', to: 'against', postId: reply });
  });

  it('"source requested" counts each person once, is not a report, and ends when the author edits a link in', async () => {
    const { host, roomId } = await openRoom(server.url);
    const claim = nanoid();
    await ok(host, 'post:create', { id: claim, parentId: null, body: 'Most trips in the centre are under 2 km.' });
    const bea = await joinAs(server.url, roomId, 'Bea');
    const viewer = await joinAs(server.url, roomId, null);
    await ok(bea.socket, 'source:request', { postId: claim });
    const again = await ok(bea.socket, 'source:request', { postId: claim });
    await ok(viewer.socket, 'source:request', { postId: claim });
    expect(code(await call(host, 'source:request', { postId: claim }))).toBe('FORBIDDEN'); // one's own claim
    let state = (await server.store.load(roomId))!;
    expect(again.seq).toBeLessThan(state.seq); // the repeat logged nothing
    expect(openSourceAsks(state.posts[claim])).toBe(2);
    expect(state.reports).toEqual({});
    await ok(host, 'post:edit', { postId: claim, body: 'Most trips in the centre are under 2 km: https://example.org/travel-survey' });
    state = (await server.store.load(roomId))!;
    expect(openSourceAsks(state.posts[claim])).toBe(0);
    expect(code(await call(viewer.socket, 'source:request', { postId: claim }))).toBe('CONFLICT');
  });

  it('a steelman needs the host’s setting, a rebuttal that restates, and the parent’s author', async () => {
    const { host, roomId } = await openRoom(server.url);
    const claim = nanoid();
    await ok(host, 'post:create', { id: claim, parentId: null, body: 'Cars out.' });
    const bea = await joinAs(server.url, roomId, 'Bea');
    const plain = nanoid();
    const restated = nanoid();
    await ok(bea.socket, 'post:create', { id: plain, parentId: claim, body: 'No.', stance: 'rebut' });
    await ok(bea.socket, 'post:create', { id: restated, parentId: claim, body: 'Your point, as I understand it: cars out. No.', stance: 'rebut' });
    expect(code(await call(host, 'steelman:confirm', { postId: restated }))).toBe('FORBIDDEN'); // the room does not use it yet
    expect(code(await call(bea.socket, 'mod:room', { action: 'settings', settings: { steelman: true } }))).toBe('FORBIDDEN'); // the host's choice
    await ok(host, 'mod:room', { action: 'settings', settings: { steelman: true } });
    expect(code(await call(host, 'steelman:confirm', { postId: plain }))).toBe('FORBIDDEN');
    expect(code(await call(bea.socket, 'steelman:confirm', { postId: restated }))).toBe('FORBIDDEN');
    await ok(host, 'steelman:confirm', { postId: restated });
    expect((await server.store.load(roomId))!.posts[restated].ground?.steelmannedAt).toBeGreaterThan(0);
  });
});

describe('common ground against identity hopping', () => {
  it('a network minting viewers spends its new identities on source requests: the count stops at the cap', async () => {
    const capped = await startTestServer({
      trustedProxies: new Set(['127.0.0.1']),
      addressRules: { ...UNLIMITED, newIdentities: { points: 3, seconds: 3_600 } },
    });
    try {
      const host = await connect(capped.url, { from: '198.51.100.1' });
      const created = await ok(host, 'room:create', { title: 'Sources', motion: 'M' });
      await ok(host, 'room:join', { roomId: created.roomId, role: 'participant', name: 'Host', token: created.hostToken });
      const claim = nanoid();
      await ok(host, 'post:create', { id: claim, parentId: null, body: 'A claim.' });
      const answers: string[] = [];
      for (let i = 0; i < 6; i++) {
        const sock = await connect(capped.url, { from: '203.0.113.9' });
        opened(await ok(sock, 'room:join', { roomId: created.roomId, role: 'viewer' }));
        answers.push(code(await call(sock, 'source:request', { postId: claim })));
      }
      expect(answers).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
      expect(openSourceAsks((await capped.store.load(created.roomId))!.posts[claim])).toBe(3);
    } finally {
      disconnectAll();
      await capped.close();
    }
  });
});
