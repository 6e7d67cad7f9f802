import { z } from 'zod';
import { limits } from '../limits.js';

/**
 * Names every plain object inherits. Used as a key into the room's records (`state.posts[id]`) they
 * would reach Object.prototype instead of a post or a member, so no id may be one.
 */
export const INHERITED_NAMES: ReadonlySet<string> = new Set([
  '__proto__',
  'prototype',
  'constructor',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toString',
  'toLocaleString',
  'valueOf',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** Client- or server-generated ids: URL-safe, bounded. */
export const Id = z
  .string()
  .min(limits.idMin)
  .max(limits.idMax)
  .regex(/^[A-Za-z0-9_-]+$/, 'Use only letters, digits, "-" and "_".')
  .refine((id) => !INHERITED_NAMES.has(id), 'That id is a reserved word; use another.');

/** The secret a browser keeps to stay the same member of a room across visits. */
export const Token = z
  .string()
  .min(limits.tokenMin)
  .max(limits.tokenMax)
  .regex(/^[A-Za-z0-9_-]+$/, 'A token uses only letters, digits, "-" and "_".');

/** C0 and C1 control characters and DEL. */
const CONTROL = /\p{Cc}/u;
/** The same, less the tab and the line breaks multi-line text is made of. */
const CONTROL_BUT_LINES = /(?![\t\n\r])\p{Cc}/u;
/** Line and paragraph separators: line breaks that are not control characters. */
const LINE_SEPARATOR = /[\u2028\u2029]/;
/**
 * Bidirectional overrides and isolates: invisible, and they reorder how the text after them reads
 * ("Trojan source"), so a name or a reason could display as something else than it says.
 */
const DIRECTION_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

const CONTROL_MESSAGE = 'Control characters are not allowed.';
const DIRECTION_MESSAGE = 'Invisible direction controls (which can make text read in another order) are not allowed here.';

/** The characters any free text may hold: on one line, no line breaks or direction controls either. */
function plainCharacters(schema: z.ZodString, multiline: boolean): z.ZodString {
  if (multiline) return schema.refine((s) => !CONTROL_BUT_LINES.test(s), CONTROL_MESSAGE);
  return schema
    .refine((s) => !CONTROL.test(s), CONTROL_MESSAGE)
    .refine((s) => !LINE_SEPARATOR.test(s), 'Line breaks are not allowed here.')
    .refine((s) => !DIRECTION_CONTROL.test(s), DIRECTION_MESSAGE);
}

/**
 * Free text that must not be blank and must not carry control characters. Multi-line text (a post's
 * body) keeps newlines and tabs; a single line (titles, names) refuses line breaks and direction controls.
 */
export function text(max: number, opts: { multiline?: boolean } = {}) {
  const schema = z
    .string()
    .max(max, `At most ${max} characters.`)
    .refine((s) => s.trim().length > 0, 'This cannot be empty.');
  return plainCharacters(schema, opts.multiline ?? false);
}

/**
 * One line of free text, trimmed (a reason, a motion): empty is fine unless `empty` says what to
 * write instead, and it holds no control characters, line breaks or direction controls.
 */
export function line(max: number, opts: { empty?: string } = {}) {
  let schema = z.string().trim();
  if (opts.empty) schema = schema.min(1, opts.empty);
  return plainCharacters(schema.max(max, `At most ${max} characters.`), false);
}

export const Reason = line(limits.reasonMax).default('');
