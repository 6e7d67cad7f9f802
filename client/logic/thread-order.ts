import { groundRank } from '../../shared/common-ground.js';
import { reactionCount, type Post } from '../../shared/room-state.js';

export type SortMode = 'new' | 'old' | 'top' | 'controversial' | 'ground';
export const SORT_MODES: readonly SortMode[] = ['new', 'old', 'top', 'controversial', 'ground'];
export const SORT_LABELS: Record<SortMode, string> = { new: 'New', old: 'Old', top: 'Top', controversial: 'Controversial', ground: 'Common ground' };
/** Sorts that rank the whole room, so a big room's older threads are paged in for them. */
export const RANKS_WHOLE_ROOM: ReadonlySet<SortMode> = new Set(['top', 'controversial', 'ground']);

/** Stances of the replies directly beneath a post. */
export interface StanceCounts {
  support: number;
  rebut: number;
  question: number;
}

/** Direct replies to a post, by stance (removed and deleted ones left out). */
export function stanceCounts(items: readonly { id: string }[], posts: Record<string, Post>): StanceCounts {
  const counts: StanceCounts = { support: 0, rebut: 0, question: 0 };
  for (const item of items) {
    const post = posts[item.id];
    if (post?.stance && post.deletedAt === null && !post.removed) counts[post.stance]++;
  }
  return counts;
}

export function reactionTotal(post: Post): number {
  let total = 0;
  for (const reactors of Object.values(post.reactions)) total += reactors?.length ?? 0;
  return total;
}

/**
 * How evenly split and how big a disagreement is, for two opposing counts: 0 unless both sides have
 * some, otherwise (a + b) raised to the balance min/max. 10 vs 10 scores 20; 100 vs 1 scores about 1.05;
 * 3 vs 3 scores 6. So many on both sides beats few on both sides, and a lopsided pile-on is not controversial.
 */
export function split(a: number, b: number): number {
  if (a <= 0 || b <= 0) return 0;
  return (a + b) ** (Math.min(a, b) / Math.max(a, b));
}

/**
 * Controversial: many reactions on both sides (👍 against 👎 on the post itself) or many replies on
 * both sides (supporting against rebutting replies directly beneath it), whichever is the bigger split.
 */
export function controversy(post: Post, stances: StanceCounts | undefined): number {
  const reactions = split(reactionCount(post, '👍'), reactionCount(post, '👎'));
  const replies = stances ? split(stances.support, stances.rebut) : 0;
  return Math.max(reactions, replies);
}

/** The number a thread is ranked by in this mode; higher first, except 'old' (lower first). */
export function threadScore(mode: SortMode, root: Post, stances: StanceCounts | undefined): number {
  switch (mode) {
    case 'new':
    case 'old':
      return root.createdAt;
    case 'top':
      return reactionTotal(root);
    case 'controversial':
      return controversy(root, stances);
    case 'ground':
      // Endorsed by both declared sides (shared/common-ground.ts); kept current by the reducer, so no recount here.
      return groundRank(root);
  }
}

/** Sort top-level posts by their (frozen) scores; ties go to the newer post, then by id for a stable order. */
export function sortThreads(roots: Post[], mode: SortMode, score: (root: Post) => number): Post[] {
  const keyed = roots.map((root) => ({ root, score: score(root) }));
  keyed.sort((a, b) => {
    const diff = mode === 'old' ? a.score - b.score : b.score - a.score;
    if (diff) return diff;
    const age = mode === 'old' ? a.root.createdAt - b.root.createdAt : b.root.createdAt - a.root.createdAt;
    return age || (a.root.id < b.root.id ? -1 : a.root.id > b.root.id ? 1 : 0);
  });
  return keyed.map((entry) => entry.root);
}
