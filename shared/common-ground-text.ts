/**
 * The words the common-ground markers read in a post: the steelman's opening, and links (the answer to
 * "source requested"). Both sides read them the same way, so the reducer and the rule agree.
 */

/** How a rebuttal opens when it restates its parent first (the room's "steelman before you rebut"). */
export const STEELMAN_OPENING = 'Your point, as I understand it:';

/** The restatement: the rebuttal's first paragraph, when it opens with STEELMAN_OPENING; null otherwise. */
export function restatementOf(body: string): string | null {
  const text = body.trimStart();
  if (!text.toLowerCase().startsWith(STEELMAN_OPENING.toLowerCase())) return null;
  return text.split(/\n\s*\n/, 1)[0].trim();
}

const LINK = /https?:\/\/[^\s<>()\]]+/gi;

/** Whether an edit added a link the post did not have before: the author's answer to a source request. */
export function addsLink(before: string, after: string): boolean {
  const had = new Set(before.match(LINK) ?? []);
  return (after.match(LINK) ?? []).some((link) => !had.has(link));
}
