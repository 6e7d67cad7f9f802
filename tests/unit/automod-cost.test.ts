// Automod as a CPU trap: a hostile post must cost about what an ordinary one does. No clocks here
// (the machine is shared); the work is counted instead. Timings: `npx tsx bench/automod.ts`.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findBlockedTerm, words } from '../../shared/automod.js';
import { limits } from '../../shared/limits.js';
import type { BlockedTerm } from '../../shared/room-events.js';

const reject = (term: string): BlockedTerm => ({ term, action: 'reject' });
const manyTerms: BlockedTerm[] = Array.from({ length: limits.blockedTermsMax }, (_, i) => ({ term: `blocked${i}`, action: i % 2 ? 'reject' : 'hold' }));

afterEach(() => vi.restoreAllMocks());

describe('a post of characters that Unicode normalisation expands', () => {
  it('folds to at most 4 characters per character (U+FDFA alone would be 18)', () => {
    for (const char of ['\uFDFA', '\uFDFB', '\u3316', '\u321D', '\u3300']) {
      expect(words(char.repeat(limits.bodyMax)).join('').length, char).toBeLessThanOrEqual(4 * limits.bodyMax);
    }
  });

  it('still hides nothing that follows them', () => {
    expect(findBlockedTerm(`${'\uFDFA'.repeat(5_000)} you idiot`, [reject('idiot')])).toEqual(reject('idiot'));
    expect(findBlockedTerm(`${'\u3316'.repeat(5_000)}\n1d10t`, [reject('idiot')])).toEqual(reject('idiot'));
  });

  it('and such a character, blocked itself, is still found', () => {
    expect(findBlockedTerm('peace \uFDFA be', [reject('\uFDFA')])).toEqual(reject('\uFDFA'));
    expect(findBlockedTerm('peace be', [reject('\uFDFA')])).toBeNull();
  });
});

describe("a room's terms", () => {
  it('are read once, not again for every post (one normalisation per post)', () => {
    const normalize = vi.spyOn(String.prototype, 'normalize');
    const posts = 100;
    for (let i = 0; i < posts; i++) findBlockedTerm(`post number ${i}, nothing to see`, manyTerms);
    // Before: every post normalised itself and all 200 terms again (20,100 calls).
    expect(normalize.mock.calls.length).toBeLessThanOrEqual(posts + manyTerms.length);
  });

  it('are read again when the list changes', () => {
    expect(findBlockedTerm('a troll', manyTerms)).toBeNull();
    expect(findBlockedTerm('a troll', [...manyTerms, reject('troll')])).toEqual(reject('troll'));
  });
});

/** The implementation automod had before it was made linear: the reference for what it should find. */
function referenceFind(text: string, terms: readonly BlockedTerm[]): BlockedTerm | null {
  const sub: Record<string, string> = { '0': 'o', '1': 'i', '!': 'i', '|': 'i', '3': 'e', '4': 'a', '@': 'a', '5': 's', $: 's', '7': 't', '+': 't', '8': 'b', '9': 'g' };
  const split = (s: string) => s.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const read = (s: string) => {
    const folded = s.normalize('NFKD').replace(/[\p{M}\p{Cf}]+/gu, '').toLowerCase().replace(/[0-9]/g, (c) => sub[c] ?? c);
    return [split(folded.replace(/[!|@$+]/g, (c) => sub[c] ?? c)), split(folded)];
  };
  const haystacks = read(text).map((list) => ` ${list.join(' ')} `);
  let held: BlockedTerm | null = null;
  for (const term of terms) {
    const needle = read(term.term)[0].join(' ');
    if (!needle || !haystacks.some((haystack) => haystack.includes(` ${needle} `))) continue;
    if (term.action === 'reject') return term;
    held ??= term;
  }
  return held;
}

describe('finds what it found before', () => {
  // Letters, stand-ins, accents, invisible characters, full-width forms, Cyrillic, separators.
  const alphabet = fc.constantFrom(...'aeiostdl AEIOST013457@$!|+.,-\n\u0301\u0308\u200B\u00ADéÁｉｄдурак'.split(''), 'ё');
  const text = fc.array(alphabet, { maxLength: 40 }).map((chars) => chars.join(''));
  const term = fc.record({ term: fc.array(alphabet, { minLength: 1, maxLength: 8 }).map((chars) => chars.join('')), action: fc.constantFrom('reject', 'hold') as fc.Arbitrary<'reject' | 'hold'> });

  it('on any text and terms made of letters, stand-ins, accents and invisible characters', () => {
    fc.assert(
      fc.property(text, fc.array(term, { maxLength: 6 }), (body, terms) => {
        expect(findBlockedTerm(body, terms)).toBe(referenceFind(body, terms));
      }),
      { numRuns: 2_000 },
    );
  });

  it('including terms that occur in the text', () => {
    fc.assert(
      fc.property(text, text, fc.array(term, { maxLength: 4 }), (before, after, terms) => {
        const planted = terms.map((t) => t.term).join(' ');
        const body = `${before} ${planted} ${after}`;
        expect(findBlockedTerm(body, terms)).toBe(referenceFind(body, terms));
      }),
      { numRuns: 1_000 },
    );
  });
});
