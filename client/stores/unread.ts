import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { Post } from '../../shared/room-state.js';
import { isUnreadSince, markOf, type SeenMark } from '../logic/unread-mark.js';
import { storage } from '../storage.js';
import { useRoomStore } from './room.js';
import { useSessionStore } from './session.js';

const SAVE_EVERY_MS = 2_000;

/** Unread markers: what arrived since my last visit in this browser. The first visit marks nothing. */
export const useUnreadStore = defineStore('unread', () => {
  const room = useRoomStore();
  const session = useSessionStore();
  /** Where the previous visit left off; null on a first visit. */
  const since = ref<SeenMark | null>(null);
  let current: SeenMark | null = null;
  let loadedFor: string | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function save(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (loadedFor && current) storage.setSeen(loadedFor, current);
  }

  function saveSoon(): void {
    timer ??= setTimeout(save, SAVE_EVERY_MS);
  }

  watch(
    () => [room.roomId, room.phase] as const,
    ([roomId, phase]) => {
      if (!roomId || phase !== 'joined' || !room.state || loadedFor === roomId) return;
      save();
      loadedFor = roomId;
      since.value = storage.seen<SeenMark>(roomId);
      const now = markOf(room.state);
      current = since.value ? { seq: Math.max(now.seq, since.value.seq), at: Math.max(now.at, since.value.at) } : now;
      save();
    },
    { immediate: true },
  );

  room.onApplied((events) => {
    if (!current) return;
    for (const event of events) current = { seq: Math.max(current.seq, event.seq), at: Math.max(current.at, event.at) };
    saveSoon();
  });

  if (typeof window !== 'undefined') window.addEventListener('pagehide', save);

  function isUnread(post: Post): boolean {
    return isUnreadSince(since.value, post, session.me?.id ?? null);
  }

  const count = computed(() => {
    const state = room.state;
    if (!state || !since.value) return 0;
    let n = 0;
    for (const id of state.postOrder) if (isUnread(state.posts[id])) n++;
    return n;
  });

  /** Forget the markers of this visit (the next one starts from now anyway). */
  function markAllRead(): void {
    since.value = null;
  }

  return { since, isUnread, count, markAllRead, save };
});
