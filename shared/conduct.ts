import type { RoomGuard, SanctionKind, Side } from './room-events.js';
import type { Member, RoomState } from './room-state.js';
import { own } from './own.js';

/**
 * Moderation in depth (issue 16): what the room remembers about each person's conduct, and the rules of
 * the room's guard (new-member dampening, shield mode). Folded by shared/reducers/member-record.ts;
 * redacted by shared/redact.ts (notes, closed reports and appeal texts are for moderators only).
 */

export interface MemberNote {
  id: string;
  /** The moderator who wrote it. */
  by: string;
  at: number;
  text: string;
}

export interface Warning {
  seq: number;
  at: number;
  /** '' where the audience may not see which moderator acted. */
  by: string;
  reason: string;
}

/** A mute or ban in force: the event an appeal is of. */
export interface Sanction {
  seq: number;
  at: number;
  by: string;
  reason: string;
}

export type AppealStatus = 'open' | 'accepted' | 'declined';

export interface Appeal {
  id: string;
  memberId: string;
  sanction: SanctionKind;
  sanctionSeq: number;
  /** '' for everyone but moderators and the appellant. */
  text: string;
  at: number;
  status: AppealStatus;
  decidedBy: string;
  decidedAt: number | null;
  /** Why it was declined (or accepted): the appellant reads it, and the public mod log. */
  reason: string;
}

/** A report that is no longer open, and what became of it: the reporter is told, with the public reason. */
export interface ClosedReport {
  id: string;
  postId: string;
  reporterId: string;
  reason: string;
  at: number;
  outcome: 'acted' | 'dismissed';
  /** The removal's reason, or the reason given on dismissing. */
  publicReason: string;
  decidedAt: number;
}

export interface Conduct {
  /** Member → notes (moderators only). */
  notes: Record<string, MemberNote[]>;
  /** Member → their most recent warnings. */
  warnings: Record<string, Warning[]>;
  /** Member → the mute or ban in force, as logged. */
  sanctions: Record<string, Partial<Record<SanctionKind, Sanction>>>;
  appeals: Record<string, Appeal>;
  /** The most recent closed reports, oldest first (moderators only; each reporter hears of their own). */
  reportsClosed: ClosedReport[];
  guard: RoomGuard & { shieldSince: number | null };
  /** Member → how many of their posts entered the thread (for holding a new member's first posts). */
  posted: Record<string, number>;
  /** Member → their most recent side changes, for their record. */
  sides: Record<string, { side: Side; at: number }[]>;
}

export const conductLimits = {
  notesPerMember: 50,
  noteMax: 500,
  warningsKept: 20,
  sidesKept: 20,
  reportsClosedKept: 500,
  appealMax: 500,
  newMemberMaxMinutes: 24 * 60,
  newMemberMaxHeldPosts: 20,
  /** "Moderator handover" signals: how long one lasts unless renewed, and how often a client renews it. */
  reviewingTtlMs: 20_000,
  reviewingRenewMs: 8_000,
} as const;

/** Shield mode's slow mode, at least (a slower one the room already has stays). */
export const SHIELD_SLOW_SECONDS = 30;
/** Under shield, "new" is whoever joined this long before it went up, or since. */
export const SHIELD_NEW_WITHIN_MS = 10 * 60_000;

export const NO_GUARD: Conduct['guard'] = { newMemberMinutes: 0, newMemberHeldPosts: 0, shield: false, shieldSince: null };

export function emptyConduct(): Conduct {
  return { notes: {}, warnings: {}, sanctions: {}, appeals: {}, reportsClosed: [], guard: { ...NO_GUARD }, posted: {}, sides: {} };
}

export const guardOf = (state: Pick<RoomState, 'conduct'> | undefined): Conduct['guard'] => state?.conduct?.guard ?? NO_GUARD;

/** Slow mode as it applies: the room's setting, or shield mode's if that is slower. */
export function effectiveSlowMode(state: RoomState | undefined): number {
  const seconds = state?.settings.slowModeSeconds ?? 0;
  return guardOf(state).shield ? Math.max(seconds, SHIELD_SLOW_SECONDS) : seconds;
}

/** Whole minutes until the host's "N minutes in the room before posting" lets this member post (0: now). */
export function newMemberWait(state: RoomState | undefined, member: Member | undefined, now: number): number {
  const minutes = guardOf(state).newMemberMinutes;
  if (!minutes || !member) return 0;
  return Math.max(0, Math.ceil((member.joinedAt + minutes * 60_000 - now) / 60_000));
}

/** Whether shield mode counts this member as new (joined just before it went up, or since). */
export function newUnderShield(state: RoomState, member: Member): boolean {
  const guard = guardOf(state);
  return guard.shield && guard.shieldSince !== null && member.joinedAt >= guard.shieldSince - SHIELD_NEW_WITHIN_MS;
}

/** Why the room's guard holds this (non-moderator) member's next post for review, if it does. */
export function guardHolds(state: RoomState, member: Member): 'new' | 'shield' | null {
  if (newUnderShield(state, member)) return 'shield';
  const first = guardOf(state).newMemberHeldPosts;
  return first && (state.conduct?.posted[member.id] ?? 0) < first ? 'new' : null;
}

/** Shield mode pauses new participants; watching stays open. */
export function joinPaused(state: RoomState): string | null {
  return guardOf(state).shield ? 'Shield mode is on: new participants are paused for now. You can watch, and join in later.' : null;
}

/** The sanction in force on a member that they may appeal: a ban, or a mute that has not ended. */
export function appealable(state: RoomState, member: Member, now: number): { kind: SanctionKind; sanction: Sanction } | null {
  const held = state.conduct?.sanctions[member.id];
  if (member.banned && held?.ban) return { kind: 'ban', sanction: held.ban };
  if (member.mutedUntil !== null && member.mutedUntil > now && held?.mute) return { kind: 'mute', sanction: held.mute };
  return null;
}

export function openAppealsOf(state: RoomState | undefined, memberId: string): Appeal[] {
  return Object.values(state?.conduct?.appeals ?? {}).filter((appeal) => appeal.memberId === memberId && appeal.status === 'open');
}

/** A member's appeal of one sanction (there is at most one per action per person). */
export function appealOf(state: RoomState, memberId: string, sanctionSeq: number): Appeal | undefined {
  return Object.values(state.conduct?.appeals ?? {}).find((appeal) => appeal.memberId === memberId && appeal.sanctionSeq === sanctionSeq);
}

export const ownAppeal = (state: RoomState, appealId: string) => (state.conduct ? own(state.conduct.appeals, appealId) : undefined);
