import { z } from 'zod';
import { limits } from '../limits.js';
import { Id } from './common.js';

const SideChoice = z.enum(['for', 'against', 'undecided']);
const VoteKindChoice = z.enum(['initial', 'final']);

export const SideSetInput = z.strictObject({ side: SideChoice });
export type SideSetInput = z.input<typeof SideSetInput>;

export const VoteManageInput = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('open'), vote: VoteKindChoice, hideResults: z.boolean().default(false) }),
  z.strictObject({ action: z.literal('close'), vote: VoteKindChoice }),
]);
export type VoteManageInput = z.input<typeof VoteManageInput>;

export const VoteCastInput = z.strictObject({ vote: VoteKindChoice, choice: SideChoice });
export type VoteCastInput = z.input<typeof VoteCastInput>;

/** "My ballots in this room": the socket's session already says whose, so it carries nothing. */
export const VoteMineInput = z.strictObject({});
export type VoteMineInput = z.input<typeof VoteMineInput>;

/**
 * One person's own ballots, told only to their own sockets: a hidden vote shows everyone, that
 * person included, every ballot as ''. `seq` orders an answer against pushes that crossed it.
 */
export const MyBallots = z.strictObject({
  /** The room's seq when they were read. */
  seq: z.number().int().min(0),
  ballots: z.partialRecord(VoteKindChoice, SideChoice),
});
export type MyBallots = z.output<typeof MyBallots>;

/** One ballot just cast from one of my tabs or devices; `seq` is its vote.cast event's. */
export const MyBallot = z.strictObject({ vote: VoteKindChoice, choice: SideChoice, seq: z.number().int().min(1) });
export type MyBallot = z.output<typeof MyBallot>;

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
