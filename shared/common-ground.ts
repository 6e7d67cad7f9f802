import type { Reaction } from './limits.js';
import type { Side } from './room-events.js';
import { isGone, type Post, type RoomState } from './room-state.js';
import { own } from './own.js';

/**
 * Common ground: replies ranked by endorsement from both declared sides (a bridging score, as Polis and
 * Community Notes rank), kept current by the reducer (shared/reducers/common-ground.ts) one reaction at a time.
 * See the README's "Common ground" section for why this score.
 */

/** Reactions that endorse a post, and the one that disagrees with it. A person counts once either way. */
export const ENDORSING: readonly Reaction[] = ['👍', '❤️'];
export const DISSENTING: Reaction = '👎';
/**
 * The prior: each side's rate is taken as if three more of its members had reacted without endorsing.
 * So three likes from each side (3 / 6 = 0.5) rank below thirty from each side (30 / 33 ≈ 0.91).
 */
export const PRIOR = 3;

export type SideCounts = Record<Side, number>;
export const noCounts = (): SideCounts => ({ for: 0, against: 0, undecided: 0 });

/** What the room knows of a post beyond its text: who endorses it, by side, and its typed markers. */
export interface PostGround {
  /** Members endorsing it (👍 or ❤️), by their declared side now; its author and people with no side are not counted. */
  up: SideCounts;
  /** Members disagreeing (👎), the same way. */
  down: SideCounts;
  /** "Source requested": who asked, once each, until the author edits a link in. */
  sourceAsks?: string[];
  /** When the author answered the requests by editing in a link. */
  sourceGivenAt?: number;
  /** A rebuttal whose restatement of its parent the parent's author confirmed ("yes, that's my view"). */
  steelmannedAt?: number;
}

/** Where a member first stood and, while they stand elsewhere now, since when. */
export interface Journey {
  first: Side;
  /** When they first declared: a change soon after corrects a slip rather than moving (see JOURNEY_GRACE_MS). */
  since: number;
  movedAt: number | null;
}

/** The room-wide part: each member's journey across sides (bounded by the members). */
export interface RoomGround {
  journeys: Record<string, Journey>;
}

/** A second choice this soon after the first corrects a slip of the finger: it is where they started. */
export const JOURNEY_GRACE_MS = 60_000;

/** One side's endorsement rate with the prior: endorsers over everyone of that side who reacted, plus PRIOR. */
export const sideRate = (up: number, down: number): number => up / (up + down + PRIOR);

/**
 * The bridging score: the lower of the For and Against rates. A pile-on from one side cannot raise it past
 * what the other side gives; equal support from both raises it. 0 with no endorsement from either side.
 */
export function bridgingScore(ground: Pick<PostGround, 'up' | 'down'> | undefined): number {
  if (!ground) return 0;
  return Math.min(sideRate(ground.up.for, ground.down.for), sideRate(ground.up.against, ground.down.against));
}

/** How a post ranks in "Common ground": a confirmed steelman counts as one more endorsement from each side. */
export function groundRank(post: Post): number {
  const ground = post.ground;
  if (!ground?.steelmannedAt) return bridgingScore(ground);
  const lift = (side: 'for' | 'against') => sideRate(ground.up[side] + 1, ground.down[side]);
  return Math.min(lift('for'), lift('against'));
}

export const endorsers = (post: Post): number => (post.ground ? post.ground.up.for + post.ground.up.against + post.ground.up.undecided : 0);

/** The best common ground in the room (replies and threads alike), best first; posts nobody on both sides endorses are left out. */
export function commonGround(state: RoomState, limit = 5): Post[] {
  const ranked: { post: Post; rank: number }[] = [];
  for (const id of state.postOrder) {
    const post = own(state.posts, id);
    if (!post || isGone(post) || !post.ground) continue;
    const rank = groundRank(post);
    if (rank > 0) ranked.push({ post, rank });
  }
  ranked.sort((a, b) => b.rank - a.rank || endorsers(b.post) - endorsers(a.post) || b.post.createdAt - a.post.createdAt);
  return ranked.slice(0, limit).map((entry) => entry.post);
}

/** "liked by 7 For · 5 Against · 2 Undecided": counts, never names. */
export function whyItRanks(ground: PostGround | undefined): string {
  if (!ground || endorsersOf(ground) === 0) return 'no endorsements from declared sides yet';
  const parts = (['for', 'against', 'undecided'] as const).map((side) => `${ground.up[side]} ${SIDE_NAMES[side]}`);
  return `liked by ${parts.join(' · ')}`;
}
const endorsersOf = (ground: PostGround) => ground.up.for + ground.up.against + ground.up.undecided;
export const SIDE_NAMES: Record<Side, string> = { for: 'For', against: 'Against', undecided: 'Undecided' };

/** Open source requests on a post (0 once the author answered with a link). */
export const openSourceAsks = (post: Post): number => (post.ground?.sourceGivenAt ? 0 : (post.ground?.sourceAsks?.length ?? 0));

/** The source requests on a post by the asker's side now ('none': viewers and people who chose no side). */
export function sourceAsksBySide(state: RoomState, post: Post): Record<Side | 'none', number> {
  const counts = { for: 0, against: 0, undecided: 0, none: 0 };
  for (const id of post.ground?.sourceAsks ?? []) counts[own(state.members, id)?.side ?? 'none']++;
  return counts;
}

/** Copies of what the reducer changes in place, for copies of a state it may run on (client/logic/replay-state.ts). */
export function copyPostGround(ground: PostGround): PostGround {
  const copy: PostGround = { ...ground, up: { ...ground.up }, down: { ...ground.down } };
  if (ground.sourceAsks) copy.sourceAsks = ground.sourceAsks.slice();
  return copy;
}
export function copyRoomGround(ground: RoomGround): RoomGround {
  const journeys: RoomGround['journeys'] = {};
  for (const id in ground.journeys) journeys[id] = { ...ground.journeys[id] };
  return { journeys };
}

/**
 * A post's counts from scratch, from its reactions and its reactors' sides now: what the reducer keeps
 * current one reaction at a time. The definition the reducer is tested against, and the recount the bench
 * compares it with; never called on the live path.
 */
export function countGround(state: RoomState, post: Post): Pick<PostGround, 'up' | 'down'> {
  const up = noCounts();
  const down = noCounts();
  const sideOf = (id: string) => {
    const member = own(state.members, id);
    return id !== post.authorId && member && !member.banned ? member.side : null;
  };
  const endorsing = new Set(ENDORSING.flatMap((emoji) => post.reactions[emoji] ?? []));
  for (const id of endorsing) {
    const side = sideOf(id);
    if (side) up[side]++;
  }
  for (const id of post.reactions[DISSENTING] ?? []) {
    const side = sideOf(id);
    if (side) down[side]++;
  }
  return { up, down };
}
