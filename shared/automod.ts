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

/** Lower case, accents off, substitutes undone, then split into words. */
export function words(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLocaleLowerCase()
    .replace(/[0-9!|@$+]/g, (c) => SUBSTITUTES[c] ?? c);
  return folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/**
 * The first blocked term the text contains as whole words (a multi-word term as consecutive words),
 * preferring a "reject" term over a "hold" one.
 */
export function findBlockedTerm(text: string, terms: readonly BlockedTerm[]): BlockedTerm | null {
  if (terms.length === 0) return null;
  const haystack = ` ${words(text).join(' ')} `;
  let held: BlockedTerm | null = null;
  for (const term of terms) {
    const needle = words(term.term).join(' ');
    if (!needle || !haystack.includes(` ${needle} `)) continue;
    if (term.action === 'reject') return term;
    held ??= term;
  }
  return held;
}
