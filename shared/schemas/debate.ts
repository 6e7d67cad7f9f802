import { z } from 'zod';
import { limits } from '../limits.js';
import { Id } from './common.js';

export const SideChoice = z.enum(['for', 'against', 'undecided']);

export const SideSetInput = z.strictObject({ side: SideChoice });
export type SideSetInput = z.input<typeof SideSetInput>;

export const VoteManageInput = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('open'), vote: z.enum(['initial', 'final']), hideResults: z.boolean().default(false) }),
  z.strictObject({ action: z.literal('close'), vote: z.enum(['initial', 'final']) }),
]);
export type VoteManageInput = z.input<typeof VoteManageInput>;

export const VoteCastInput = z.strictObject({ vote: z.enum(['initial', 'final']), choice: SideChoice });
export type VoteCastInput = z.input<typeof VoteCastInput>;

export const MindChangedInput = z.strictObject({ postId: Id });
export type MindChangedInput = z.input<typeof MindChangedInput>;

export const PhaseSetInput = z.strictObject({
  phase: z.enum(['opening', 'open', 'closing', 'ended']),
  /** Optional countdown, in whole minutes from now. */
  minutes: z.number().int().min(1).max(limits.phaseMaxMinutes).nullable().default(null),
});
export type PhaseSetInput = z.input<typeof PhaseSetInput>;

/** Ephemeral: "typing a reply to…" (parentId) or a top-level post (null). */
export const TypingInput = z.strictObject({ parentId: Id.nullable(), typing: z.boolean() });
export type TypingInput = z.input<typeof TypingInput>;
