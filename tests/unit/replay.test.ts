import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactEvent, redactState, type Audience } from '../../shared/redact.js';
import type { RoomEvent } from '../../shared/room-events.js';
import { applyEvent, foldEvents, type RoomState } from '../../shared/room-state.js';
import { ReplayLog } from '../../client/logic/replay-log.js';
import { busiestMinute, momentFromParam, momentsOf, seqAtTime } from '../../client/logic/replay-moments.js';
import { buildLog, steps } from '../helpers/replay-room.js';

const ROOM_EVENTS = 2_000;
const AUDIENCES: Audience[] = ['moderators', 'public'];

/** A 2,000-event log from a fast-check plan (a few steps come to nothing, so the plan is longer). */
const rooms = steps(2_700).map((plan) => {
  const raw = buildLog(plan);
  if (raw.length < ROOM_EVENTS) throw new Error(`plan made only ${raw.length} events`);
  return raw.slice(0, ROOM_EVENTS);
});

/** What the server serves this audience: every event redacted against the room as it is now (the end of the log). */
function served(raw: RoomEvent[], audience: Audience): RoomEvent[] {
  const now = foldEvents(raw.map((e) => structuredClone(e)))!;
  return raw.map((event) => redactEvent(event, now, audience));
}

const same = (a: RoomState | null, b: RoomState | null) => JSON.stringify(a) === JSON.stringify(b);

/** Texts of the raw log the public must never be served: removed, deleted or replaced post text, held text. */
function privateTexts(raw: RoomEvent[]): Set<string> {
  const now = foldEvents(raw.map((e) => structuredClone(e)))!;
  const secret = new Set<string>();
  for (const event of raw) {
    if (event.type === 'post.held') secret.add(event.body);
    if (event.type !== 'post.created' && event.type !== 'post.edited' && event.type !== 'post.restored' && event.type !== 'post.approved') continue;
    const post = now.posts[event.postId];
    if (!post || post.removed || post.deletedAt !== null || post.body !== event.body) secret.add(event.body);
  }
  for (const post of Object.values(now.posts)) if (!post.removed && post.deletedAt === null) secret.delete(post.body);
  for (const held of Object.values(now.held)) secret.add(held.body);
  return secret;
}

describe('replay of a generated 2,000-event room', () => {
  it('equals the fold of the served log at every seq, for each audience, however it is sought', () => {
    fc.assert(
      fc.property(rooms, fc.array(fc.nat(ROOM_EVENTS), { minLength: 80, maxLength: 80 }), (raw, jumps) => {
        for (const audience of AUDIENCES) {
          const log = served(raw, audience);
          // Small checkpoints, so a 2,000-event room has many and they get thinned out on the way.
          const replay = new ReplayLog(16);
          expect(replay.append(log)).toBe(true);
          // Seek around first (checkpoints are taken lazily, in whatever order seeks come) …
          for (const seq of jumps) {
            const state = replay.stateAt(seq);
            const expected = foldEvents(log.slice(0, seq).map((e) => structuredClone(e)));
            if (!same(state, expected)) expect(state).toEqual(expected);
            // … and a caller that plays on from what it was given changes no checkpoint.
            if (state && seq < log.length) applyEvent(state, structuredClone(log[seq]!));
          }
          expect(replay.checkpointCount).toBeLessThanOrEqual(48);
          // … then every seq in order, against the fold step by step.
          let reference: RoomState | null = null;
          for (let seq = 0; seq <= log.length; seq++) {
            if (seq > 0) reference = applyEvent(reference, structuredClone(log[seq - 1]!));
            const state = replay.stateAt(seq);
            if (!same(state, reference)) expect(state).toEqual(reference);
          }
          // The end is where the room is for this audience: what a joiner's snapshot shows, less the server's own notes.
          expect(replay.stateAt(log.length)).toEqual(redactState(foldEvents(raw.map((e) => structuredClone(e)))!, audience));
        }
      }),
      { numRuns: 2, seed: 20_261_204, endOnFailure: true },
    );
  }, 120_000);

  it('never shows the public a removed, deleted, replaced or held text at any moment', () => {
    fc.assert(
      fc.property(rooms, (raw) => {
        const secrets = privateTexts(raw);
        expect(secrets.size).toBeGreaterThan(10);
        const replay = new ReplayLog(64);
        replay.append(served(raw, 'public'));
        for (let seq = 0; seq <= replay.last; seq += 7) {
          const state = replay.stateAt(seq);
          for (const post of Object.values(state?.posts ?? {})) expect(secrets.has(post.body) && post.body !== '').toBe(false);
          for (const held of Object.values(state?.held ?? {})) expect(held.body).toBe('');
        }
      }),
      { numRuns: 2, seed: 7, endOnFailure: true },
    );
  }, 60_000);

  it('plays forward from any moment to the same room as seeking there', () => {
    fc.assert(
      fc.property(rooms, fc.nat(ROOM_EVENTS), fc.nat(400), (raw, from, length) => {
        const replay = new ReplayLog(100);
        replay.append(served(raw, 'public'));
        const played = replay.advance(replay.stateAt(from), from + length);
        expect(played).toEqual(replay.stateAt(from + length));
      }),
      { numRuns: 20, seed: 11, endOnFailure: true },
    );
  });
});

describe('the replay log', () => {
  it('takes events in seq order only: duplicates skipped, a gap refused', () => {
    const raw = buildLog([['post', 1, 1, true], ['post', 2, 2, true], ['react', 3, 3, true]]);
    const replay = new ReplayLog();
    expect(replay.append(raw.slice(0, 3))).toBe(true);
    expect(replay.append(raw.slice(1, 4))).toBe(true);
    expect(replay.last).toBe(4);
    expect(replay.append([{ ...raw[4]!, seq: 9 }])).toBe(false);
    expect(replay.last).toBe(4);
    expect(replay.enteredAt((raw[2] as Extract<RoomEvent, { type: 'post.created' }>).postId)).toBe(3);
  });

  it('drops the checkpoints after a rewritten event, so a text redacted later is gone from every moment', () => {
    const raw = buildLog(Array.from({ length: 40 }, (_, i) => ['post', i, i, true] as ['post', number, number, boolean]));
    const replay = new ReplayLog(8);
    replay.append(raw);
    replay.prepare();
    const target = raw[5] as Extract<RoomEvent, { type: 'post.created' }>;
    expect(replay.stateAt(30)!.posts[target.postId]!.body).toBe(target.body);
    replay.rewrite((event) => (event.seq === target.seq ? { ...target, body: '' } : event));
    expect(replay.stateAt(30)!.posts[target.postId]!.body).toBe('');
  });

  it('prepares its checkpoints a bounded slice at a time', () => {
    const raw = buildLog(Array.from({ length: 300 }, (_, i) => ['post', i, i, true] as ['post', number, number, boolean]));
    const replay = new ReplayLog(10);
    replay.append(raw);
    let rounds = 0;
    while (!replay.prepare(50)) rounds++;
    expect(rounds).toBeGreaterThan(3);
    expect(replay.checkpointCount).toBeGreaterThan(10);
  });
});

describe('moments', () => {
  const raw = buildLog([
    ['phase', 0, 0, false], ['openVote', 0, 0, true], ['post', 1, 1, true], ['post', 2, 2, true], ['post', 3, 3, true],
    ['closeVote', 0, 0, true], ['phase', 1, 0, false],
  ]);

  it('lists phase changes and votes in order, with the busiest minute', () => {
    expect(momentsOf(raw).map((m) => `${m.seq} ${m.kind}: ${m.label}`)).toEqual([
      '3 phase: Opening',
      '4 vote: Opening vote',
      '8 vote: Opening vote closes',
      '9 phase: Open floor',
      '9 busiest: Busiest minute (7 events)',
    ]);
    expect(busiestMinute(raw)?.count).toBe(7);
  });

  it('finds the seq at a time, and reads ?at= as a seq or a time', () => {
    expect(seqAtTime(raw, raw[3]!.at)).toBe(4);
    expect(seqAtTime(raw, 0)).toBe(0);
    expect(momentFromParam('3', raw)).toBe(3);
    expect(momentFromParam('99999', raw)).toBe(raw.length);
    expect(momentFromParam(new Date(raw[4]!.at).toISOString(), raw)).toBe(5);
    expect(momentFromParam('yesterday', raw)).toBeNull();
    expect(momentFromParam(null, raw)).toBeNull();
  });
});
