import type { BlockedTerm } from './room-events.js';

/**
 * Automod: does a post contain one of the room's blocked terms, as whole words, in any case, with
 * accents, invisible characters and common letter substitutions undone?
 *
 * Its cost is bounded and linear, because it runs on the server for every post and a stalled loop
 * stalls everyone: the post is normalised once, no code point may fold to more than `MAX_FOLD`
 * characters, and a room's terms are compiled once into a trie of words that one pass over the
 * post's words walks.
 */

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

/**
 * The most characters one code point may fold to. NFKD blows a few up (U+FDFA becomes 18 characters,
 * squared katakana words 5 to 7), so a post of 10,000 of them would be 180,000 characters to read.
 * Those few are read as one letter each instead, on the post's side and the term's side alike, so the
 * folded post is at most this many times as long as the post.
 */
const MAX_FOLD = 4;

/**
 * Every code point NFKD turns into more than `MAX_FOLD` letters (Unicode 15; decompositions never
 * change, and `fold` caps the length should a later version add one). Each is read as a
 * private-use character of its own: a letter that NFKD leaves alone.
 */
const OVER_EXPANDING = [
  0x321d, 0x321e, 0x327c, 0x3307, 0x3315, 0x3316, 0x3317, 0x3319, 0x331a, 0x3320, 0x332b, 0x332e, 0x3332, 0x3334, 0x3336, 0x3347,
  0x334a, 0x3356, 0x33ae, 0x33af, 0xfdfa, 0xfdfb,
];
const PRIVATE_USE = 0xe000;
const OVER_EXPANDING_PATTERN = new RegExp(`[${OVER_EXPANDING.map((code) => `\\u${code.toString(16)}`).join('')}]`, 'g');
const asOneLetter = (char: string) => String.fromCharCode(PRIVATE_USE + OVER_EXPANDING.indexOf(char.charCodeAt(0)));

/** Lower case, accents and invisible characters off, compatibility forms to their plain letters. */
function fold(text: string): string {
  const folded = text
    .replace(OVER_EXPANDING_PATTERN, asOneLetter)
    .normalize('NFKD')
    .replace(/[\p{M}\p{Cf}]+/gu, '')
    .toLowerCase()
    // Final sigma too: "ς" and "σ" are one letter, wherever in the word it stands.
    .replace(/ς/g, 'σ');
  return folded.length > MAX_FOLD * text.length ? folded.slice(0, MAX_FOLD * text.length) : folded;
}

/** Words are letters and digits; private-use characters are letters here (see OVER_EXPANDING). */
const split = (text: string) => text.split(/[^\p{L}\p{N}\p{Co}]+/u).filter(Boolean);
const substitute = (char: string) => SUBSTITUTES[char] ?? char;

/**
 * The words of a text, read two ways: with symbol stand-ins undone ("st@lin" → "stalin") and with
 * symbols as punctuation ("idiot!" → "idiot"). Digits are always letters in disguise ("1d10t").
 */
export function wordings(text: string): [string[], string[]] {
  const folded = fold(text).replace(/[0-9]/g, substitute);
  // Without a symbol stand-in the two readings are one, and are read once.
  if (!/[!|@$+]/.test(folded)) {
    const same = split(folded);
    return [same, same];
  }
  return [split(folded.replace(/[!|@$+]/g, substitute)), split(folded)];
}

/** The words of a text with every stand-in undone. */
export function words(text: string): string[] {
  return wordings(text)[0];
}

/** A trie over words: each node is one more word of some term. */
interface TermNode {
  next: Map<string, TermNode>;
  /** The lowest index in the room's list of a term ending here, by action (Infinity: none). */
  reject: number;
  hold: number;
}

const newNode = (): TermNode => ({ next: new Map(), reject: Infinity, hold: Infinity });

function compile(terms: readonly BlockedTerm[]): TermNode {
  const root = newNode();
  terms.forEach((term, index) => {
    const needle = words(term.term);
    if (needle.length === 0) return;
    let node = root;
    for (const word of needle) {
      let child = node.next.get(word);
      if (!child) node.next.set(word, (child = newNode()));
      node = child;
    }
    if (term.action === 'reject') node.reject = Math.min(node.reject, index);
    else node.hold = Math.min(node.hold, index);
  });
  return root;
}

/**
 * Compiled once per list of terms. The reducer gives the room a new array whenever the terms change,
 * so the array itself is the key; a store that hands out copies of the same terms is caught by a small
 * map keyed on their content.
 */
const compiledByList = new WeakMap<readonly BlockedTerm[], TermNode>();
const compiledByContent = new Map<string, TermNode>();
const CONTENT_CACHE_MAX = 64;

function compiled(terms: readonly BlockedTerm[]): TermNode {
  let root = compiledByList.get(terms);
  if (root) return root;
  const key = terms.map((term) => `${term.action}:${term.term}`).join('\n');
  root = compiledByContent.get(key);
  if (!root) {
    root = compile(terms);
    if (compiledByContent.size >= CONTENT_CACHE_MAX) compiledByContent.clear();
    compiledByContent.set(key, root);
  }
  compiledByList.set(terms, root);
  return root;
}

/**
 * The first blocked term the text contains as whole words (a multi-word term as consecutive words),
 * preferring a "reject" term over a "hold" one; "first" is the order of the room's list.
 */
export function findBlockedTerm(text: string, terms: readonly BlockedTerm[]): BlockedTerm | null {
  if (terms.length === 0) return null;
  const root = compiled(terms);
  let reject = Infinity;
  let hold = Infinity;
  const [undone, plain] = wordings(text);
  for (const list of undone === plain ? [undone] : [undone, plain]) {
    for (let start = 0; start < list.length; start++) {
      // At most as many steps as the longest term has words.
      let node = root.next.get(list[start]);
      for (let at = start + 1; node; at++) {
        reject = Math.min(reject, node.reject);
        hold = Math.min(hold, node.hold);
        node = at < list.length ? node.next.get(list[at]) : undefined;
      }
    }
  }
  return terms[reject] ?? terms[hold] ?? null;
}
