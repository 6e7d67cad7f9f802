// The charts' aggregates (client/logic/debate-shape.ts): counted event by event, they must equal a count
// from scratch over the state, whatever the log and however its events arrive in batches; the timeline
// (reactions, phases) must equal one read straight off the log.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REACTIONS } from '../../shared/limits.js';
import { mergePosts } from '../../shared/post-window.js';
import type { EventDraft, Phase, RoomEvent, Side, Stance, VoteKind } from '../../shared/room-events.js';
import { applyEvent, foldEvents, type RoomState } from '../../shared/room-state.js';
import { backfillTimeline, createShape, minuteOf, missesPosts, trackEvents, type DebateShape } from '../../client/logic/debate-shape.js';
import { flowView, largest, phasePositions, postLabel, postsSeries, timeAxis, voteView } from '../../client/logic/debate-shape-views.js';
import { RoomBuilder, T0 } from '../helpers/room-builder.js';

const MEMBERS = ['host', 'ann', 'bob', 'cy', 'dee'];
const SIDE_LIST: Side[] = ['for', 'against', 'undecided'];

/** One step of a debate, by index into what exists when it runs (so every generated log is a plausible one). */
const step = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('post' as const), who: fc.nat(), parent: fc.option(fc.nat(), { nil: null }), stance: fc.option(fc.constantFrom<Stance>('support', 'rebut', 'question'), { nil: undefined }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('side' as const), who: fc.nat(), side: fc.constantFrom(...SIDE_LIST) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('react' as const), who: fc.nat(), post: fc.nat(), emoji: fc.nat(), on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('delete' as const, 'remove' as const, 'restore' as const), post: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('held' as const), who: fc.nat(), approve: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ban' as const), who: fc.nat(), removePosts: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('vote.open' as const), vote: fc.constantFrom<VoteKind>('initial', 'final'), hidden: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('vote.cast' as const), vote: fc.constantFrom<VoteKind>('initial', 'final'), who: fc.nat(), side: fc.constantFrom(...SIDE_LIST) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('vote.close' as const), vote: fc.constantFrom<VoteKind>('initial', 'final') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('mind' as const), who: fc.nat(), post: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('phase' as const), phase: fc.constantFrom<Phase>('opening', 'open', 'closing', 'ended') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 40 }) }) },
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined);

/** Plays the steps into a room log, as the server would log them for the public (hidden ballots as ''). */
function logOf(steps: Step[]): RoomEvent[] {
  const room = new RoomBuilder();
  for (const id of MEMBERS.slice(1)) room.join(id);
  let made = 0;
  for (const s of steps) {
    const posts = room.state.postOrder;
    const who = 'who' in s ? MEMBERS[s.who % MEMBERS.length] : 'host';
    const drafts: EventDraft[] = [];
    switch (s.kind) {
      case 'post': {
        const parentId = s.parent === null ? null : (pick(posts, s.parent) ?? null);
        drafts.push({ type: 'post.created', actorId: who, postId: `p${made++}`, parentId, body: `said by ${who}`, ...(parentId && s.stance ? { stance: s.stance } : {}) });
        break;
      }
      case 'side':
        drafts.push({ type: 'member.side', actorId: who, side: s.side });
        break;
      case 'react': {
        const postId = pick(posts, s.post);
        if (postId) drafts.push({ type: s.on ? 'reaction.added' : 'reaction.removed', actorId: who, postId, emoji: REACTIONS[s.emoji % REACTIONS.length] });
        break;
      }
      case 'delete':
      case 'remove':
      case 'restore': {
        // A restore picks among removed posts: restoring one that is not removed would change nothing.
        const postId = pick(s.kind === 'restore' ? posts.filter((id) => room.state.posts[id].removed) : posts, s.post);
        if (!postId) break;
        if (s.kind === 'delete') drafts.push({ type: 'post.deleted', actorId: room.state.posts[postId].authorId, postId });
        else if (s.kind === 'remove') drafts.push({ type: 'post.removed', actorId: 'host', postId, reason: 'off topic' });
        else drafts.push({ type: 'post.restored', actorId: 'host', postId, body: 'restored' });
        break;
      }
      case 'held': {
        const postId = `h${made++}`;
        drafts.push({ type: 'post.held', actorId: who, postId, parentId: pick(posts, made) ?? null, body: '', term: 'x', stance: 'rebut' });
        if (s.approve) drafts.push({ type: 'post.approved', actorId: 'host', postId, body: 'approved' });
        break;
      }
      case 'ban':
        if (who !== 'host') drafts.push({ type: 'member.banned', actorId: 'host', memberId: who, reason: 'rude', removePosts: s.removePosts });
        break;
      case 'vote.open':
        drafts.push({ type: 'vote.opened', actorId: 'host', vote: s.vote, hideResults: s.hidden });
        break;
      case 'vote.cast':
        drafts.push({ type: 'vote.cast', actorId: who, vote: s.vote, choice: room.state.votes[s.vote]?.hideResults ? '' : s.side });
        break;
      case 'vote.close':
        drafts.push({ type: 'vote.closed', actorId: 'host', vote: s.vote, tally: { for: 1, against: 2, undecided: 3 } });
        break;
      case 'mind': {
        const postId = pick(posts, s.post);
        if (postId) drafts.push({ type: 'mind.changed', actorId: who, postId });
        break;
      }
      case 'phase':
        drafts.push({ type: 'phase.changed', actorId: 'host', phase: s.phase, endsAt: null });
        break;
      case 'wait':
        room.clock += s.minutes * 60_000;
        break;
    }
    for (const draft of drafts) room.add(draft);
  }
  return room.events;
}

/** The shape as plain data, for comparing: everything the state decides. */
function counted(shape: DebateShape) {
  const sorted = <K, V>(map: Map<K, V>) => [...map].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return {
    postsByMinute: sorted(shape.postsByMinute),
    postsByAuthor: sorted(shape.postsByAuthor),
    repliesByRoot: sorted(shape.repliesByRoot),
    stancesByRoot: sorted(shape.stancesByRoot),
    mindsByPost: sorted(shape.mindsByPost),
    ballotCounts: shape.ballotCounts,
    flow: sorted(shape.flow),
  };
}

/** The timeline read straight off the log, the simplest way. */
function timelineOf(log: RoomEvent[]) {
  const reactions = new Map<number, number>();
  for (const event of log) if (event.type === 'reaction.added') reactions.set(minuteOf(event.at), (reactions.get(minuteOf(event.at)) ?? 0) + 1);
  return {
    reactions: [...reactions].sort((a, b) => a[0] - b[0]),
    phases: log.flatMap((event) => (event.type === 'phase.changed' ? [{ phase: event.phase, at: event.at }] : [])),
  };
}
const timeline = (shape: DebateShape) => ({ reactions: [...shape.reactionsByMinute].sort((a, b) => a[0] - b[0]), phases: shape.phaseMarks });

/** Folds the log from `start`, handing the shape the events in batches of the given sizes (cycled). */
function follow(log: RoomEvent[], start: number, batches: number[]): { shape: DebateShape; state: RoomState } {
  let state = foldEvents(log.slice(0, start))!;
  const shape = createShape(structuredClone(state));
  for (let at = start, b = 0; at < log.length; b++) {
    const batch = log.slice(at, at + batches[b % batches.length]);
    for (const event of batch) state = applyEvent(state, structuredClone(event));
    trackEvents(shape, batch, state);
    at += batch.length;
  }
  return { shape, state };
}

const logs = fc.array(step, { minLength: 1, maxLength: 120 }).map(logOf);
const options = { seed: 20_261_201, numRuns: 300 };

describe('the shape of a debate', () => {
  it('counted event by event equals counted from scratch, from any starting point and in any batches', () => {
    fc.assert(
      fc.property(logs, fc.nat(), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }), (log, cut, batches) => {
        const start = 1 + (cut % log.length);
        const { shape, state } = follow(log, start, batches);
        expect(counted(shape)).toEqual(counted(createShape(state)));
      }),
      options,
    );
  });

  it('its timeline equals the log’s: from the first event, or back-filled from the log afterwards', () => {
    fc.assert(
      fc.property(logs, fc.nat(), (log, cut) => {
        const fromStart = createShape(null);
        let state: RoomState | null = null;
        for (const event of log) {
          state = applyEvent(state, structuredClone(event));
          trackEvents(fromStart, [event], state);
        }
        expect(timeline(fromStart)).toEqual(timelineOf(log));
        expect(fromStart.timelineComplete).toBe(true);

        const start = 1 + (cut % log.length);
        const { shape } = follow(log, start, [3]);
        // Before back-filling: only what came after the cut (and the phase the room was in).
        expect([...shape.reactionsByMinute.values()].reduce((a, b) => a + b, 0)).toBe(log.slice(start).filter((e) => e.type === 'reaction.added').length);
        expect(backfillTimeline(shape, log.slice(0, Math.max(1, start)))).toBe(true);
        expect(timeline(shape)).toEqual(timelineOf(log));
      }),
      options,
    );
  });

  it('refuses a log that does not start at the beginning or stops short of where the shape began', () => {
    const log = logOf([{ kind: 'post', who: 1, parent: null, stance: undefined }, { kind: 'react', who: 2, post: 0, emoji: 0, on: true }]);
    const shape = createShape(foldEvents(log));
    expect(backfillTimeline(shape, log.slice(1))).toBe(false);
    expect(backfillTimeline(shape, log.slice(0, log.length - 1))).toBe(false);
    expect(shape.timelineComplete).toBe(false);
    expect(backfillTimeline(shape, log)).toBe(true);
    expect([...shape.reactionsByMinute.values()]).toEqual([1]);
  });

  it('counts replies by branch, stances on top-level arguments, sides and ballots as a reader would', () => {
    const room = new RoomBuilder();
    for (const id of ['ann', 'bob']) room.join(id);
    room.add({ type: 'member.side', actorId: 'ann', side: 'for' });
    room.post('root', 'ann');
    room.add({ type: 'post.created', actorId: 'bob', postId: 'r1', parentId: 'root', body: 'no', stance: 'rebut' });
    room.add({ type: 'post.created', actorId: 'ann', postId: 'r2', parentId: 'r1', body: 'yes', stance: 'rebut' });
    room.add({ type: 'vote.opened', actorId: 'host', vote: 'initial', hideResults: false });
    room.add({ type: 'vote.cast', actorId: 'bob', vote: 'initial', choice: 'against' });
    room.add({ type: 'vote.opened', actorId: 'host', vote: 'final', hideResults: false });
    room.add({ type: 'vote.cast', actorId: 'bob', vote: 'final', choice: 'for' });
    const shape = createShape(room.state);
    expect(shape.repliesByRoot.get('root')).toBe(2);
    // r2 rebuts r1, not the argument: only direct replies count towards an argument's balance.
    expect(shape.stancesByRoot.get('root')).toEqual({ support: 0, rebut: 1, question: 0 });
    expect([...shape.stancesByRoot.keys()]).toEqual(['root']);
    expect([...shape.postsByMinute.values()].reduce((sum, c) => ({ for: sum.for + c.for, none: sum.none + c.none }), { for: 0, none: 0 })).toEqual({ for: 2, none: 1 });
    expect([...shape.flow]).toEqual([['against>for', 1]]);

    // Bob declares a side later: his post moves with him.
    const event = room.add({ type: 'member.side', actorId: 'bob', side: 'against' });
    trackEvents(shape, [event], room.state);
    expect([...shape.postsByMinute.values()].reduce((n, c) => n + c.against, 0)).toBe(1);
    expect(shape.changed.has('posts')).toBe(true);
  });

  it('notices posts that came in without events (older threads paged in)', () => {
    const room = new RoomBuilder();
    room.post('a', 'host');
    const shape = createShape(room.state);
    expect(missesPosts(shape, room.state)).toBe(false);
    mergePosts(room.state, [{ ...room.state.posts.a, id: 'older', createdAt: room.state.posts.a.createdAt - 60_000 }]);
    expect(missesPosts(shape, room.state)).toBe(true);
  });
});

describe('what the charts draw', () => {
  it('bins time from the opening to the last activity, wider bins for a longer debate, at most maxBins', () => {
    const room = new RoomBuilder();
    room.post('a', 'host', { at: T0 + 30_000 });
    room.post('b', 'host', { at: T0 + 4 * 60_000 });
    let axis = timeAxis(createShape(room.state), T0);
    expect(axis).toMatchObject({ binMinutes: 1 });
    expect(axis.starts).toHaveLength(5);
    expect(postsSeries(createShape(room.state), axis).none).toEqual([1, 0, 0, 0, 1]);
    room.post('c', 'host', { at: T0 + 95 * 60_000 });
    axis = timeAxis(createShape(room.state), T0, 30);
    expect(axis.binMinutes).toBe(5);
    expect(axis.starts.length).toBeLessThanOrEqual(30);
    expect(postsSeries(createShape(room.state), axis).none.reduce((a, b) => a + b)).toBe(3);
    // A room left open for a month still gets a bounded axis.
    room.post('d', 'host', { at: T0 + 30 * 24 * 60 * 60_000 });
    expect(timeAxis(createShape(room.state), T0, 30).starts.length).toBeLessThanOrEqual(30);
  });

  it('places a phase in the bin it began in', () => {
    const axis = { starts: [T0, T0 + 300_000], binMinutes: 5 };
    expect(phasePositions([{ phase: 'open', at: T0 + 450_000 }, { phase: 'ended', at: T0 + 3_600_000 }], axis)).toEqual([{ mark: { phase: 'open', at: T0 + 450_000 }, at: 1.5 }]);
  });

  it('shows a hidden vote only once closed and only as counts, and never who moved where', () => {
    const room = new RoomBuilder();
    room.join('ann');
    room.add({ type: 'vote.opened', actorId: 'host', vote: 'initial', hideResults: true });
    room.add({ type: 'vote.cast', actorId: 'ann', vote: 'initial', choice: '' });
    room.add({ type: 'vote.opened', actorId: 'host', vote: 'final', hideResults: false });
    room.add({ type: 'vote.cast', actorId: 'ann', vote: 'final', choice: 'for' });
    let shape = createShape(room.state);
    expect(voteView(room.state, shape, 'initial')).toEqual({ kind: 'initial', status: 'open', hidden: true, counts: null });
    expect(voteView(room.state, shape, 'final').counts).toEqual({ for: 1, against: 0, undecided: 0 });
    expect(flowView(room.state, shape)).toEqual({ shown: false, why: expect.stringMatching(/opening vote kept its ballots secret/) });
    room.add({ type: 'vote.closed', actorId: 'host', vote: 'initial', tally: { for: 0, against: 1, undecided: 0 } });
    shape = createShape(room.state);
    expect(voteView(room.state, shape, 'initial').counts).toEqual({ for: 0, against: 1, undecided: 0 });
    expect(flowView(room.state, shape).shown).toBe(false);
  });

  it('labels posts with their author and plain text, spoilers kept hidden, in linear time', () => {
    const room = new RoomBuilder();
    room.join('ann', 'participant', 'Ann');
    room.post('a', 'ann', { body: 'The **twist**: >!the butler did it!< and [a link](https://x.example).' });
    expect(postLabel(room.state, 'a')).toBe('Ann: “The twist: [spoiler] and a link.”');
    room.post('b', 'ann', { body: `${'>!'.repeat(50_000)}tail` });
    expect(postLabel(room.state, 'b', 20)).toMatch(/^Ann: “! ! ! /);
    room.add({ type: 'post.deleted', actorId: 'ann', postId: 'a' });
    expect(postLabel(room.state, 'a')).toBe('(deleted by its author)');
    expect(postLabel(room.state, 'missing')).toBe('a post not loaded here');
  });

  it('ranks largest first, ties in a stable order', () => {
    expect(largest(new Map([['b', 2], ['a', 2], ['c', 5], ['d', 1]]), 3)).toEqual([['c', 5], ['a', 2], ['b', 2]]);
  });
});
