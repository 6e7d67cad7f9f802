import type { Post, RoomState } from './room-state.js';
import { canBeKey, own } from './own.js';

/**
 * A big room is not sent whole: a joiner gets the room with a window of its threads (every pinned
 * thread, then the newest top-level threads, each with all its replies, until about `budget` posts),
 * and pages of older threads on request. Threads always travel whole, so a reply's parent is there.
 */
export interface ThreadPage {
  posts: Post[];
  /** createdAt of the oldest top-level post in this page, to ask for the next one. */
  cursor: number | null;
  /** Older threads remain. */
  more: boolean;
}

/** Posts in a page of older threads. */
export const WINDOW_BUDGET = 200;
/** Posts in a joiner's first window: a first screen or two. Smaller means a cheaper join and a sooner first paint; the rest pages in as the reader scrolls. */
export const FIRST_WINDOW_BUDGET = 60;

/** Top-level post ids, newest first by creation time (an approved held post keeps its own time). */
function rootsNewestFirst(state: RoomState): string[] {
  const roots: string[] = [];
  for (const id of state.postOrder) if (state.posts[id].parentId === null) roots.push(id);
  return roots.sort((a, b) => state.posts[b].createdAt - state.posts[a].createdAt || (a < b ? 1 : -1));
}

function childrenIndex(state: RoomState): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const id of state.postOrder) {
    const parent = state.posts[id].parentId;
    if (parent === null) continue;
    const list = children.get(parent);
    if (list) list.push(id);
    else children.set(parent, [id]);
  }
  return children;
}

function collectThread(state: RoomState, children: Map<string, string[]>, rootId: string, into: Post[]): void {
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop()!;
    into.push(state.posts[id]);
    const kids = children.get(id);
    if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}

/** Threads older than `before` (a root's createdAt; null: the newest), pinned ones first when starting. */
export function threadPage(state: RoomState, before: number | null, budget = WINDOW_BUDGET): ThreadPage {
  const children = childrenIndex(state);
  const roots = rootsNewestFirst(state);
  const posts: Post[] = [];
  const taken = new Set<string>();
  if (before === null) {
    for (const id of roots) {
      if (state.posts[id].pinnedAt !== null) {
        collectThread(state, children, id, posts);
        taken.add(id);
      }
    }
  }
  let cursor: number | null = null;
  let index = 0;
  for (; index < roots.length; index++) {
    const root = state.posts[roots[index]];
    if (before !== null && root.createdAt >= before) continue;
    // Roots created in the same millisecond travel together: the next page starts strictly before.
    if (posts.length >= budget && cursor !== null && root.createdAt !== cursor) break;
    cursor = root.createdAt;
    if (!taken.has(root.id)) collectThread(state, children, root.id, posts);
  }
  return { posts, cursor, more: index < roots.length };
}

/** The whole thread a post belongs to (for a permalink into a part of the room not loaded yet). */
export function threadOf(state: RoomState, postId: string): Post[] {
  const post = own(state.posts, postId);
  if (!post) return [];
  let root: Post = post;
  while (root.parentId) {
    const parent: Post | undefined = own(state.posts, root.parentId);
    if (!parent) break;
    root = parent;
  }
  const posts: Post[] = [];
  collectThread(state, childrenIndex(state), root.id, posts);
  return posts;
}

/** The room with only the given posts: what a joiner receives. */
export function withPosts(state: RoomState, posts: Post[]): RoomState {
  const keep = new Set(posts.map((post) => post.id));
  const windowed: RoomState['posts'] = {};
  for (const post of posts) windowed[post.id] = post;
  return { ...state, posts: windowed, postOrder: state.postOrder.filter((id) => keep.has(id)) };
}

/**
 * Merge a page of posts into a client's state. Posts already there are kept (the client's copy is
 * live); new ones go in creation order. Any event still to come applies cleanly on top: the reducer
 * is idempotent per post.
 */
export function mergePosts(state: RoomState, posts: Post[]): void {
  let added = false;
  for (const post of posts) {
    if (own(state.posts, post.id) || !canBeKey(post.id)) continue;
    state.posts[post.id] = post;
    added = true;
  }
  if (!added) return;
  const order = Object.values(state.posts).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  state.postOrder.splice(0, state.postOrder.length, ...order.map((post) => post.id));
}
