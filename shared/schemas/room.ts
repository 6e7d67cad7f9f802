import { z } from 'zod';
import { limits } from '../limits.js';
import { Id, Token, text } from './common.js';

export const RoomCreateInput = z.strictObject({
  title: text(limits.titleMax).transform((s) => s.trim()),
  motion: z.string().max(limits.motionMax).transform((s) => s.trim()).optional(),
});
export type RoomCreateInput = z.input<typeof RoomCreateInput>;

export const DisplayName = text(limits.nameMax).transform((s) => s.trim().replace(/\s+/g, ' '));

export const RoomJoinInput = z.strictObject({
  roomId: Id,
  role: z.enum(['participant', 'viewer']),
  /** Needed the first time a token joins as a participant; a returning member keeps their name. */
  name: DisplayName.optional(),
  /** Omit to be given a fresh identity; the answer carries the token to keep. */
  token: Token.optional(),
  /** A returning client's last applied seq: the answer is then the events after it, not a snapshot, when the log still holds them. */
  since: z.number().int().min(0).optional(),
});
export type RoomJoinInput = z.input<typeof RoomJoinInput>;

export const RoomSyncInput = z.strictObject({
  since: z.number().int().min(0),
});
export type RoomSyncInput = z.input<typeof RoomSyncInput>;

export const RoomPostsInput = z.union([
  z.strictObject({ before: z.number().nullable() }),
  z.strictObject({ postId: Id }),
]);
export type RoomPostsInput = z.input<typeof RoomPostsInput>;
