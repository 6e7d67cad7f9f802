import { ref } from 'vue';
import { mergePosts } from '../../shared/post-window.js';
import type { RoomEvent } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import { decodePage } from '../../shared/snapshot-codec.js';
import type { Requester } from '../socket.js';

export interface PagingDeps {
  request: Requester;
  state: () => RoomState | null;
}

/**
 * A big room arrives as a window of its newest threads. Older threads come a page at a time, and a
 * single thread on demand: for a permalink into the unloaded part, or when a live reply lands in a
 * thread this page does not have yet (so it shows in place, never as a stray top-level post).
 */
export function createThreadPaging(deps: PagingDeps) {
  const more = ref(false);
  const loading = ref(false);
  /** createdAt of the oldest windowed top-level post: where the next page starts. */
  let cursor: number | null = null;
  const fetching = new Set<string>();

  function reset(snapshot: RoomState, hasMore: boolean): void {
    more.value = hasMore;
    cursor = null;
    for (const id of snapshot.postOrder) {
      const post = snapshot.posts[id];
      // Pinned threads come whatever their age; the window proper is the unpinned ones.
      if (post.parentId === null && post.pinnedAt === null && (cursor === null || post.createdAt < cursor)) cursor = post.createdAt;
    }
  }

  async function loadOlder(): Promise<void> {
    if (loading.value || !more.value) return;
    loading.value = true;
    try {
      const page = decodePage((await deps.request('room:posts', { before: cursor })).encoded);
      const state = deps.state();
      if (state) mergePosts(state, page.posts);
      cursor = page.cursor ?? cursor;
      more.value = page.more;
    } finally {
      loading.value = false;
    }
  }

  async function loadThread(postId: string): Promise<void> {
    if (fetching.has(postId) || deps.state()?.posts[postId]?.parentId === null) return;
    fetching.add(postId);
    try {
      const page = decodePage((await deps.request('room:posts', { postId })).encoded);
      const state = deps.state();
      if (state) mergePosts(state, page.posts);
    } catch {
      /* gone or not allowed: the view says the post is not here */
    } finally {
      fetching.delete(postId);
    }
  }

  /** Fetch the threads that new replies landed in, where this page does not hold their parent. */
  function followReplies(events: RoomEvent[]): void {
    const state = deps.state();
    if (!state) return;
    for (const event of events) {
      if (event.type === 'post.created' && event.parentId && !state.posts[event.parentId]) void loadThread(event.postId);
    }
  }

  function clear(): void {
    more.value = false;
    cursor = null;
  }

  return { more, loading, reset, loadOlder, loadThread, followReplies, clear };
}
