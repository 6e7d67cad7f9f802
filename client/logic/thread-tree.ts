import { pathToRoot, type RoomState } from '../../shared/room-state.js';
import type { PendingPost } from './outbox.js';

/** Past this depth a thread continues on its own page instead of indenting further. */
export const MAX_INLINE_DEPTH = 8;

/** One entry in a list of replies: a real post, or a pending one of mine shown where it will land. */
export type ThreadItem = { id: string; pending: null } | { id: string; pending: PendingPost };

/**
 * Children of every post (null: top level), in creation order, with my pending posts appended where
 * they will appear. Recomputed only when posts are added, not on edits or reactions.
 */
/**
 * One item object per real post for as long as the room's state lives: rebuilding the index then
 * hands every post the same prop, so Vue re-renders only what changed instead of the whole tree on
 * each new post. Kept with the state itself (a new room, or a fresh snapshot, is a new state), so
 * nothing of one room outlives it.
 */
const itemsByState = new WeakMap<RoomState, Map<string, ThreadItem>>();
function itemsOf(state: RoomState): Map<string, ThreadItem> {
  let items = itemsByState.get(state);
  if (!items) itemsByState.set(state, (items = new Map()));
  return items;
}
function realItem(items: Map<string, ThreadItem>, id: string): ThreadItem {
  let item = items.get(id);
  if (!item) items.set(id, (item = { id, pending: null }));
  return item;
}

export function buildChildIndex(state: RoomState | null, pending: PendingPost[]): Map<string | null, ThreadItem[]> {
  const index = new Map<string | null, ThreadItem[]>();
  const add = (parentId: string | null, item: ThreadItem) => {
    const list = index.get(parentId);
    if (list) list.push(item);
    else index.set(parentId, [item]);
  };
  const known = (id: string | null) => id === null || !!state?.posts[id] || pending.some((p) => p.id === id);
  // A reply whose parent is not loaded (a big room arrives as a window of threads) waits out of
  // sight until its thread is fetched, rather than pose as a top-level post.
  const items = state ? itemsOf(state) : new Map<string, ThreadItem>();
  for (const id of state?.postOrder ?? []) {
    const parentId = state!.posts[id]?.parentId ?? null;
    if (known(parentId)) add(parentId, realItem(items, id));
  }
  for (const post of pending) {
    if (state?.posts[post.id]) continue;
    add(known(post.parentId) ? post.parentId : null, { id: post.id, pending: post });
  }
  return index;
}

/** How many posts sit under this one, pending ones included. */
export function countDescendants(index: Map<string | null, ThreadItem[]>, id: string): number {
  let total = 0;
  const stack = [id];
  while (stack.length) {
    for (const child of index.get(stack.pop()!) ?? []) {
      total++;
      stack.push(child.id);
    }
  }
  return total;
}

/** The chain from the top level down to this post, this post last. */
export function ancestry(state: RoomState, postId: string): string[] {
  return pathToRoot(state, postId)
    .map((post) => post.id)
    .reverse();
}
