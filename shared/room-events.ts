import type { Reaction } from './limits.js';

export type MemberRole = 'host' | 'moderator' | 'participant';
export type PostingMode = 'everyone' | 'speakers';
export type BlockedTermAction = 'reject' | 'hold';
/** A position on the motion. */
export type Side = 'for' | 'against' | 'undecided';
/** How a reply relates to its parent. */
export type Stance = 'support' | 'rebut' | 'question';
export type VoteKind = 'initial' | 'final';
/**
 * Why a post waits for review: a blocked term, it came from a network a ban covers, it is one of a new
 * member's first posts (the host's dampening), or shield mode holds new members' posts.
 */
export type HeldWhy = 'term' | 'network' | 'new' | 'shield';
export type Phase = 'opening' | 'open' | 'closing' | 'ended';

export interface RoomInfo {
  id: string;
  title: string;
  motion: string;
  hostId: string;
  createdAt: number;
}

export interface BlockedTerm {
  term: string;
  action: BlockedTermAction;
}

/** Settings moderators change while the debate runs. */
export interface RoomSettings {
  /** Seconds between posts per participant; 0 is off. Moderators are exempt. */
  slowModeSeconds: number;
  postingMode: PostingMode;
  /** Whether non-moderators see which moderator acted. */
  showModNames: boolean;
  /** Whether non-moderators may download the transcript (absent: yes; the host's choice). */
  publicExport?: boolean;
  /** Whether a rebuttal's restatement of its parent can be confirmed by that post's author (absent: no; the host's choice). */
  steelman?: boolean;
}

/**
 * Quote-reply: which post a reply quotes (the post it answers), and which part of that post's text
 * (offsets into its markdown source, end exclusive; none: all of it). A reference, never a copy: the
 * quote shows what that post shows now to each reader, so removing or deleting it, or editing it,
 * leaves no old text behind in the replies that quoted it (see client/components/thread/ThreadPostQuote.vue).
 */
export interface PostQuote {
  postId: string;
  start?: number;
  end?: number;
}

/** Fields every logged event carries. `seq` is 1, 2, 3 … per room; `at` is the server's clock (ms). */
interface EventBase {
  seq: number;
  at: number;
  /** The member who caused it ('' where hidden from this audience). */
  actorId: string;
}

export type RoomEvent = EventBase &
  (
    | { type: 'room.opened'; room: RoomInfo }
    /** `addressKey` (server-only, see network.ts) is where they joined from: a ban can cover it. */
    | { type: 'member.joined'; name: string; role: MemberRole; addressKey?: string }
    | { type: 'post.created'; postId: string; parentId: string | null; body: string; stance?: Stance; quote?: PostQuote }
    | { type: 'post.edited'; postId: string; body: string }
    | { type: 'post.deleted'; postId: string }
    | { type: 'reaction.added'; postId: string; emoji: Reaction }
    | { type: 'reaction.removed'; postId: string; emoji: Reaction }
    // Moderation: posts
    | { type: 'post.removed'; postId: string; reason: string }
    /** Carries the body again: audiences that never had a removed post's text get it back. */
    | { type: 'post.restored'; postId: string; body: string }
    | { type: 'post.pinned'; postId: string }
    | { type: 'post.unpinned'; postId: string }
    | { type: 'thread.locked'; postId: string }
    | { type: 'thread.unlocked'; postId: string }
    /** Automod held a post for review; only moderators receive its body. */
    | { type: 'post.held'; postId: string; parentId: string | null; body: string; term: string; stance?: Stance; why?: HeldWhy; quote?: PostQuote }
    /** Carries the body: non-moderators never received the held text. */
    | { type: 'post.approved'; postId: string; body: string }
    | { type: 'post.rejected'; postId: string; reason: string }
    // Moderation: people
    | { type: 'member.muted'; memberId: string; until: number; reason: string }
    | { type: 'member.unmuted'; memberId: string }
    /** `addressKeys` (server-only): the networks the ban covers, so a new name from them is held for review. */
    | { type: 'member.banned'; memberId: string; reason: string; removePosts: boolean; addressKeys?: string[] }
    | { type: 'member.unbanned'; memberId: string }
    | { type: 'member.promoted'; memberId: string }
    | { type: 'member.demoted'; memberId: string }
    | { type: 'hand.raised' }
    | { type: 'hand.lowered' }
    | { type: 'hand.resolved'; memberId: string; approved: boolean }
    | { type: 'speaker.revoked'; memberId: string }
    // Moderation: the room
    | { type: 'room.settings'; settings: Partial<RoomSettings> }
    /** Only moderators receive the terms themselves. */
    | { type: 'room.blockedTerms'; terms: BlockedTerm[] }
    | { type: 'room.locked'; reason: string }
    | { type: 'room.unlocked' }
    | { type: 'room.closed'; reason: string }
    // Reports: only moderators receive who reported and why.
    | { type: 'report.filed'; reportId: string; postId: string; reason: string }
    /** `reason` (optional): the public reason each reporter is told. */
    | { type: 'report.dismissed'; postId: string; reason?: string }
    // The debate
    | { type: 'member.side'; side: Side }
    | { type: 'vote.opened'; vote: VoteKind; hideResults: boolean }
    /** Everyone with an identity votes, viewers included; `choice` is '' for others while results are hidden. */
    | { type: 'vote.cast'; vote: VoteKind; choice: Side | '' }
    /** `paired` (closing the final vote): both rounds counted over the people who voted in both, for the swing. */
    | { type: 'vote.closed'; vote: VoteKind; tally: Record<Side, number>; paired?: PairedTallies }
    | { type: 'mind.changed'; postId: string }
    | { type: 'phase.changed'; phase: Phase; endsAt: number | null }
    // Moderation in depth: notes, warnings, appeals, the room's guard (shared/conduct.ts, reducers/member-record.ts)
    /** A private note on a member: only moderators ever receive its text, or whom it is about. */
    | { type: 'member.noted'; memberId: string; noteId: string; note: string }
    /** A warning the member sees as a banner; in the public mod log with its reason. */
    | { type: 'member.warned'; memberId: string; reason: string }
    /** The actor appeals their mute or ban (the seq of that event); the text reaches moderators and the appellant only. */
    | { type: 'appeal.filed'; appealId: string; sanction: SanctionKind; sanctionSeq: number; text: string }
    /** Accepted lifts the sanction; both are in the public mod log with the reason. */
    | { type: 'appeal.accepted'; appealId: string; memberId: string; sanction: SanctionKind; reason: string }
    | { type: 'appeal.declined'; appealId: string; memberId: string; sanction: SanctionKind; reason: string }
    | { type: 'room.guard'; guard: Partial<RoomGuard> }
    // Common ground (shared/common-ground.ts)
    /** "Source requested": a typed marker on a claim, once per person, until its author edits a link in. */
    | { type: 'source.requested'; postId: string }
    /** The parent's author confirms a rebuttal's restatement of their view ("yes, that's my view"). */
    | { type: 'steelman.confirmed'; postId: string }
  );

/** What an appeal can be of. */
export type SanctionKind = 'mute' | 'ban';

/** New-member dampening and shield mode (see shared/conduct.ts for what each does). */
export interface RoomGuard {
  /** Members post only this many minutes after joining (0: off). Moderators are exempt. */
  newMemberMinutes: number;
  /** Each member's first this many posts wait for review (0: off). */
  newMemberHeldPosts: number;
  /** Shield mode: new members' posts held, slow mode at least SHIELD_SLOW_SECONDS, blocked terms strict, no new participants. */
  shield: boolean;
}

export type RoomEventType = RoomEvent['type'];

/** The opening and final votes of the people who voted in both: their ballots before and after. */
export interface PairedTallies {
  before: Record<Side, number>;
  after: Record<Side, number>;
  voters: number;
}
export type EventOf<T extends RoomEventType> = Extract<RoomEvent, { type: T }>;

/** An event before the store stamps it with `seq` (and `at`, where the decision did not). */
export type EventDraft = RoomEvent extends infer E ? (E extends RoomEvent ? Omit<E, 'seq' | 'at'> & { at?: number } : never) : never;

/** Events that are moderation actions: each becomes a mod log entry everyone can read. */
export const MOD_ACTIONS = [
  'post.removed',
  'post.restored',
  'post.pinned',
  'post.unpinned',
  'thread.locked',
  'thread.unlocked',
  'post.approved',
  'post.rejected',
  'member.muted',
  'member.unmuted',
  'member.banned',
  'member.unbanned',
  'member.promoted',
  'member.demoted',
  'hand.resolved',
  'speaker.revoked',
  'room.settings',
  'room.blockedTerms',
  'room.locked',
  'room.unlocked',
  'room.closed',
  'report.dismissed',
  'member.warned',
  'appeal.accepted',
  'appeal.declined',
  'room.guard',
] as const satisfies readonly RoomEventType[];
export type ModAction = (typeof MOD_ACTIONS)[number];
export const isModAction = (event: RoomEvent): event is Extract<RoomEvent, { type: ModAction }> =>
  (MOD_ACTIONS as readonly string[]).includes(event.type);
