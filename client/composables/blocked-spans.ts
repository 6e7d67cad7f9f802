import { wordings, words } from '../../shared/automod.js';

export interface Span {
  start: number;
  end: number;
}

/**
 * Where a blocked term stands in a text, as automod reads it (whole words, any case, letter swaps
 * such as 1D10T): the stretches of the text to mark for its author. Marks whole space-separated
 * chunks, punctuation and all: enough to see what to rephrase.
 */
export function blockedSpans(text: string, term: string): Span[] {
  const target = words(term);
  if (!target.length) return [];
  const chunks = [...text.matchAll(/\S+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length, readings: wordings(m[0]) }));
  const spans: Span[] = [];
  // The two ways automod reads symbols (as letters, as punctuation), each over the whole text.
  for (const reading of [0, 1] as const) {
    const flat = chunks.flatMap((chunk) => chunk.readings[reading].map((word) => ({ word, chunk })));
    for (let i = 0; i + target.length <= flat.length; i++) {
      if (target.every((word, k) => flat[i + k].word === word)) {
        spans.push({ start: flat[i].chunk.start, end: flat[i + target.length - 1].chunk.end });
      }
    }
  }
  return merge(spans);
}

function merge(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else out.push({ ...span });
  }
  return out;
}

/** The text cut into plain and marked pieces, for rendering with <mark>. */
export function markedPieces(text: string, spans: Span[]): { text: string; marked: boolean }[] {
  const pieces: { text: string; marked: boolean }[] = [];
  let at = 0;
  for (const span of spans) {
    if (span.start > at) pieces.push({ text: text.slice(at, span.start), marked: false });
    pieces.push({ text: text.slice(span.start, span.end), marked: true });
    at = span.end;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), marked: false });
  return pieces;
}
