import { ref } from 'vue';
import type { ThreadPage } from '../../shared/post-window.js';
import type { RoomEvent } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import { decodePage } from '../../shared/snapshot-codec.js';
import type { RoomPostsInput } from '../../shared/schemas/room.js';
import { RequestError, type Requester } from '../socket.js';

export interface PagingDeps {
  request: Requester;
  state: () => RoomState | null;
  /** Merges a page into this page's copy of the room once it is at the page's seq (room-log.ts mergePage). */
  merge: (page: ThreadPage) => void;
}

/** Waits before asking again when reads are over budget: together longer than the server's window. */
const OVER_BUDGET_WAITS_MS = [2_000, 4_000, 8_000];

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

  /**
   * A page, decoded. Reads are metered: paging through a whole room (to rank it by top) can run into the
   * budget, and then waiting a little is all it takes, so the reader sees a slower page, not an error.
   */
  async function fetchPage(input: RoomPostsInput) {
    for (let attempt = 0; ; attempt++) {
      try {
        return decodePage((await deps.request('room:posts', input)).encoded);
      } catch (error) {
        const wait = OVER_BUDGET_WAITS_MS[attempt];
        if (!(error instanceof RequestError && error.code === 'RATE_LIMITED') || wait === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  async function loadOlder(): Promise<void> {
    if (loading.value || !more.value) return;
    loading.value = true;
    try {
      const page = await fetchPage({ before: cursor });
      deps.merge(page);
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
      deps.merge(await fetchPage({ postId }));
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
