import type { Reaction } from './limits.js';
import type { BlockedTerm, HeldWhy, MemberRole, ModAction, PairedTallies, Phase, PostQuote, RoomEvent, RoomInfo, RoomSettings, Side, Stance, VoteKind } from './room-events.js';
import { applyDebateEvent } from './reducers/debate.js';
import { applyPostEvent } from './reducers/posts.js';
import { applyModerationEvent } from './reducers/moderation.js';
import { applyGroundEvent, groundBefore } from './reducers/common-ground.js';
import type { PostGround, RoomGround } from './common-ground.js';
import { canBeKey, own } from './own.js';
import type { Conduct } from './conduct.js';
import { applyConductEvent } from './reducers/member-record.js';

export interface Member {
  id: string;
  name: string;
  role: MemberRole;
  joinedAt: number;
  /** Muted until this time (ms); null when not muted. Compare with the clock: a mute ends by itself. */
  mutedUntil: number | null;
  muteReason: string;
  banned: boolean;
  /** Approved to post while the room is in "approved speakers only" mode. */
  speaker: boolean;
  handRaised: boolean;
  /** When they last posted or edited a post, for slow mode. */
  lastPostAt: number | null;
  /** Where they stand on the motion; null until they say. */
  side: Side | null;
}

export interface Removal {
  reason: string;
  at: number;
  /** '' where the audience may not see which moderator acted. */
  by: string;
}

export interface Post {
  id: string;
  parentId: string | null;
  authorId: string;
  /** Markdown source as written; '' once deleted by its author, or removed (for non-moderators). */
  body: string;
  createdAt: number;
  editedAt: number | null;
  deletedAt: number | null;
  removed: Removal | null;
  pinnedAt: number | null;
  /** No new replies anywhere beneath this post. */
  locked: boolean;
  /** For a reply: supporting, rebutting or questioning its parent. */
  stance: Stance | null;
  /** Reactor member ids per emoji: counts and "mine" both follow from it. */
  reactions: Partial<Record<Reaction, string[]>>;
  /** A quote-reply: the post it quotes, by reference (absent for other posts). */
  quote?: PostQuote;
  /** Endorsement by side, source requests, steelman mark (shared/common-ground.ts); absent until there is any. */
  ground?: PostGround;
}

/** A post automod held for review: not in the thread until a moderator approves it. */
export interface HeldPost {
  id: string;
  parentId: string | null;
  authorId: string;
  /** '' for non-moderators. */
  body: string;
  term: string;
  createdAt: number;
  stance: Stance | null;
  /** Absent: a blocked term. */
  why?: HeldWhy;
  quote?: PostQuote;
}

export interface Report {
  id: string;
  postId: string;
  /** '' for non-moderators. */
  reporterId: string;
  reason: string;
  at: number;
}

export interface ModLogEntry {
  seq: number;
  at: number;
  action: ModAction;
  /** '' where the audience may not see which moderator acted. */
  actorId: string;
  postId?: string;
  memberId?: string;
  reason?: string;
  /** A short description of what changed, e.g. "slow mode 30 s" or "until 14:05". */
  detail?: string;
}

export type RoomStatus = 'open' | 'locked' | 'closed';

export interface Vote {
  kind: VoteKind;
  open: boolean;
  /** Results stay hidden from the audience until the vote closes. */
  hideResults: boolean;
  openedAt: number;
  closedAt: number | null;
  /** Member id → choice ('' where hidden from this audience). */
  ballots: Record<string, Side | ''>;
  /** The count when it closed. */
  tally: Record<Side, number> | null;
  /** The final vote, closed: both rounds over the people who voted in both (see shared/debate.ts). */
  paired?: PairedTallies;
}

export interface PhaseState {
  phase: Phase | null;
  /** A countdown everyone sees; null for none. */
  endsAt: number | null;
  since: number;
}

export interface RoomState {
  room: RoomInfo;
  /** The seq of the last event folded in. */
  seq: number;
  status: RoomStatus;
  statusReason: string;
  settings: RoomSettings;
  /** Empty for non-moderators. */
  blockedTerms: BlockedTerm[];
  members: Record<string, Member>;
  posts: Record<string, Post>;
  /** Post ids in the order they entered the thread. */
  postOrder: string[];
  held: Record<string, HeldPost>;
  /** Open reports, by report id. */
  reports: Record<string, Report>;
  modLog: ModLogEntry[];
  votes: Partial<Record<VoteKind, Vote>>;
  /** Member id → the post that changed their mind. */
  mindChanges: Record<string, string>;
  phase: PhaseState;
  /** Notes, warnings, sanctions, appeals, closed reports, the guard (absent until the first such event; see conduct.ts). */
  conduct?: Conduct;
  /** Who moved from which side to which (shared/common-ground.ts); absent until someone declares a side. */
  ground?: RoomGround;
  /** Server-only: where members joined from and which networks bans cover. Never served (see redact.ts). */
  network?: NetworkState;
}

/** Keyed by address keys (a hash of room and address, see server/identity.ts), never by addresses. */
export interface NetworkState {
  /** Member id → the address keys they joined from. */
  ofMember: Record<string, string[]>;
  /** Address key → the banned member whose ban covers it, and since when. */
  banned: Record<string, { memberId: string; at: number }>;
}

const DEFAULT_SETTINGS: RoomSettings = { slowModeSeconds: 0, postingMode: 'everyone', showModNames: true };

/**
 * The one reducer over a room's log, run by the server and by every client.
 * It mutates `state` in place (cheap on the server, fine-grained under Vue reactivity) and returns it.
 * It is total: an event that names something unknown changes nothing, so a client can never crash on one.
 */
export function applyEvent(state: RoomState | null, event: RoomEvent): RoomState {
  if (event.type === 'room.opened') {
    return {
      room: { ...event.room },
      seq: event.seq,
      status: 'open',
      statusReason: '',
      settings: { ...DEFAULT_SETTINGS },
      blockedTerms: [],
      members: {},
      posts: {},
      postOrder: [],
      held: {},
      reports: {},
      modLog: [],
      votes: {},
      mindChanges: {},
      phase: { phase: null, endsAt: null, since: event.at },
    };
  }
  if (!state) throw new Error(`The log must start with room.opened, got ${event.type}`);
  state.seq = event.seq;
  // Common ground reads what the event is about to change (a ban lifted by an appeal included), then counts the difference (reducers/common-ground.ts).
  const before = groundBefore(state, event);
  // Then conduct: it records what the moderation reducer is about to drop (the reports a removal closes).
  applyConductEvent(state, event);
  if (event.type === 'member.joined') {
    if (event.addressKey && canBeKey(event.actorId)) ((state.network ??= { ofMember: {}, banned: {} }).ofMember[event.actorId] ??= []).push(event.addressKey);
    if (!own(state.members, event.actorId) && canBeKey(event.actorId)) state.members[event.actorId] = {
      id: event.actorId,
      name: event.name,
      role: event.role,
      joinedAt: event.at,
      mutedUntil: null,
      muteReason: '',
      banned: false,
      speaker: false,
      handRaised: false,
      lastPostAt: null,
      side: null,
    };
    return state;
  }
  if (!applyPostEvent(state, event) && !applyDebateEvent(state, event)) applyModerationEvent(state, event);
  applyGroundEvent(state, event, before);
  return state;
}

export function foldEvents(events: RoomEvent[], state: RoomState | null = null): RoomState | null {
  for (const event of events) state = applyEvent(state, event);
  return state;
}

export function reactionCount(post: Post, emoji: Reaction): number {
  return post.reactions[emoji]?.length ?? 0;
}

export function hasReacted(post: Post, emoji: Reaction, memberId: string | null): boolean {
  return memberId !== null && (post.reactions[emoji]?.includes(memberId) ?? false);
}

/**
 * The one walk up a thread: the post, its parent, and so on up to the topmost post this state holds
 * (nearest first; empty when the post is not here). Bounded by the number of posts: parents always
 * come earlier in the log, but a state is data, and data can be wrong.
 */
export function pathToRoot(state: RoomState, postId: string): Post[] {
  const path: Post[] = [];
  for (let post = own(state.posts, postId); post && path.length <= state.postOrder.length; post = post.parentId ? own(state.posts, post.parentId) : undefined) {
    path.push(post);
  }
  return path;
}

/** The post itself or an ancestor is locked: no replies beneath it. */
export function isThreadLocked(state: RoomState, postId: string): boolean {
  return pathToRoot(state, postId).some((post) => post.locked);
}

/** A post is a tombstone if its author deleted it or a moderator removed it. */
export const isGone = (post: Post) => post.deletedAt !== null || post.removed !== null;
