/**
 * Automod's cost per post, worst cases first: `npx tsx bench/automod.ts`.
 *
 * Each post is as long as a post may be (10,000 characters) and the room has as many terms as it
 * may (200). "before" is the implementation this one replaced (normalised the whole post with NFKD,
 * then split it twice with regexes, and read every term again for every post), kept here verbatim
 * so both run in the same process, on the same machine, at the same moment.
 */
import { performance } from 'node:perf_hooks';
import { findBlockedTerm } from '../shared/automod.js';
import { limits } from '../shared/limits.js';
import type { BlockedTerm } from '../shared/room-events.js';

// ---- before ----------------------------------------------------------------------------------
const SUBSTITUTES: Record<string, string> = { '0': 'o', '1': 'i', '!': 'i', '|': 'i', '3': 'e', '4': 'a', '@': 'a', '5': 's', $: 's', '7': 't', '+': 't', '8': 'b', '9': 'g' };
const fold = (text: string) => text.normalize('NFKD').replace(/[\p{M}\p{Cf}]+/gu, '').toLowerCase();
const split = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
function wordingsBefore(text: string): string[][] {
  const folded = fold(text).replace(/[0-9]/g, (c) => SUBSTITUTES[c] ?? c);
  return [split(folded.replace(/[!|@$+]/g, (c) => SUBSTITUTES[c] ?? c)), split(folded)];
}
function findBlockedTermBefore(text: string, terms: readonly BlockedTerm[]): BlockedTerm | null {
  if (terms.length === 0) return null;
  const haystacks = wordingsBefore(text).map((list) => ` ${list.join(' ')} `);
  let held: BlockedTerm | null = null;
  for (const term of terms) {
    const needle = wordingsBefore(term.term)[0].join(' ');
    if (!needle || !haystacks.some((haystack) => haystack.includes(` ${needle} `))) continue;
    if (term.action === 'reject') return term;
    held ??= term;
  }
  return held;
}
// -----------------------------------------------------------------------------------------------

const N = limits.bodyMax;
const terms: BlockedTerm[] = Array.from({ length: limits.blockedTermsMax }, (_, i) => ({
  term: i % 3 === 0 ? `blocked word ${i}` : `blocked${i}`,
  action: i % 2 ? 'reject' : 'hold',
}));
/** Code points NFKD turns into 5 to 18 characters. */
const EXPANDERS = ['\uFDFA', '\uFDFB', '\u321D', '\u321E', '\u3316', '\u33AF', '\u327C', '\u3307'];

/** Each post a fresh set of 10,000 distinct code points (CJK, Hangul), so nothing is remembered from the last. */
let next = 0;
const RANGES = [[0x4e00, 0x9fff], [0xac00, 0xd7a3], [0x20000, 0x2a6df]] as const;
const SPAN = RANGES.reduce((sum, [from, to]) => sum + to - from + 1, 0);
function distinctCodePoints(): string {
  let out = '';
  for (let i = 0; i < N; i++, next = (next + 1) % SPAN) {
    let at = next;
    for (const [from, to] of RANGES) {
      if (at <= to - from) {
        out += String.fromCodePoint(from + at);
        break;
      }
      at -= to - from + 1;
    }
  }
  return out;
}

/** A term of 20 one-letter words, against a post of that letter: the trie walks its full depth at every word. */
const deepTerm: BlockedTerm[] = [...terms, { term: Array(20).fill('a').join(' ') + ' b', action: 'reject' }];

interface Case {
  name: string;
  post: () => string;
  terms?: readonly BlockedTerm[];
}
const fixed = (name: string, text: string, withTerms?: readonly BlockedTerm[]): Case => ({ name, post: () => text, terms: withTerms });
const cases: Case[] = [
  fixed('10,000 × U+FDFA (NFKD: 18 characters each)', '\uFDFA'.repeat(N)),
  fixed('10,000 × U+3300 (NFKD: 5 characters each)', '\u3300'.repeat(N)),
  fixed('10,000 mixed expanders', Array.from({ length: N }, (_, i) => EXPANDERS[i % EXPANDERS.length]).join('')),
  fixed('5,000 × "U+FDFA " (many words)', '\uFDFA '.repeat(N / 2)),
  { name: '10,000 distinct code points, new ones every post', post: distinctCodePoints },
  fixed('5,000 × "a " (ASCII, 5,000 words)', 'a '.repeat(N / 2)),
  fixed('5,000 × "a ", a 21-word term "a a … a b"', 'a '.repeat(N / 2), deepTerm),
  fixed('10,000 × zero-width space and letter', 'a\u200B'.repeat(N / 2)),
  fixed('ordinary prose, 10,000 characters', 'I respectfully disagree with the motion, and here is why. '.repeat(170).slice(0, N)),
];

type Check = (text: string, terms: readonly BlockedTerm[]) => BlockedTerm | null;

function msPerPost(check: Check, { post, terms: list = terms }: Case): number {
  for (let i = 0; i < 3; i++) check(post(), list);
  const samples: number[] = [];
  const deadline = performance.now() + 1_500;
  while (samples.length < 5 || (samples.length < 200 && performance.now() < deadline)) {
    const text = post();
    const start = performance.now();
    check(text, list);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

console.log(`automod, ms per post (median), ${terms.length} terms, Node ${process.version}\n`);
console.log(`| post | before | after | × faster |\n|---|---:|---:|---:|`);
for (const c of cases) {
  const sample = c.post();
  const agree = findBlockedTerm(sample, c.terms ?? terms) === findBlockedTermBefore(sample, c.terms ?? terms);
  const before = msPerPost(findBlockedTermBefore, c);
  const after = msPerPost(findBlockedTerm, c);
  console.log(`| ${c.name}${agree ? '' : ' (answers differ)'} | ${before.toFixed(2)} | ${after.toFixed(2)} | ${(before / after).toFixed(1)} |`);
}
