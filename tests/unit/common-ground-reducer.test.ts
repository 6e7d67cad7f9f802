import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonGround, countGround, JOURNEY_GRACE_MS, noCounts, openSourceAsks, whyItRanks } from '../../shared/common-ground.js';
import { creditByAuthor, creditByPost, describeMoves, hasMoved, mindsMoved } from '../../shared/persuasion.js';
import { REACTIONS } from '../../shared/limits.js';
import type { EventDraft, Side } from '../../shared/room-events.js';
import { RoomBuilder, T0 } from '../helpers/room-builder.js';

const MEMBERS = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay'];
const POSTS = ['p1', 'p2', 'p3', 'p4'];
const MINUTE = 60_000;

/** A room with six participants and four posts (p1 by the host, the others by ann, bob and cat). */
function room(): RoomBuilder {
  const b = new RoomBuilder();
  for (const id of MEMBERS) b.join(id);
  b.post('p1', 'host');
  b.post('p2', 'ann', { parentId: 'p1' });
  b.post('p3', 'bob', { parentId: 'p1' });
  b.post('p4', 'cat');
  return b;
}
const side = (b: RoomBuilder, actorId: string, s: Side, at?: number) => b.add({ type: 'member.side', actorId, side: s, at });
const react = (b: RoomBuilder, actorId: string, postId: string, emoji: (typeof REACTIONS)[number], on = true) =>
  b.add({ type: on ? 'reaction.added' : 'reaction.removed', actorId, postId, emoji });

const step: fc.Arbitrary<(b: RoomBuilder) => void> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...MEMBERS, 'host'), fc.constantFrom(...POSTS), fc.constantFrom(...REACTIONS), fc.boolean()).map(([who, post, emoji, on]) => (b: RoomBuilder) => void react(b, who, post, emoji, on)) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...MEMBERS), fc.constantFrom<Side>('for', 'against', 'undecided')).map(([who, s]) => (b: RoomBuilder) => void side(b, who, s)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...MEMBERS), fc.boolean()).map(([who, ban]) => (b: RoomBuilder) => void b.add(ban ? { type: 'member.banned', actorId: 'host', memberId: who, reason: '', removePosts: false } : { type: 'member.unbanned', actorId: 'host', memberId: who })) },
  { weight: 1, arbitrary: fc.constantFrom(...POSTS.slice(1)).map((post) => (b: RoomBuilder) => void b.add({ type: 'post.deleted', actorId: b.state.posts[post].authorId, postId: post })) },
);

describe('the reducer keeps each post’s counts', () => {
  it('equal to a recount from scratch after any mix of reactions, side changes, bans and deletions', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
        const b = room();
        for (const run of steps) {
          run(b);
          for (const id of POSTS) {
            const post = b.state.posts[id];
            expect({ id, ...(post.ground ? { up: post.ground.up, down: post.ground.down } : { up: noCounts(), down: noCounts() }) }).toEqual({ id, ...countGround(b.state, post) });
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('counts a person once whether they 👍, ❤️ or both; not the author; not without a side', () => {
    const b = room();
    side(b, 'bob', 'for');
    react(b, 'bob', 'p2', '👍');
    react(b, 'bob', 'p2', '❤️');
    react(b, 'ann', 'p2', '👍'); // her own post
    react(b, 'dan', 'p2', '👍'); // no side declared
    expect(b.postOf('p2').ground?.up).toEqual({ for: 1, against: 0, undecided: 0 });
    react(b, 'bob', 'p2', '👍', false);
    expect(b.postOf('p2').ground?.up.for).toBe(1);
    side(b, 'dan', 'against');
    expect(whyItRanks(b.postOf('p2').ground)).toBe('liked by 1 For · 1 Against · 0 Undecided');
  });

  it('ranks common ground: both sides first, one-sided piles nowhere', () => {
    const b = room();
    side(b, 'ann', 'for');
    side(b, 'bob', 'for');
    side(b, 'cat', 'against');
    side(b, 'dan', 'against');
    for (const who of ['ann', 'bob', 'cat', 'dan']) react(b, who, 'p3', '👍'); // bob is its author: For 1/4, Against 2/5 → 0.25
    for (const who of ['ann', 'bob', 'cat']) react(b, who, 'p1', '👍'); // For 2/5, Against 1/4 → 0.25, three endorsers
    for (const who of ['bob', 'cat', 'dan']) react(b, who, 'p4', '👍'); // cat is its author: 1/4 each → 0.25, two endorsers
    for (const who of ['ann', 'bob']) react(b, who, 'p2', '👍'); // ann is its author; For only → 0
    react(b, 'cat', 'p3', '👎'); // an Against 👍 and 👎 from the same person: Against 2/6 still
    react(b, 'dan', 'p1', '❤️'); // Against 2/5: p1 now 0.4
    expect(commonGround(b.state).map((post) => post.id)).toEqual(['p1', 'p3', 'p4']);
  });
});

describe('minds moved', () => {
  it('is where each person started against where they stand now; a quick correction is not a move, coming back undoes it', () => {
    const b = room();
    side(b, 'ann', 'for', T0 + MINUTE);
    side(b, 'ann', 'against', T0 + MINUTE + 5_000); // a slip, corrected at once
    side(b, 'bob', 'undecided', T0 + MINUTE);
    side(b, 'bob', 'for', T0 + 3 * MINUTE);
    side(b, 'cat', 'for', T0 + MINUTE);
    side(b, 'cat', 'against', T0 + 4 * MINUTE);
    side(b, 'cat', 'for', T0 + 5 * MINUTE); // back where she started
    side(b, 'dan', 'against', T0 + MINUTE);
    side(b, 'dan', 'for', T0 + MINUTE + JOURNEY_GRACE_MS);
    const { moves, flow } = mindsMoved(b.state);
    expect(moves.map((m) => [m.memberId, m.from, m.to])).toEqual([['bob', 'undecided', 'for'], ['dan', 'against', 'for']]);
    expect(Object.fromEntries(flow)).toEqual({ 'undecided>for': 1, 'against>for': 1 });
    expect([hasMoved(b.state, 'ann'), hasMoved(b.state, 'bob'), hasMoved(b.state, 'cat')]).toEqual([false, true, false]);
  });

  it('credits the reply and its author with each mover’s sides', () => {
    const b = room();
    for (const [who, from, to] of [['dan', 'for', 'against'], ['eve', 'undecided', 'against'], ['fay', 'for', 'against']] as const) {
      side(b, who, from, T0 + MINUTE);
      side(b, who, to, T0 + 3 * MINUTE);
    }
    b.add({ type: 'mind.changed', actorId: 'dan', postId: 'p2' });
    b.add({ type: 'mind.changed', actorId: 'eve', postId: 'p2' });
    b.add({ type: 'mind.changed', actorId: 'fay', postId: 'p4' });
    const credit = creditByPost(b.state);
    expect(credit.get('p2')?.people).toBe(2);
    expect(describeMoves(credit.get('p2')!.moves)).toMatch(/^1 (For|Undecided) → Against · 1 (For|Undecided) → Against$/);
    expect(Object.fromEntries(creditByAuthor(b.state))).toEqual({ ann: 2, cat: 1 });
    expect(mindsMoved(b.state).moves.find((m) => m.memberId === 'fay')?.postId).toBe('p4');
  });
});

describe('source requested and the steelman', () => {
  it('counts each asker once until the author edits a link in; an edit without a new link answers nothing', () => {
    const b = room();
    const ask = (who: string) => b.add({ type: 'source.requested', actorId: who, postId: 'p2' });
    ask('bob');
    ask('bob');
    ask('viewer-1');
    expect(openSourceAsks(b.postOf('p2'))).toBe(2);
    b.add({ type: 'post.edited', actorId: 'ann', postId: 'p2', body: 'still no link' });
    expect(openSourceAsks(b.postOf('p2'))).toBe(2);
    b.add({ type: 'post.edited', actorId: 'ann', postId: 'p2', body: 'see https://example.org/study' });
    expect(openSourceAsks(b.postOf('p2'))).toBe(0);
    expect(b.postOf('p2').ground?.sourceGivenAt).toBeGreaterThan(0);
  });

  it('keeps a confirmation while the restatement stands, and drops it when the restatement is rewritten', () => {
    const b = room();
    const body = 'Your point, as I understand it: cars cost lives.\n\nBut buses do too.';
    b.post('r1', 'bob', { parentId: 'p2', body });
    b.add({ type: 'steelman.confirmed', actorId: 'ann', postId: 'r1' } as EventDraft);
    expect(b.postOf('r1').ground?.steelmannedAt).toBeGreaterThan(0);
    b.add({ type: 'post.edited', actorId: 'bob', postId: 'r1', body: body.replace('buses', 'trams') });
    expect(b.postOf('r1').ground?.steelmannedAt).toBeGreaterThan(0);
    b.add({ type: 'post.edited', actorId: 'bob', postId: 'r1', body: body.replace('cost lives', 'are fine') });
    expect(b.postOf('r1').ground?.steelmannedAt).toBeUndefined();
  });
});
