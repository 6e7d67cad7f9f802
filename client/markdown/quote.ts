import type { PostQuote } from '../../shared/room-events.js';
import type { Post } from '../../shared/room-state.js';

/** What a quote shows: the quoted post's text now, or why there is none. */
export type QuoteView =
  | { kind: 'text'; source: string; editedSince: boolean }
  | { kind: 'removed' | 'deleted' | 'missing' };

/**
 * A quote is a reference: it shows what the quoted post shows this reader now. Deleted: "[deleted]".
 * Removed: "[removed]", for moderators too (they hold the text, but read it only by unfolding the
 * post's tombstone, on purpose; a quote does not unfold it for them). Edited since the reply was
 * written: the offsets no longer point where they did, so the whole post as it reads now.
 * `replyAt` is the reply's createdAt (none yet for a draft).
 */
export function quoteView(quote: PostQuote, quoted: Post | undefined, replyAt: number | null): QuoteView {
  if (!quoted) return { kind: 'missing' };
  if (quoted.deletedAt !== null) return { kind: 'deleted' };
  if (quoted.removed) return { kind: 'removed' };
  const editedSince = replyAt !== null && quoted.editedAt !== null && quoted.editedAt > replyAt;
  const part = quote.start !== undefined && quote.end !== undefined && !editedSince ? quoted.body.slice(quote.start, quote.end) : quoted.body;
  return { kind: 'text', source: part.trim() ? part : quoted.body, editedSince };
}

const SPOILER = />!([\s\S]*?)!</g;

/**
 * Where the reader's selection lies in a post's markdown source, as quote offsets; null for the whole
 * post (nothing selected, all of it, or a selection the source does not contain as such, e.g. one
 * across a link). A part that cuts into a spoiler takes in the whole spoiler, so a quote never shows
 * a spoiler's text unhidden.
 */
export function locateSelection(source: string, selected: string): Pick<PostQuote, 'start' | 'end'> | null {
  const wanted = selected.trim();
  if (!wanted) return null;
  let range = exact(source, wanted) ?? spaced(source, wanted);
  if (!range) return null;
  for (const match of source.matchAll(SPOILER)) {
    const from = match.index;
    const to = from + match[0].length;
    if (range.start < to && range.end > from) range = { start: Math.min(range.start, from), end: Math.max(range.end, to) };
  }
  if (range.start === 0 && range.end >= source.trimEnd().length) return null;
  return range;
}

function exact(source: string, wanted: string) {
  const at = source.indexOf(wanted);
  return at < 0 ? null : { start: at, end: at + wanted.length };
}

/** The same words with any run of spaces, line breaks or inline markdown marks between them (rendered text folds those). */
function spaced(source: string, wanted: string) {
  const words = wanted.split(/\s+/).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (words.length > 200) return null;
  const match = new RegExp(words.join('[\\s*_~`>!<]+')).exec(source);
  return match ? { start: match.index, end: match.index + match[0].length } : null;
}
