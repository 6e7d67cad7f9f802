import { limits } from './limits.js';
import { pathToRoot, type Post, type RoomState } from './room-state.js';
import { canBeKey, own } from './own.js';
import { ThreadIndex } from './thread-index.js';

/**
 * A big room is not sent whole: a joiner gets the room with a window of its threads (every pinned
 * thread, then the newest top-level threads, each with all its replies, until about `budget` posts or
 * `limits.pageTargetBytes`), and pages of older threads on request. Threads travel whole, so a reply's
 * parent is there; only a thread bigger than a whole answer (`limits.readAnswerMaxBytes`) is cut, to its
 * first posts in reading order (each with its parent), since no answer may be bigger than that.
 */
export interface ThreadPage {
  posts: Post[];
  /** createdAt of the oldest top-level post in this page, to ask for the next one. */
  cursor: number | null;
  /** Older threads remain. */
  more: boolean;
  /**
   * The seq of the room state the page was cut from (set by the server's answer): a client merges it only
   * once its own copy has reached that seq (see LogFollower.mergePage).
   */
  seq?: number;
}

/** Posts in a page of older threads. */
const WINDOW_BUDGET = 200;
/** Posts in a joiner's first window: a first screen or two. Smaller means a cheaper join and a sooner first paint; the rest pages in as the reader scrolls. */
export const FIRST_WINDOW_BUDGET = 60;

/** A thread in reading order (each post before its replies), appended to `into`. */
function collectThread(state: RoomState, children: ReadonlyMap<string, string[]>, rootId: string, into: Post[]): Post[] {
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop()!;
    into.push(state.posts[id]);
    const kids = children.get(id);
    if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return into;
}

/** What a page may hold: about `posts` posts or `targetBytes` bytes of them, never more than `maxBytes`. */
export interface PageBudget {
  posts: number;
  targetBytes: number;
  maxBytes: number;
}

/** Room in an answer for what travels beside a page's posts (the envelope, and one long post past the budget). */
const ENVELOPE_BYTES = 64_000;

const pageBudget = (posts: number): PageBudget => ({ posts, targetBytes: limits.pageTargetBytes, maxBytes: limits.readAnswerMaxBytes - ENVELOPE_BYTES });

/**
 * Threads older than `before` (a root's createdAt; null: the newest), pinned ones first when starting.
 * `threads`: the room's thread index, when the caller keeps one up to date (see ThreadIndex).
 */
export function threadPage(state: RoomState, before: number | null, budget: number | PageBudget = WINDOW_BUDGET, threads = new ThreadIndex(state)): ThreadPage {
  const { posts: maxPosts, targetBytes, maxBytes } = typeof budget === 'number' ? pageBudget(budget) : budget;
  const { children, roots } = threads;
  const posts: Post[] = [];
  let bytes = 0;
  const taken = new Set<string>();
  if (before === null) {
    for (const id of roots) {
      if (state.posts[id].pinnedAt === null) continue;
      const thread = collectThread(state, children, id, []);
      const size = sizeOf(thread);
      // A pinned thread that does not fit whole comes in its turn, like any other.
      if (bytes + size > maxBytes) continue;
      posts.push(...thread);
      bytes += size;
      taken.add(id);
    }
  }
  let cursor: number | null = null;
  let index = 0;
  for (; index < roots.length; index++) {
    const root = state.posts[roots[index]];
    if (before !== null && root.createdAt >= before) continue;
    // Roots created in the same millisecond travel together: the next page starts strictly before.
    const mayStop = cursor !== null && root.createdAt !== cursor;
    if (mayStop && (posts.length >= maxPosts || bytes >= targetBytes)) break;
    if (!taken.has(root.id)) {
      const thread = collectThread(state, children, root.id, []);
      // A thread that would take the page past an answer's size starts the next page instead.
      if (mayStop && bytes + sizeOf(thread) > maxBytes) break;
      // The page moves past this thread, so its root at least is in it, whatever came before.
      bytes += appendWithin(posts, thread, Math.max(maxBytes - bytes, postBytes(thread[0])));
    }
    cursor = root.createdAt;
  }
  return { posts, cursor, more: index < roots.length };
}

/** The whole thread a post belongs to (for a permalink into a part of the room not loaded yet). */
export function threadOf(state: RoomState, postId: string, maxBytes = limits.readAnswerMaxBytes - ENVELOPE_BYTES, threads = new ThreadIndex(state)): Post[] {
  const path = pathToRoot(state, postId).reverse();
  if (!path.length) return [];
  const root = path[0];
  const { children } = threads;
  const thread = collectThread(state, children, root.id, []);
  if (sizeOf(thread) <= maxBytes) return thread;
  // Too big for one answer: the way down to the post and what hangs beneath it come first.
  const beneath = collectThread(state, children, postId, []).slice(1);
  const first = new Set([...path, ...beneath].map((post) => post.id));
  const posts: Post[] = [];
  appendWithin(posts, [...path, ...beneath, ...thread.filter((post) => !first.has(post.id))], maxBytes);
  return posts;
}

/**
 * About how many bytes a post takes as JSON: its texts exactly (they are what can be big), the rest
 * generously. Pages are cut by it, so a page of long posts holds fewer of them.
 */
export function postBytes(post: Post): number {
  let bytes = 240 + jsonStringBytes(post.body);
  if (post.removed) bytes += 60 + jsonStringBytes(post.removed.reason);
  for (const reactors of Object.values(post.reactions)) if (reactors) bytes += 16 + reactors.length * (limits.idMax + 3);
  return bytes;
}

/** Bytes of a string as a JSON string in UTF-8, quotes and escapes included. */
function jsonStringBytes(text: string): number {
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22 || code === 0x5c) bytes += 2;
    else if (code < 0x20) bytes += code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d ? 2 : 6;
    else if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    // A surrogate pair is one 4-byte character; a lone surrogate is written as a 6-byte escape.
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) (bytes += 4), i++;
    else bytes += code >= 0xd800 && code <= 0xdfff ? 6 : 3;
  }
  return bytes;
}

function sizeOf(posts: Post[]): number {
  let bytes = 0;
  for (const post of posts) bytes += postBytes(post);
  return bytes;
}

/**
 * Appends posts in the given order while they fit in `room` bytes; returns the bytes taken. The order is a
 * thread's reading order (or begins with a way down from its root), so every post taken has its parent before it.
 */
function appendWithin(into: Post[], posts: Post[], room: number): number {
  let bytes = 0;
  for (const post of posts) {
    const size = postBytes(post);
    if (bytes + size > room) break;
    into.push(post);
    bytes += size;
  }
  return bytes;
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
 * live); new ones go in creation order. Any event after the page's seq applies cleanly on top: the
 * reducer is idempotent per post. Not so an event up to it: its post.created would find its post already
 * there and skip what it does beyond the post (the author's count and lastPostAt), so a page cut from a
 * later state waits for the client's copy to get there (LogFollower.mergePage).
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
