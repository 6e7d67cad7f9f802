import { pathToRoot, type Post, type RoomState } from '../../shared/room-state.js';
import type { PendingPost } from './outbox.js';

/** Past this depth a thread continues on its own page instead of indenting further. */
export const MAX_INLINE_DEPTH = 8;

/** posted: in the room. The others are a post of mine on its way (see outbox.ts). */
export type EntryStatus = 'posted' | PendingPost['status'];

/**
 * One entry of the thread, the one type the thread's components see: a post of the room, or one of
 * mine on its way, shown where it will land with its status.
 */
export interface ThreadEntry {
  readonly id: string;
  readonly status: EntryStatus;
  /** What to show: the room's post, live (edits, reactions); or mine as I sent it. null: no longer in the room. */
  readonly post: Post | null;
  /** Why a post of mine was not sent (status failed). */
  readonly error?: string;
}

/** A post of mine on its way, in the shape of the post it will become. */
function pendingEntry(pending: PendingPost, authorId: string): ThreadEntry {
  const post: Post = {
    id: pending.id, parentId: pending.parentId, authorId, body: pending.body, createdAt: pending.createdAt,
    editedAt: null, deletedAt: null, removed: null, pinnedAt: null, locked: false, stance: pending.stance ?? null, reactions: {},
    ...(pending.quote ? { quote: pending.quote } : {}),
  };
  // Read through: status and error change in place while the post is retried, held, or refused.
  return { id: pending.id, get status() { return pending.status; }, get error() { return pending.error; }, post };
}

/**
 * One entry object per post of a room's state: rebuilding the index then hands every post the same
 * prop, so Vue re-renders only what changed instead of the whole tree on each new post. A new state
 * (a fresh snapshot, another room) starts a new set, so nothing outlives the state it reads.
 */
export function createEntries() {
  let source: RoomState | null = null;
  let entries = new Map<string, ThreadEntry>();
  return function posted(state: RoomState, id: string): ThreadEntry {
    if (state !== source) [source, entries] = [state, new Map()];
    let entry = entries.get(id);
    if (!entry) entries.set(id, (entry = { id, status: 'posted', get post() { return state.posts[id] ?? null; } }));
    return entry;
  };
}
export type Entries = ReturnType<typeof createEntries>;

/**
 * Children of every post (null: top level), in creation order, with my pending posts appended where
 * they will appear. Recomputed only when posts are added, not on edits or reactions.
 */
export function buildChildIndex(state: RoomState | null, pending: PendingPost[], entries: Entries = createEntries(), meId: string | null = null): Map<string | null, ThreadEntry[]> {
  const index = new Map<string | null, ThreadEntry[]>();
  const add = (parentId: string | null, entry: ThreadEntry) => {
    const list = index.get(parentId);
    if (list) list.push(entry);
    else index.set(parentId, [entry]);
  };
  const known = (id: string | null) => id === null || !!state?.posts[id] || pending.some((p) => p.id === id);
  // A reply whose parent is not loaded (a big room arrives as a window of threads) waits out of
  // sight until its thread is fetched, rather than pose as a top-level post.
  for (const id of state?.postOrder ?? []) {
    const parentId = state!.posts[id]?.parentId ?? null;
    if (known(parentId)) add(parentId, entries(state!, id));
  }
  for (const post of pending) {
    if (state?.posts[post.id]) continue;
    add(known(post.parentId) ? post.parentId : null, pendingEntry(post, meId ?? ''));
  }
  return index;
}

/** How many posts sit under this one, pending ones included. */
export function countDescendants(index: Map<string | null, ThreadEntry[]>, id: string): number {
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
