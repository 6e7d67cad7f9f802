import { computed, nextTick, watch } from 'vue';
import { MAX_INLINE_DEPTH, ancestry } from '../logic/thread-tree.js';
import { useRoomStore } from '../stores/room.js';
import { useThreadViewStore } from '../stores/thread-view.js';
import { navigate, useRoute } from './useRoute.js';

/** A post's permanent link: the room, scrolled to the post and highlighting it. */
export function postPath(roomId: string, postId: string, threadId?: string | null): string {
  const params = new URLSearchParams();
  if (threadId) params.set('thread', threadId);
  params.set('post', postId);
  return `/r/${encodeURIComponent(roomId)}?${params}`;
}

async function elementFor(postId: string, frames = 30): Promise<HTMLElement | null> {
  for (let i = 0; i < frames; i++) {
    const el = document.getElementById(`post-${postId}`);
    if (el) return el;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  return null;
}

/**
 * Bring a post into view, highlighted and focused (for screen readers and the keyboard). Returns false
 * when the post is not on this page (say, too deep to show inline), for the caller to link to it.
 */
export async function bringIntoView(postId: string, opts: { block?: ScrollLogicalPosition } = {}): Promise<boolean> {
  const view = useThreadViewStore();
  view.ensureShown(postId);
  await nextTick();
  const el = await elementFor(postId);
  if (!el) return false;
  el.scrollIntoView({ block: opts.block ?? 'center' });
  view.highlight(postId);
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: true });
  return true;
}

/** Open ?post=<id>: load its thread if this page does not have it, then scroll to it and highlight it. */
export function usePermalink() {
  const room = useRoomStore();
  const route = useRoute();
  const target = computed(() => route.location.value.searchParams.get('post'));
  let done: string | null = null;

  watch(
    () => [target.value, room.phase, !!(target.value && room.state?.posts[target.value])] as const,
    async ([postId, phase, loaded]) => {
      if (!postId || phase !== 'joined' || done === postId) return;
      if (!loaded) return void room.loadThread(postId);
      done = postId;
      const state = room.state!;
      const chain = ancestry(state, postId);
      const threadId = route.threadId.value;
      const depthInView = threadId ? chain.length - 1 - chain.indexOf(threadId) : chain.length - 1;
      if ((threadId && !chain.includes(threadId)) || depthInView >= MAX_INLINE_DEPTH) {
        // Too deep to show inline here: open the subthread it sits in, then come back to it.
        done = null;
        return navigate(postPath(room.roomId!, postId, chain[Math.max(0, chain.length - 2)]), { replace: true });
      }
      await bringIntoView(postId);
    },
    { immediate: true },
  );

  return { target };
}
