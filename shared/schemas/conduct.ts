import { z } from 'zod';
import { conductLimits, type Appeal } from '../conduct.js';
import { limits } from '../limits.js';
import type { HeldWhy, SanctionKind } from '../room-events.js';
import { Id, Reason, Token, line } from './common.js';

/** A private note (moderators only) or a warning (the member sees it; the public mod log has its reason). */
export const ConductMemberInput = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('note'), memberId: Id, note: line(conductLimits.noteMax, { empty: 'Write the note.' }) }),
  z.strictObject({ action: z.literal('warn'), memberId: Id, reason: line(limits.reasonMax, { empty: 'Say what the warning is for.' }) }),
]);
export type ConductMemberInput = z.input<typeof ConductMemberInput>;

/**
 * Who asks, when not joined: a banned person cannot join, so they name the room and present their token
 * (the secret that makes them that member) to appeal, or to read their own standing.
 */
const asMember = { roomId: Id.optional(), token: Token.optional() };
const bothOrNeither = (input: { roomId?: string; token?: string }) => (input.roomId === undefined) === (input.token === undefined);
const BOTH = { message: 'Send the room and your token together, or neither (when joined).', path: ['token'] };

export const AppealCreateInput = z
  .strictObject({
    /** The seq of the mute or ban appealed: one appeal per action per person. */
    sanctionSeq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    text: line(conductLimits.appealMax, { empty: 'Say why it should be lifted.' }),
    ...asMember,
  })
  .refine(bothOrNeither, BOTH);
export type AppealCreateInput = z.input<typeof AppealCreateInput>;

export const AppealDecideInput = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('accept'), appealId: Id, reason: Reason }),
  z.strictObject({ action: z.literal('decline'), appealId: Id, reason: line(limits.reasonMax, { empty: 'Give a reason: they will read it.' }) }),
]);
export type AppealDecideInput = z.input<typeof AppealDecideInput>;

export const GuardInput = z
  .strictObject({
    shield: z.boolean(),
    newMemberMinutes: z.number().int().min(0).max(conductLimits.newMemberMaxMinutes),
    newMemberHeldPosts: z.number().int().min(0).max(conductLimits.newMemberMaxHeldPosts),
  })
  .partial()
  .refine((guard) => Object.keys(guard).length > 0, 'Change at least one setting.');
export type GuardInput = z.input<typeof GuardInput>;

export const StandingInput = z.strictObject(asMember).refine(bothOrNeither, BOTH);
export type StandingInput = z.input<typeof StandingInput>;

/** What a moderator has open in the queue: a reported post, a held post or an appeal; null: nothing. */
export const ReviewingInput = z.strictObject({
  item: z
    .string()
    .regex(/^(post|held|appeal):[A-Za-z0-9_-]{8,32}$/, 'Name a queue item.')
    .nullable(),
});
export type ReviewingInput = z.input<typeof ReviewingInput>;

/** "Mo is reviewing": to moderators only, never logged; clients forget it after conductLimits.reviewingTtlMs. */
export interface ReviewingSignal {
  memberId: string;
  item: string | null;
}

/**
 * My own standing in a room, for my eyes only (server/handlers/standing.ts): the text of my removed and
 * held posts with the reason, what became of my reports, my appeals, and the mute or ban I may appeal.
 */
export interface MyStanding {
  seq: number;
  memberId: string;
  removed: { postId: string; body: string; reason: string; at: number }[];
  held: { postId: string; parentId: string | null; body: string; why: HeldWhy; at: number }[];
  reports: { reportId: string; postId: string; reason: string; at: number; outcome: 'open' | 'acted' | 'dismissed'; publicReason: string }[];
  appeals: Appeal[];
  /** The sanction in force I may appeal (null: none, or already appealed). */
  appealable: { kind: SanctionKind; seq: number; reason: string; at: number } | null;
  banned: boolean;
}
