import { pathToRoot, type RoomState } from '../../shared/room-state.js';

export interface ReplayTree {
  /** Replies of every post in the order they came (null: the threads). */
  children: Map<string | null, string[]>;
  /** Threads, newest first: a new thread appears on top, replies grow inside their own. */
  roots: string[];
  /** Posts in a thread, its opening post included. */
  size(rootId: string): number;
  /** The thread a post is in. */
  rootOf(postId: string): string | null;
}

/** The thread tree of a room at one moment. */
export function replayTree(state: RoomState | null): ReplayTree {
  const children = new Map<string | null, string[]>();
  for (const id of state?.postOrder ?? []) {
    const parent = state!.posts[id]!.parentId;
    const key = parent && state!.posts[parent] ? parent : null;
    const list = children.get(key);
    if (list) list.push(id);
    else children.set(key, [id]);
  }
  const sizes = new Map<string, number>();
  const size = (id: string): number => {
    let total = sizes.get(id);
    if (total === undefined) {
      total = 1;
      for (const child of children.get(id) ?? []) total += size(child);
      sizes.set(id, total);
    }
    return total;
  };
  const rootOf = (postId: string): string | null => (state ? (pathToRoot(state, postId).at(-1)?.id ?? null) : null);
  return { children, roots: [...(children.get(null) ?? [])].reverse(), size, rootOf };
}
