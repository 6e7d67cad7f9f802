import { z } from 'zod';
import { limits } from '../limits.js';
import { normaliseName } from '../names.js';
import { Id, Token, line, text } from './common.js';

export const RoomCreateInput = z.strictObject({
  title: text(limits.titleMax).transform((s) => s.trim()),
  motion: line(limits.motionMax).optional(),
});
export type RoomCreateInput = z.input<typeof RoomCreateInput>;

/**
 * A display name as others will see it: compatibility forms folded (NFKC), invisible characters out,
 * spaces collapsed (see names.ts). Whether it is too like someone else's is the room's to say.
 */
export const DisplayName = text(limits.nameMax)
  .transform(normaliseName)
  .refine((name) => name.length > 0, 'Choose a name with something visible in it.')
  .refine((name) => name.length <= limits.nameMax, `At most ${limits.nameMax} characters.`);

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
