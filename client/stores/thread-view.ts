import { defineStore } from 'pinia';
import { computed, markRaw, reactive, ref, watch } from 'vue';
import type { Post } from '../../shared/room-state.js';
import { storage } from '../storage.js';
import { useFollowStore } from './follow.js';
import { useRoomStore } from './room.js';
import { RANKS_WHOLE_ROOM, SORT_MODES, sortThreads, stanceCounts, threadScore, type SortMode } from '../logic/thread-order.js';
import { ancestry, countDescendants, type ThreadEntry } from '../logic/thread-tree.js';
import { createUnfolding } from '../logic/thread-unfold.js';

/** How many posts the first screen renders; more are rendered as the reader scrolls towards them. */
export const FIRST_RENDER_POSTS = 24;
export const RENDER_STEP_POSTS = 12;
/**
 * From this many posts on (or when the room is too big to be sent whole), threads are rendered as the
 * reader nears them, and far off screen they are parked (useParking.ts). A short room is rendered
 * whole: no need, and plain scroll anchoring for replies landing in threads above the reader.
 */
export const LONG_ROOM_POSTS = 300;

/**
 * How the room is shown: which threads in what order (a thread keeps its place while the reader is on
 * the page: scores are taken when a thread is first seen, until the reader sorts again), which
 * subthreads are collapsed, which post is highlighted, and how much of a big room is rendered so far.
 */
export const useThreadViewStore = defineStore('thread-view', () => {
  const room = useRoomStore();
  const follow = useFollowStore();

  const stored = storage.sort() as SortMode | null;
  const sort = ref<SortMode>(stored && SORT_MODES.includes(stored) ? stored : 'old');
  const sortSerial = ref(0);
  /** Root id → its score when first seen in this sort. Not reactive on purpose: the order must not move. */
  const frozen = new Map<string, number>();
  const collapsed = reactive(new Set<string>());
  const highlighted = ref<string | null>(null);
  const budget = ref(FIRST_RENDER_POSTS);
  /** Threads rendered once stay rendered, so what the reader has seen never disappears under them. */
  const sticky = new Set<string>();
  /** Threads far from the viewport, swapped for a box of their height (see useParking): id → px. */
  const parked = reactive(new Map<string, number>());
  /** Replies of a big room's threads, mounted a few at a time (thread-unfold.ts). */
  const unfolding = markRaw(createUnfolding());

  function park(id: string, height: number): void {
    if (height > 0 && !pinnedOpen.has(id)) parked.set(id, height);
  }

  function unpark(id: string): void {
    parked.delete(id);
  }

  /** Threads a permalink or jump is bringing into view: never parked meanwhile. */
  const pinnedOpen = new Set<string>();

  /** The room's child index without the posts held behind a pill. */
  const index = computed(() => {
    const all = room.childIndex;
    if (!follow.held.size) return all;
    const out = new Map<string | null, ThreadEntry[]>();
    for (const [parent, items] of all) {
      const shown = items.filter((item) => !follow.held.has(item.id));
      if (shown.length) out.set(parent, shown);
    }
    return out;
  });

  const children = (id: string | null): ThreadEntry[] => index.value.get(id) ?? [];

  /**
   * Posts in a thread (its root and everything under it), counted once per index: the render budget
   * asks for every thread at each step, which would otherwise walk the whole room each frame.
   */
  const threadSizes = computed(() => {
    const sizes = new Map<string, number>();
    const current = index.value;
    return (rootId: string): number => {
      let size = sizes.get(rootId);
      if (size === undefined) sizes.set(rootId, (size = 1 + countDescendants(current, rootId)));
      return size;
    };
  });

  function scoreOf(post: Post): number {
    let score = frozen.get(post.id);
    if (score === undefined) {
      const stances = sort.value === 'controversial' ? stanceCounts(children(post.id), room.state?.posts ?? {}) : undefined;
      score = threadScore(sort.value, post, stances);
      frozen.set(post.id, score);
    }
    return score;
  }

  /** All shown top-level items in order; my pending posts go where a new post goes in this order. */
  const ordered = computed<ThreadEntry[]>(() => {
    void sortSerial.value;
    const items = children(null);
    const posts = room.state?.posts ?? {};
    const byId = new Map(items.map((item) => [item.id, item]));
    const real = items.filter((item) => item.status === 'posted' && posts[item.id]).map((item) => posts[item.id]);
    const pending = items.filter((item) => item.status !== 'posted');
    // The index's own item objects, so an unchanged thread gets the same prop and is not re-rendered.
    const sorted = sortThreads(real, sort.value, scoreOf).map((post) => byId.get(post.id)!);
    return sort.value === 'new' ? [...pending, ...sorted] : [...sorted, ...pending];
  });

  /** A big room (more to page in, or many posts): rendered progressively, far threads parked. */
  const long = computed(() => room.olderThreads || (room.state?.postOrder.length ?? 0) >= LONG_ROOM_POSTS);

  /** What is rendered: the first threads up to the post budget, and every thread rendered before. */
  const topLevel = computed<ThreadEntry[]>(() => {
    const all = ordered.value;
    if (!long.value) return all;
    const out: ThreadEntry[] = [];
    const sizeOf = threadSizes.value;
    let used = 0;
    for (const item of all) {
      const within = used < budget.value;
      if (within) used += sizeOf(item.id);
      if (within || item.status !== 'posted' || sticky.has(item.id)) {
        out.push(item);
        sticky.add(item.id);
      }
    }
    return out;
  });
  const allRendered = computed(() => topLevel.value.length >= ordered.value.length);


  function renderMore(): void {
    budget.value += RENDER_STEP_POSTS;
  }

  function setSort(mode: SortMode): void {
    sort.value = mode;
    storage.setSort(mode);
    frozen.clear();
    sticky.clear();
    parked.clear();
    budget.value = FIRST_RENDER_POSTS;
    sortSerial.value++;
    if (RANKS_WHOLE_ROOM.has(mode)) void loadAll();
  }

  /** Top, controversial and common ground rank the whole room: page in the rest, a page at a time, off the busy path. */
  async function loadAll(): Promise<void> {
    while (room.olderThreads && RANKS_WHOLE_ROOM.has(sort.value)) {
      try {
        await room.loadOlder();
      } catch {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Where older threads appear: above the list in 'old', below it otherwise. */
  const olderAtEnd = computed(() => sort.value !== 'old');

  function isCollapsed(id: string): boolean {
    return collapsed.has(id);
  }

  function toggleCollapsed(id: string): void {
    if (collapsed.has(id)) collapsed.delete(id);
    else collapsed.add(id);
  }

  /** Some ancestor of this post (not the post itself) is collapsed: it is not on the page. */
  function hiddenByCollapse(id: string): boolean {
    const state = room.state;
    if (!state) return false;
    return ancestry(state, id).slice(0, -1).some((ancestor) => collapsed.has(ancestor));
  }

  /** Make a post renderable: reveal it if held, open collapsed ancestors, render its thread. */
  function ensureShown(id: string): void {
    const state = room.state;
    if (!state?.posts[id]) return;
    // The caller scrolls to the post next: its replies and its thread's may not wait for later frames.
    unfolding.unfoldAllNow();
    follow.revealPost(id);
    const chain = ancestry(state, id);
    for (const ancestor of chain.slice(0, -1)) collapsed.delete(ancestor);
    renderThrough(chain[0]);
    parked.delete(chain[0]);
    pinnedOpen.add(chain[0]);
    setTimeout(() => pinnedOpen.delete(chain[0]), 2_000);
  }

  /**
   * Render every thread up to and including this one. Not just that one thread: a gap before it would
   * be filled in as the reader scrolls, and filling it in above the post would push it out of view.
   */
  function renderThrough(rootId: string): void {
    if (sticky.has(rootId)) return;
    let used = 0;
    for (const item of ordered.value) {
      used += threadSizes.value(item.id);
      if (item.id === rootId) break;
    }
    budget.value = Math.max(budget.value, used);
  }

  function highlight(id: string | null): void {
    highlighted.value = id;
  }

  watch(() => room.roomId, () => {
    collapsed.clear();
    sticky.clear();
    parked.clear();
    frozen.clear();
    highlighted.value = null;
    budget.value = FIRST_RENDER_POSTS;
    unfolding.reset();
  });

  return {
    sort, index, ordered, topLevel, allRendered, long, olderAtEnd, collapsed, highlighted, parked, park, unpark, unfolding,
    children, setSort, renderMore, isCollapsed, toggleCollapsed, hiddenByCollapse, ensureShown, highlight, scoreOf, loadAll,
  };
});
