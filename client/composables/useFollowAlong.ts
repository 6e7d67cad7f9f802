import { nextTick, onBeforeUnmount, onMounted, watch, type Ref } from 'vue';
import type { Placement } from '../logic/follow-along.js';
import { useFollowStore } from '../stores/follow.js';
import { useRoomStore } from '../stores/room.js';
import { sortThreads } from '../logic/thread-order.js';
import { useThreadViewStore } from '../stores/thread-view.js';

/**
 * Measures, for the follow-along rule, where a new post would land on this page, before it is
 * rendered; and in "follow live" keeps the newest arrival in view. `list` is the top-level list.
 */
export function useFollowAlong(list: Ref<HTMLElement | undefined | null>) {
  const room = useRoomStore();
  const view = useThreadViewStore();
  const follow = useFollowStore();

  function rootInsertionTop(postId: string, listRect: DOMRect): number | null {
    const post = room.state?.posts[postId];
    if (!post) return null;
    const rendered = view.topLevel.filter((item) => item.status === 'posted' && room.state!.posts[item.id]).map((item) => room.state!.posts[item.id]);
    // Where the new thread sorts among the rendered ones, with the same rule as the list.
    const order = sortThreads([...rendered, post], view.sort, view.scoreOf);
    const at = order.findIndex((p) => p.id === postId);
    const next = order[at + 1];
    if (!next) return view.allRendered ? listRect.bottom : null;
    return document.getElementById(`post-${next.id}`)?.parentElement?.getBoundingClientRect().top ?? null;
  }

  function probe(post: { id: string; parentId: string | null }): Placement | null {
    const el = list.value;
    if (!el) return null;
    const listRect = el.getBoundingClientRect();
    let top: number | null;
    if (post.parentId) {
      if (view.isCollapsed(post.parentId) || view.hiddenByCollapse(post.parentId)) return null;
      // A reply goes last under its parent: where the parent's list item ends.
      top = document.getElementById(`post-${post.parentId}`)?.parentElement?.getBoundingClientRect().bottom ?? null;
    } else {
      top = rootInsertionTop(post.id, listRect);
    }
    if (top === null) return null;
    return { top, viewportHeight: window.innerHeight, contentAfter: top < listRect.bottom - 1, reading: listRect.top < 0 };
  }

  onMounted(() => follow.setProbe(probe));
  onBeforeUnmount(() => follow.setProbe(null));

  watch(
    () => follow.latest,
    async (id) => {
      if (!id || !follow.followLive) return;
      view.ensureShown(id); // its thread may be parked or not rendered yet in a big room
      await nextTick();
      document.getElementById(`post-${id}`)?.scrollIntoView({ block: 'nearest' });
    },
  );
}
