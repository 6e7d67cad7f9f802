import { z } from 'zod';
import { limits } from '../limits.js';

/** Client- or server-generated ids: URL-safe, bounded. */
export const Id = z
  .string()
  .min(limits.idMin)
  .max(limits.idMax)
  .regex(/^[A-Za-z0-9_-]+$/, 'Use only letters, digits, "-" and "_".')
  // Ids key plain objects (posts, members, held…): '__proto__' or 'constructor' would find Object.prototype's.
  .refine((id) => !(id in Object.prototype), 'That id is reserved; use another.');

/** The secret a browser keeps to stay the same member of a room across visits. */
export const Token = z
  .string()
  .min(limits.tokenMin)
  .max(limits.tokenMax)
  .regex(/^[A-Za-z0-9_-]+$/, 'A token uses only letters, digits, "-" and "_".');

/** Free text that must not be blank and must not carry control characters (newlines allowed where noted). */
export function text(max: number, opts: { multiline?: boolean } = {}) {
  const controls = opts.multiline ? /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/ : /[\u0000-\u001F\u007F]/;
  return z
    .string()
    .max(max, `At most ${max} characters.`)
    .refine((s) => s.trim().length > 0, 'This cannot be empty.')
    .refine((s) => !controls.test(s), 'Control characters are not allowed.');
}

export const Reason = z.string().trim().max(limits.reasonMax).default('');
