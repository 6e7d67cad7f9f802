import { findBlockedTerm, wordings, words } from './automod.js';
import { guardOf } from './conduct.js';
import type { BlockedTerm } from './room-events.js';
import type { RoomState } from './room-state.js';

/**
 * Shield mode's strict automod: a blocked term anywhere in the text's letters, not only as whole words
 * ("xidiotx", "i.d.i.o.t"), after the same folding as automod.ts. Bounded and linear like it: the terms
 * are compiled once into a trie of letters, and a walk from each letter of the text is at most as long
 * as the longest term.
 */
interface LetterNode {
  next: Map<string, LetterNode>;
  reject: number;
  hold: number;
}
const node = (): LetterNode => ({ next: new Map(), reject: Infinity, hold: Infinity });
const compiled = new WeakMap<readonly BlockedTerm[], LetterNode>();

function compile(terms: readonly BlockedTerm[]): LetterNode {
  let root = compiled.get(terms);
  if (root) return root;
  root = node();
  terms.forEach((term, index) => {
    const letters = words(term.term).join('');
    if (!letters) return;
    let at = root!;
    for (const letter of letters) {
      let child = at.next.get(letter);
      if (!child) at.next.set(letter, (child = node()));
      at = child;
    }
    if (term.action === 'reject') at.reject = Math.min(at.reject, index);
    else at.hold = Math.min(at.hold, index);
  });
  compiled.set(terms, root);
  return root;
}

export function findBlockedTermStrict(text: string, terms: readonly BlockedTerm[]): BlockedTerm | null {
  if (terms.length === 0) return null;
  const root = compile(terms);
  let reject = Infinity;
  let hold = Infinity;
  const [undone, plain] = wordings(text);
  for (const letters of new Set([undone.join(''), plain.join('')])) {
    const chars = [...letters];
    for (let start = 0; start < chars.length; start++) {
      let at = root.next.get(chars[start]!);
      for (let i = start + 1; at; i++) {
        reject = Math.min(reject, at.reject);
        hold = Math.min(hold, at.hold);
        at = i < chars.length ? at.next.get(chars[i]!) : undefined;
      }
    }
  }
  return terms[reject] ?? terms[hold] ?? null;
}

/** The room's automod as it applies now: strict while shield mode is up, whole words otherwise. */
export function blockedTermIn(state: RoomState, text: string): BlockedTerm | null {
  return guardOf(state).shield ? findBlockedTermStrict(text, state.blockedTerms) : findBlockedTerm(text, state.blockedTerms);
}
