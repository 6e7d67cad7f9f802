import type { Tally } from '../../shared/debate.js';
import { own } from '../../shared/own.js';
import type { Phase, RoomEvent, Side, Stance, VoteKind } from '../../shared/room-events.js';
import { pathToRoot, type RoomState } from '../../shared/room-state.js';

/**
 * The shape of a debate, for the charts: counts kept up to date event by event, never recomputed per event.
 *
 * Most of it follows from the room state (posts, sides, ballots, minds changed): each post, voter and
 * mind-changer contributes a little to the counts, and an event retracts the contributions of what it
 * touched and adds them again as the state now has them. So applying events to a shape gives exactly
 * what `createShape` would compute from the state afterwards, whatever the batch. Times the state does not
 * keep (when reactions came, when phases began) come from events alone: the timeline.
 */

/** Where an author stands: their declared side now, or none declared. */
export type Camp = Side | 'none';
export const CAMPS: readonly Camp[] = ['for', 'against', 'undecided', 'none'];
export type CampCounts = Record<Camp, number>;
export type StanceCounts = Record<Stance, number>;
export const STANCES: readonly Stance[] = ['support', 'rebut', 'question'];

/** Which chart a change concerns, so only those charts update. */
export type ShapePart = 'posts' | 'authors' | 'branches' | 'stances' | 'minds' | 'votes' | 'reactions' | 'phases';

export const MINUTE_MS = 60_000;
export const minuteOf = (at: number) => Math.floor(at / MINUTE_MS);

/** One post's contribution: where it was counted. Null for a post the room no longer shows (deleted or removed). */
interface PostMark {
  minute: number;
  authorId: string;
  camp: Camp;
  /** The top-level post of its branch (a reply's), or null for a top-level post. */
  rootId: string | null;
  /** The top-level post it replies to directly with a stance, if so. */
  stanceOn: string | null;
  stance: Stance | null;
}

export interface PhaseMark {
  phase: Phase;
  at: number;
}

export interface DebateShape {
  postsByMinute: Map<number, CampCounts>;
  postsByAuthor: Map<string, number>;
  /** Top-level post → replies anywhere beneath it. */
  repliesByRoot: Map<string, number>;
  /** Top-level post → its direct replies by stance. */
  stancesByRoot: Map<string, StanceCounts>;
  /** Post → people who said it changed their mind. */
  mindsByPost: Map<string, number>;
  /** Ballots whose choice this audience can see (none in a vote that hides its results). */
  ballotCounts: Record<VoteKind, Tally>;
  /** "for>against" → people whose visible opening ballot was the one and final ballot the other. */
  flow: Map<string, number>;
  reactionsByMinute: Map<number, number>;
  phaseMarks: PhaseMark[];
  /** The seq the shape was built from: its timeline holds only what came after (unless back-filled from the log). */
  seededAt: number;
  /** Whether the timeline covers the room from its first event. */
  timelineComplete: boolean;
  /** How many phase marks came from the state rather than from events (the phase it was in): 0 or 1. */
  seedMarks: number;
  /** The parts changed since the charts last took them (the charts clear it). */
  changed: Set<ShapePart>;
  marks: Map<string, PostMark | null>;
  postsOf: Map<string, Set<string>>;
  ballotsOf: Map<string, Partial<Record<VoteKind, Side>>>;
  mindOf: Map<string, string>;
}

const ALL_PARTS: ShapePart[] = ['posts', 'authors', 'branches', 'stances', 'minds', 'votes', 'reactions', 'phases'];
const noTally = (): Tally => ({ for: 0, against: 0, undecided: 0 });

/** Adds `by` to a count, dropping entries that reach zero (so a retraction leaves what a fresh count would). */
function bump<K>(map: Map<K, number>, key: K, by: number): void {
  const next = (map.get(key) ?? 0) + by;
  if (next === 0) map.delete(key);
  else map.set(key, next);
}

function bumpIn<K, F extends string>(map: Map<K, Record<F, number>>, key: K, field: F, by: number, blank: () => Record<F, number>): void {
  const entry = map.get(key) ?? blank();
  entry[field] += by;
  if (Object.values<number>(entry).every((n) => n === 0)) map.delete(key);
  else map.set(key, entry);
}

const noCamps = (): CampCounts => ({ for: 0, against: 0, undecided: 0, none: 0 });
const noStances = (): StanceCounts => ({ support: 0, rebut: 0, question: 0 });

/** The top-level post above a reply: the topmost ancestor this state holds (or the id of a missing one). */
function rootOf(state: RoomState, parentId: string): string {
  const top = pathToRoot(state, parentId).at(-1);
  return top ? (top.parentId ?? top.id) : parentId;
}

function markOf(state: RoomState, postId: string): PostMark | null {
  const post = own(state.posts, postId);
  if (!post || post.deletedAt !== null || post.removed !== null) return null;
  const parent = post.parentId ? own(state.posts, post.parentId) : undefined;
  return {
    minute: minuteOf(post.createdAt),
    authorId: post.authorId,
    camp: own(state.members, post.authorId)?.side ?? 'none',
    rootId: post.parentId ? rootOf(state, post.parentId) : null,
    stanceOn: post.stance && parent && parent.parentId === null ? parent.id : null,
    stance: post.stance,
  };
}

function count(shape: DebateShape, mark: PostMark | null | undefined, by: 1 | -1): void {
  if (!mark) return;
  bumpIn(shape.postsByMinute, mark.minute, mark.camp, by, noCamps);
  bump(shape.postsByAuthor, mark.authorId, by);
  if (mark.rootId !== null) bump(shape.repliesByRoot, mark.rootId, by);
  if (mark.stanceOn !== null && mark.stance) bumpIn(shape.stancesByRoot, mark.stanceOn, mark.stance, by, noStances);
}

function recountPost(shape: DebateShape, state: RoomState, postId: string): void {
  const post = own(state.posts, postId);
  if (!post) return;
  count(shape, shape.marks.get(postId), -1);
  const mark = markOf(state, postId);
  count(shape, mark, 1);
  shape.marks.set(postId, mark);
  let theirs = shape.postsOf.get(post.authorId);
  if (!theirs) shape.postsOf.set(post.authorId, (theirs = new Set()));
  theirs.add(postId);
}

/** A voter's visible choices, as the state has them now. */
function visibleBallots(state: RoomState, memberId: string): Partial<Record<VoteKind, Side>> {
  const mine: Partial<Record<VoteKind, Side>> = {};
  for (const kind of ['initial', 'final'] as const) {
    const choice = state.votes[kind] && own(state.votes[kind].ballots, memberId);
    if (choice) mine[kind] = choice;
  }
  return mine;
}

function countBallots(shape: DebateShape, ballots: Partial<Record<VoteKind, Side>> | undefined, by: 1 | -1): void {
  if (!ballots) return;
  if (ballots.initial) shape.ballotCounts.initial[ballots.initial] += by;
  if (ballots.final) shape.ballotCounts.final[ballots.final] += by;
  if (ballots.initial && ballots.final) bump(shape.flow, `${ballots.initial}>${ballots.final}`, by);
}

function recountVoter(shape: DebateShape, state: RoomState, memberId: string): void {
  countBallots(shape, shape.ballotsOf.get(memberId), -1);
  const ballots = visibleBallots(state, memberId);
  countBallots(shape, ballots, 1);
  if (ballots.initial || ballots.final) shape.ballotsOf.set(memberId, ballots);
  else shape.ballotsOf.delete(memberId);
}

function recountMind(shape: DebateShape, state: RoomState, memberId: string): void {
  const before = shape.mindOf.get(memberId);
  if (before !== undefined) bump(shape.mindsByPost, before, -1);
  const now = own(state.mindChanges, memberId);
  if (now === undefined) shape.mindOf.delete(memberId);
  else {
    shape.mindOf.set(memberId, now);
    bump(shape.mindsByPost, now, 1);
  }
}

/** Everything the state says, counted from scratch; the timeline starts with the phase the room is in. */
export function createShape(state: RoomState | null): DebateShape {
  const shape: DebateShape = {
    postsByMinute: new Map(),
    postsByAuthor: new Map(),
    repliesByRoot: new Map(),
    stancesByRoot: new Map(),
    mindsByPost: new Map(),
    ballotCounts: { initial: noTally(), final: noTally() },
    flow: new Map(),
    reactionsByMinute: new Map(),
    phaseMarks: state?.phase.phase ? [{ phase: state.phase.phase, at: state.phase.since }] : [],
    seededAt: state?.seq ?? 0,
    timelineComplete: (state?.seq ?? 0) <= 1,
    seedMarks: state?.phase.phase ? 1 : 0,
    changed: new Set(ALL_PARTS),
    marks: new Map(),
    postsOf: new Map(),
    ballotsOf: new Map(),
    mindOf: new Map(),
  };
  if (!state) return shape;
  for (const id of state.postOrder) recountPost(shape, state, id);
  const voters = new Set([...Object.keys(state.votes.initial?.ballots ?? {}), ...Object.keys(state.votes.final?.ballots ?? {})]);
  for (const id of voters) recountVoter(shape, state, id);
  for (const id of Object.keys(state.mindChanges)) recountMind(shape, state, id);
  return shape;
}

/** The state counted afresh (say, after older threads were paged in), the timeline carried over: the state has no times to recount it from. */
export function recountShape(previous: DebateShape, state: RoomState): DebateShape {
  const shape = createShape(state);
  shape.reactionsByMinute = previous.reactionsByMinute;
  shape.phaseMarks = previous.phaseMarks;
  shape.seededAt = previous.seededAt;
  shape.timelineComplete = previous.timelineComplete;
  shape.seedMarks = previous.seedMarks;
  return shape;
}

/** Whether the state gained posts without events (older threads paged in): then the shape is built again. */
export const missesPosts = (shape: DebateShape, state: RoomState) => shape.marks.size !== state.postOrder.length;

/** The timeline's share of an event: when reactions came and phases began. */
function addToTimeline(shape: DebateShape, event: RoomEvent): void {
  if (event.type === 'reaction.added') {
    bump(shape.reactionsByMinute, minuteOf(event.at), 1);
    shape.changed.add('reactions');
  } else if (event.type === 'phase.changed') {
    shape.phaseMarks.push({ phase: event.phase, at: event.at });
    shape.changed.add('phases');
  }
}

/**
 * Takes in events the room state has just applied (`state` is the state after all of them). Only what they
 * touched is counted again.
 */
export function trackEvents(shape: DebateShape, events: readonly RoomEvent[], state: RoomState): void {
  const posts = new Set<string>();
  const voters = new Set<string>();
  const minds = new Set<string>();
  const withPostsOf = (memberId: string) => shape.postsOf.get(memberId)?.forEach((id) => posts.add(id));
  for (const event of events) {
    addToTimeline(shape, event);
    switch (event.type) {
      case 'post.created':
      case 'post.deleted':
      case 'post.removed':
      case 'post.restored':
      case 'post.approved':
        posts.add(event.postId);
        break;
      case 'member.side':
        withPostsOf(event.actorId);
        shape.changed.add('authors');
        break;
      case 'member.banned':
        if (event.removePosts) withPostsOf(event.memberId);
        break;
      case 'vote.cast':
        voters.add(event.actorId);
        break;
      case 'vote.opened':
      case 'vote.closed':
        shape.changed.add('votes');
        break;
      case 'mind.changed':
        minds.add(event.actorId);
        break;
      case 'post.edited':
        // Only the labels change: the charts that name posts.
        for (const part of ['branches', 'stances', 'minds'] as const) shape.changed.add(part);
        break;
    }
  }
  // Posts new in this batch are indexed by author as they are counted; members' older posts were found above.
  for (const id of posts) recountPost(shape, state, id);
  for (const id of voters) recountVoter(shape, state, id);
  for (const id of minds) recountMind(shape, state, id);
  if (posts.size) for (const part of ['posts', 'authors', 'branches', 'stances'] as const) shape.changed.add(part);
  if (voters.size) shape.changed.add('votes');
  if (minds.size) shape.changed.add('minds');
}

/**
 * The room's log from its first event, read after the shape was built: the timeline before `seededAt` is
 * filled in from it. Returns false (and changes nothing) when the log does not start at the beginning or
 * does not reach the seq the shape was built from.
 */
export function backfillTimeline(shape: DebateShape, log: readonly RoomEvent[]): boolean {
  if (shape.timelineComplete) return true;
  if (log[0]?.seq !== 1 || log[log.length - 1].seq < shape.seededAt) return false;
  const live = { reactions: shape.reactionsByMinute, phases: shape.phaseMarks.slice(shape.seedMarks) };
  shape.reactionsByMinute = new Map();
  shape.phaseMarks = [];
  for (const event of log) if (event.seq <= shape.seededAt) addToTimeline(shape, event);
  for (const [minute, n] of live.reactions) bump(shape.reactionsByMinute, minute, n);
  shape.phaseMarks.push(...live.phases);
  shape.timelineComplete = true;
  shape.seedMarks = 0;
  shape.changed.add('reactions').add('phases');
  return true;
}
