import { describe, expect, it } from 'vitest';
import { changedMind, mostPersuasive, pairedTallies, stanceBalance, swingOf, tallyOf } from '../../shared/debate.js';
import type { EventDraft, RoomEvent } from '../../shared/room-events.js';
import { foldEvents, type RoomState } from '../../shared/room-state.js';
import { redactEvent, redactState } from '../../shared/redact.js';

/** Fold drafts as a log would: seq 1, 2, 3 …, at = seq * 1000. */
function fold(drafts: EventDraft[]): { state: RoomState; events: RoomEvent[] } {
  const events = drafts.map((draft, i) => ({ ...draft, seq: i + 1, at: draft.at ?? (i + 1) * 1000 }) as RoomEvent);
  return { state: foldEvents(events)!, events };
}

const opened: EventDraft = { type: 'room.opened', actorId: 'host', room: { id: 'room000001', title: 'T', motion: 'M', hostId: 'host', createdAt: 0 } };
const joined = (id: string): EventDraft => ({ type: 'member.joined', actorId: id, name: id, role: id === 'host' ? 'host' : 'participant' });
const cast = (actorId: string, vote: 'initial' | 'final', choice: 'for' | 'against' | 'undecided'): EventDraft => ({ type: 'vote.cast', actorId, vote, choice });

describe('sides', () => {
  it('each declaration replaces the last', () => {
    const { state } = fold([opened, joined('a'), { type: 'member.side', actorId: 'a', side: 'for' }, { type: 'member.side', actorId: 'a', side: 'undecided' }]);
    expect(state.members.a.side).toBe('undecided');
  });
});

describe('reply stances', () => {
  it('are kept on replies only, and balance counts the live replies beneath each post', () => {
    const { state } = fold([
      opened,
      { type: 'post.created', actorId: 'host', postId: 'p1', parentId: null, body: 'claim', stance: 'support' },
      { type: 'post.created', actorId: 'host', postId: 'p2', parentId: 'p1', body: 'yes', stance: 'support' },
      { type: 'post.created', actorId: 'host', postId: 'p3', parentId: 'p1', body: 'no', stance: 'rebut' },
      { type: 'post.created', actorId: 'host', postId: 'p4', parentId: 'p1', body: 'no!', stance: 'rebut' },
      { type: 'post.created', actorId: 'host', postId: 'p5', parentId: 'p1', body: 'why?', stance: 'question' },
      { type: 'post.deleted', actorId: 'host', postId: 'p4' },
    ]);
    expect(state.posts.p1.stance).toBeNull();
    expect(stanceBalance(state).get('p1')).toEqual({ support: 1, rebut: 1, question: 1 });
  });
});

describe('votes and the swing', () => {
  const log: EventDraft[] = [
    opened,
    { type: 'vote.opened', actorId: 'host', vote: 'initial', hideResults: false },
    cast('v1', 'initial', 'for'),
    cast('v2', 'initial', 'against'),
    cast('v3', 'initial', 'undecided'),
    cast('v4', 'initial', 'undecided'),
    cast('v1', 'initial', 'against'),
    cast('v1', 'initial', 'for'),
    { type: 'vote.closed', actorId: 'host', vote: 'initial', tally: { for: 1, against: 1, undecided: 2 } },
    cast('v1', 'initial', 'against'),
    { type: 'vote.opened', actorId: 'host', vote: 'final', hideResults: true },
    cast('v1', 'final', 'for'),
    cast('v2', 'final', 'against'),
    cast('v3', 'final', 'for'),
    cast('v4', 'final', 'against'),
    { type: 'vote.closed', actorId: 'host', vote: 'final', tally: { for: 2, against: 2, undecided: 0 } },
  ];

  it('keeps one ballot per person, refuses ballots after closing, and keeps the closing tally', () => {
    const { state } = fold(log);
    expect(state.votes.initial).toMatchObject({ open: false, ballots: { v1: 'for', v2: 'against', v3: 'undecided', v4: 'undecided' } });
    expect(tallyOf(state.votes.initial)).toEqual({ for: 1, against: 1, undecided: 2 });
  });

  it('computes the swing by the Intelligence Squared rule: the side that gained more share wins', () => {
    const { state } = fold(log);
    // Before: for 25 %, against 25 %. After: for 50 %, against 50 %. Both +25 points: a tie.
    expect(swingOf(state)).toMatchObject({ gain: { for: 25, against: 25 }, winner: null, basis: 'both', voters: { initial: 4, final: 4, both: 4 } });
    // As the server counts it on closing (paired), whatever this reader's ballots say.
    const paired = { before: { for: 1, against: 1, undecided: 2 }, after: { for: 1, against: 3, undecided: 0 }, voters: 4 };
    const { state: swung } = fold([...log.slice(0, -1), { type: 'vote.closed', actorId: 'host', vote: 'final', tally: { for: 1, against: 3, undecided: 0 }, paired }]);
    expect(swingOf(swung)).toMatchObject({ winner: 'against', gain: { for: 0, against: 50 } });
    expect(swingOf(fold(log.slice(0, 10)).state)).toBeNull();
  });

  it('compares the same people: a voter of one round only is left out, and the counts of each round are given', () => {
    // v5 and v6 vote only in the final vote, both For: counted over everyone, For would seem to surge.
    const late = [...log.slice(0, -1), cast('v5', 'final', 'for'), cast('v6', 'final', 'for')];
    const { state } = fold([...late, { type: 'vote.closed', actorId: 'host', vote: 'final', tally: { for: 4, against: 2, undecided: 0 } }]);
    const swing = swingOf(state)!;
    expect(swing).toMatchObject({ basis: 'both', voters: { initial: 4, final: 6, both: 4 }, before: { for: 1, against: 1, undecided: 2 }, after: { for: 2, against: 2, undecided: 0 } });
    expect(swing.winner).toBeNull();
    // The audience's copy hides final ballots: the pairing the server logged on closing is what counts.
    expect(pairedTallies(state.votes.initial!, state.votes.final!)).toEqual({ before: { for: 1, against: 1, undecided: 2 }, after: { for: 2, against: 2, undecided: 0 }, voters: 4 });
    const hidden = redactState(state, 'public');
    expect(pairedTallies(hidden.votes.initial!, hidden.votes.final!)).toBeNull();
    expect(swingOf(hidden)).toMatchObject({ basis: 'each', voters: { initial: 4, final: 6, both: 4 } });
  });

  it('falls back to each round’s own voters when no one voted in both', () => {
    const apart: EventDraft[] = [
      opened,
      { type: 'vote.opened', actorId: 'host', vote: 'initial', hideResults: false },
      cast('a1', 'initial', 'for'),
      { type: 'vote.closed', actorId: 'host', vote: 'initial', tally: { for: 1, against: 0, undecided: 0 } },
      { type: 'vote.opened', actorId: 'host', vote: 'final', hideResults: false },
      cast('b1', 'final', 'against'),
      { type: 'vote.closed', actorId: 'host', vote: 'final', tally: { for: 0, against: 1, undecided: 0 } },
    ];
    expect(swingOf(fold(apart).state)).toMatchObject({ basis: 'each', voters: { initial: 1, final: 1, both: 0 }, winner: 'against' });
  });

  it('hides ballots of a hidden vote from the audience until it closes, without breaking the seq', () => {
    const { state, events } = fold(log.slice(0, 14));
    const publicState = redactState(state, 'public');
    expect(Object.values(publicState.votes.final!.ballots)).toEqual(['', '', '']);
    expect(tallyOf(publicState.votes.final)).toBeNull();
    expect(publicState.votes.initial!.ballots.v1).toBe('for');
    const shown = events.map((event) => redactEvent(event, state, 'public'));
    expect(shown.map((e) => e.seq)).toEqual(events.map((e) => e.seq));
    expect(shown.filter((e) => e.type === 'vote.cast' && e.vote === 'final').every((e) => e.type === 'vote.cast' && e.choice === '')).toBe(true);
    expect(state.votes.final!.ballots.v3).toBe('for');
  });

  it('"this changed my mind" counts people whose final vote differs from their first', () => {
    const { state } = fold([
      ...log,
      { type: 'post.created', actorId: 'host', postId: 'p1', parentId: null, body: 'persuasive' },
      { type: 'post.created', actorId: 'host', postId: 'p2', parentId: null, body: 'also' },
      { type: 'mind.changed', actorId: 'v3', postId: 'p1' },
      { type: 'mind.changed', actorId: 'v4', postId: 'p2' },
      { type: 'mind.changed', actorId: 'v4', postId: 'p1' },
    ]);
    expect([changedMind(state, 'v1'), changedMind(state, 'v2'), changedMind(state, 'v3'), changedMind(state, 'v4')]).toEqual([false, false, true, true]);
    expect(mostPersuasive(state)).toEqual([{ postId: 'p1', people: 2 }]);
  });
});

describe('phases', () => {
  it('move with an optional countdown', () => {
    const { state } = fold([
      opened,
      { type: 'phase.changed', actorId: 'host', phase: 'opening', endsAt: 60_000 },
      { type: 'phase.changed', actorId: 'host', phase: 'open', endsAt: null },
    ]);
    expect(state.phase).toEqual({ phase: 'open', endsAt: null, since: 3000 });
  });
});
