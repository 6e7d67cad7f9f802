import { z } from 'zod';
import { REACTIONS } from '../limits.js';
import { Id } from './common.js';

/** `on` rather than "toggle", so a retried request has the same effect as one. */
export const ReactionSetInput = z.strictObject({
  postId: Id,
  emoji: z.enum(REACTIONS),
  on: z.boolean(),
});
export type ReactionSetInput = z.input<typeof ReactionSetInput>;
