import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { requester, useSocket } from '../socket.js';
import { useRoomStore } from './room.js';
import { useSessionStore } from './session.js';
import { createTypingSender, TypingBoard } from '../logic/typing-board.js';

/** Typing indicators: others' signals (forgotten after limits.typingTtlMs), and my own, throttled. */
export const useTypingStore = defineStore('typing', () => {
  const socket = useSocket();
  const request = requester(socket);
  const room = useRoomStore();
  const session = useSessionStore();
  const board = new TypingBoard();
  /** Bumped whenever the board changes: the board itself is not reactive. */
  const version = ref(0);
  let timer: ReturnType<typeof setTimeout> | null = null;

  function schedule(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    const next = board.nextExpiry();
    if (next === null) return;
    timer = setTimeout(() => {
      if (board.prune(Date.now())) version.value++;
      schedule();
    }, Math.max(0, next - Date.now()) + 10);
  }

  socket.on('room:typing', (signal) => {
    if (!room.roomId || signal.memberId === session.me?.id) return;
    if (board.receive(signal, Date.now())) version.value++;
    schedule();
  });
  watch(() => room.roomId, () => {
    board.clear();
    version.value++;
    schedule();
  });

  /** Member ids typing, per parent post (null: a new top-level post). */
  const byParent = computed(() => {
    void version.value;
    return board.byParent(Date.now());
  });

  const sender = createTypingSender((parentId, typing) => {
    if (room.ready) void request('typing:set', { parentId, typing }).catch(() => undefined);
  });

  return { byParent, typing: sender.typing, stop: sender.stop };
});
