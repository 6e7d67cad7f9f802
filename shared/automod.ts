import type { BlockedTerm } from './room-events.js';

/** Common stand-ins for letters, so "1d10t" and "idiot" are the same word to automod. */
const SUBSTITUTES: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '!': 'i',
  '|': 'i',
  '3': 'e',
  '4': 'a',
  '@': 'a',
  '5': 's',
  $: 's',
  '7': 't',
  '+': 't',
  '8': 'b',
  '9': 'g',
};

/** Lower case, accents and invisible characters off. */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/[\p{M}\p{Cf}]+/gu, '').toLowerCase();
}

const split = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/**
 * The words of a text, read two ways: with symbol stand-ins undone ("st@lin" → "stalin") and with
 * symbols as punctuation ("idiot!" → "idiot"). Digits are always letters in disguise ("1d10t").
 */
export function wordings(text: string): string[][] {
  const folded = fold(text).replace(/[0-9]/g, (c) => SUBSTITUTES[c] ?? c);
  return [split(folded.replace(/[!|@$+]/g, (c) => SUBSTITUTES[c] ?? c)), split(folded)];
}

/** The words of a text with every stand-in undone. */
export function words(text: string): string[] {
  return wordings(text)[0];
}

/**
 * The first blocked term the text contains as whole words (a multi-word term as consecutive words),
 * preferring a "reject" term over a "hold" one.
 */
export function findBlockedTerm(text: string, terms: readonly BlockedTerm[]): BlockedTerm | null {
  if (terms.length === 0) return null;
  const haystacks = wordings(text).map((list) => ` ${list.join(' ')} `);
  let held: BlockedTerm | null = null;
  for (const term of terms) {
    const needle = words(term.term).join(' ');
    if (!needle || !haystacks.some((haystack) => haystack.includes(` ${needle} `))) continue;
    if (term.action === 'reject') return term;
    held ??= term;
  }
  return held;
}
