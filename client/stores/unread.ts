import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { Post, RoomState } from '../../shared/room-state.js';
import { storage } from '../storage.js';
import { useRoomStore } from './room.js';
import { useSessionStore } from './session.js';

/**
 * How far this browser had read a room: the last seq applied, and the server time of the newest
 * thing in it. Posts do not carry their seq (a snapshot has none), so "arrived since" compares a
 * post's createdAt (server clock, the same clock as the events') with `at`.
 */
export interface SeenMark {
  seq: number;
  at: number;
}

export function isUnreadSince(mark: SeenMark | null, post: Post, meId: string | null): boolean {
  return mark !== null && post.createdAt > mark.at && post.authorId !== meId;
}

export function markOf(state: RoomState): SeenMark {
  let at = state.room.createdAt;
  for (const id of state.postOrder) at = Math.max(at, state.posts[id].createdAt);
  return { seq: state.seq, at };
}

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
