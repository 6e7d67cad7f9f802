import { z } from 'zod';
import { limits } from '../limits.js';
import { Id, Reason, line } from './common.js';

/** Remove needs a reason people can read; the others take one optionally. */
export const ModeratePostInput = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('remove'), postId: Id, reason: line(limits.reasonMax, { empty: 'Give a reason.' }) }),
  z.strictObject({ action: z.enum(['restore', 'pin', 'unpin', 'lock', 'unlock']), postId: Id }),
]);
export type ModeratePostInput = z.input<typeof ModeratePostInput>;

export const ReviewHeldInput = z.strictObject({
  postId: Id,
  action: z.enum(['approve', 'reject']),
  reason: Reason,
});
export type ReviewHeldInput = z.input<typeof ReviewHeldInput>;

export const ModerateMemberInput = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('mute'),
    memberId: Id,
    minutes: z.number().int().min(1).max(limits.muteMaxMinutes),
    reason: Reason,
  }),
  z.strictObject({
    action: z.literal('ban'),
    memberId: Id,
    reason: Reason,
    removePosts: z.boolean().default(false),
    /** Also hold for review what new names post from the networks they used (on unless turned off). */
    coverNetwork: z.boolean().default(true),
  }),
  z.strictObject({
    action: z.enum(['unmute', 'unban', 'promote', 'demote', 'approveSpeaker', 'denySpeaker', 'revokeSpeaker']),
    memberId: Id,
  }),
]);
export type ModerateMemberInput = z.input<typeof ModerateMemberInput>;

export const BlockedTermInput = z.strictObject({
  term: z
    .string()
    .trim()
    .min(1)
    .max(limits.blockedTermMax)
    .regex(/^[\p{L}\p{N}' -]+$/u, 'Use letters, digits, spaces, hyphens and apostrophes.'),
  action: z.enum(['reject', 'hold']),
});

export const ModerateRoomInput = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('settings'),
    settings: z
      .strictObject({
        slowModeSeconds: z.number().int().min(0).max(limits.slowModeMaxSeconds),
        postingMode: z.enum(['everyone', 'speakers']),
        showModNames: z.boolean(),
        publicExport: z.boolean(),
        steelman: z.boolean(),
      })
      .partial()
      .refine((settings) => Object.keys(settings).length > 0, 'Change at least one setting.'),
  }),
  z.strictObject({ action: z.literal('blockedTerms'), terms: z.array(BlockedTermInput).max(limits.blockedTermsMax) }),
  z.strictObject({ action: z.enum(['lock', 'close']), reason: Reason }),
  z.strictObject({ action: z.literal('unlock') }),
]);
export type ModerateRoomInput = z.input<typeof ModerateRoomInput>;

export const ReportCreateInput = z.strictObject({
  postId: Id,
  reason: line(limits.reasonMax, { empty: 'Say what is wrong.' }),
});
export type ReportCreateInput = z.input<typeof ReportCreateInput>;

/** `reason` (optional, public): what each reporter is told along with "dismissed". */
export const DismissReportsInput = z.strictObject({ postId: Id, reason: Reason.optional() });
export type DismissReportsInput = z.input<typeof DismissReportsInput>;

export const HandInput = z.strictObject({ raised: z.boolean() });
export type HandInput = z.input<typeof HandInput>;
