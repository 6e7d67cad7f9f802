import type { PairedTallies, Side, VoteKind } from './room-events.js';
import type { RoomState, Vote } from './room-state.js';
import { own } from './own.js';

export const SIDES: readonly Side[] = ['for', 'against', 'undecided'];

export type Tally = Record<Side, number>;

/** The count of a vote: from its ballots while open (if this audience can see them), as closed otherwise. */
export function tallyOf(vote: Vote | undefined): Tally | null {
  if (!vote) return null;
  if (vote.tally) return vote.tally;
  const tally: Tally = { for: 0, against: 0, undecided: 0 };
  for (const choice of Object.values(vote.ballots)) {
    if (choice === '') return null;
    tally[choice]++;
  }
  return tally;
}

export function shares(tally: Tally): Tally {
  const total = tally.for + tally.against + tally.undecided;
  if (total === 0) return { for: 0, against: 0, undecided: 0 };
  return { for: tally.for / total, against: tally.against / total, undecided: tally.undecided / total };
}

export interface Swing {
  before: Tally;
  after: Tally;
  /** Change in share, in percentage points. */
  gain: { for: number; against: number };
  /** The Intelligence Squared rule: the side whose share grew more wins; null on a tie. */
  winner: 'for' | 'against' | null;
  /**
   * Whom before and after count: 'both', the people who voted in both rounds (the same group twice,
   * so a change is a change of mind); 'each', each round's own voters (the groups differ), only
   * when no one voted in both or the ballots cannot be paired.
   */
  basis: 'both' | 'each';
  /** How many voted in the opening vote, in the final vote, and in both. */
  voters: { initial: number; final: number; both: number };
}

const total = (tally: Tally) => tally.for + tally.against + tally.undecided;

/** Both rounds counted over the people who voted in both; null while a ballot is hidden from this reader. */
export function pairedTallies(initial: Vote, final: Vote): PairedTallies | null {
  const before: Tally = { for: 0, against: 0, undecided: 0 };
  const after: Tally = { for: 0, against: 0, undecided: 0 };
  let voters = 0;
  for (const [memberId, last] of Object.entries(final.ballots)) {
    if (!Object.hasOwn(initial.ballots, memberId)) continue;
    const first = initial.ballots[memberId];
    if (!first || !last) return null;
    before[first]++;
    after[last]++;
    voters++;
  }
  return { before, after, voters };
}

/** Before and after, once both votes have closed: over those who voted in both where there are any. */
export function swingOf(state: RoomState): Swing | null {
  const initial = state.votes.initial;
  const final = state.votes.final;
  if (!initial?.tally || !final?.tally) return null;
  const paired = final.paired ?? pairedTallies(initial, final);
  const both = paired?.voters ?? Object.keys(final.ballots).filter((id) => Object.hasOwn(initial.ballots, id)).length;
  const voters = { initial: total(initial.tally), final: total(final.tally), both };
  const basis = paired && paired.voters > 0 ? 'both' : 'each';
  const counted = basis === 'both' ? paired! : { before: initial.tally, after: final.tally };
  const before = shares(counted.before);
  const after = shares(counted.after);
  const gain = { for: (after.for - before.for) * 100, against: (after.against - before.against) * 100 };
  const winner = Math.abs(gain.for - gain.against) < 1e-9 ? null : gain.for > gain.against ? 'for' : 'against';
  return { before: counted.before, after: counted.after, gain, winner, basis, voters };
}

/** Whether this person's final vote differs from their first (only knowable where ballots are visible). */
export function changedMind(state: RoomState, memberId: string): boolean {
  const first = state.votes.initial && own(state.votes.initial.ballots, memberId);
  const last = state.votes.final && own(state.votes.final.ballots, memberId);
  return !!first && !!last && first !== last;
}

/** The posts that moved the most people, most first. */
export function mostPersuasive(state: RoomState, limit = 5): { postId: string; people: number }[] {
  const counts = new Map<string, number>();
  for (const postId of Object.values(state.mindChanges)) counts.set(postId, (counts.get(postId) ?? 0) + 1);
  return [...counts]
    .filter(([postId]) => own(state.posts, postId))
    .map(([postId, people]) => ({ postId, people }))
    // A confirmed steelman goes first among equals (see shared/common-ground.ts).
    .sort((a, b) => b.people - a.people || Number(!!state.posts[b.postId].ground?.steelmannedAt) - Number(!!state.posts[a.postId].ground?.steelmannedAt))
    .slice(0, limit);
}

/** The supporting / rebutting / questioning replies directly beneath each post. */
export function stanceBalance(state: RoomState): Map<string, { support: number; rebut: number; question: number }> {
  const balance = new Map<string, { support: number; rebut: number; question: number }>();
  for (const id of state.postOrder) {
    const post = state.posts[id];
    if (!post.parentId || !post.stance || post.deletedAt !== null || post.removed) continue;
    const entry = balance.get(post.parentId) ?? { support: 0, rebut: 0, question: 0 };
    entry[post.stance]++;
    balance.set(post.parentId, entry);
  }
  return balance;
}

export const voteLabel = (kind: VoteKind) => (kind === 'initial' ? 'Opening vote' : 'Final vote');
