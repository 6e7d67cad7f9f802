import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { actorOf } from '../../shared/permissions.js';
import type { Reaction } from '../../shared/limits.js';
import type { Presence } from '../../shared/schemas/presence.js';
import { decodePage } from '../../shared/snapshot-codec.js';
import { requester, RequestError, useSocket } from '../socket.js';
import { createRoomClock, roomDeadlines } from '../logic/room-clock.js';
import type { PendingPost } from '../logic/outbox.js';
import type { Refusal } from '../logic/refusal.js';
import { createRoomJoining, type RoomPhase } from '../logic/room-joining.js';
import { createRoomLog } from '../logic/room-log.js';
import { createThreadPaging } from '../logic/thread-paging.js';
import { buildChildIndex, createEntries } from '../logic/thread-tree.js';
import { createWriter } from '../logic/writer.js';
import { useSessionStore } from './session.js';

export type { RoomPhase };

/**
 * The room I am in, shaped like the server: one way in (room-log.ts: the log folded with the shared
 * reducer, what was applied published to `onApplied`), one way out (writer.ts: `write(event, payload)`,
 * with the ack, the tail check and the outbox), and one projection of the thread (`childIndex`: entries,
 * a pending post of mine among them with its status). Joining and re-joining: room-joining.ts.
 */
export const useRoomStore = defineStore('room', () => {
  const socket = useSocket();
  const request = requester(socket);
  const session = useSessionStore();

  const roomId = ref<string | null>(null);
  const phase = ref<RoomPhase>('idle');
  const joinError = ref<RequestError | null>(null);
  const ready = ref(false);
  const presence = ref<Presence>({ viewers: 0, online: [] });
  /**
   * Whether `presence` is the server's current count. Off while this page is disconnected (until the
   * server counts again): who is online is then unknown, not what it was when the connection went.
   */
  const presenceLive = ref(false);

  const paging = createThreadPaging({ request, state: () => log.current(), merge: (page) => log.mergePage(page) });
  const log = createRoomLog({
    request,
    open: () => !!roomId.value,
    accepting: () => phase.value === 'joined' || joining.watching(),
    startOver: () => joining.startOver(),
    snapshotTaken: paging.reset,
    reader: () => session.me?.id ?? null,
    refetch: () => void joining.refresh().catch(() => undefined),
  });
  const state = log.state;

  /** Posts the server sent back for their words, for the drafts store to hand back to their author. */
  const refusedListeners = new Set<(post: PendingPost, refusal: Refusal) => void>();
  const writer = createWriter({
    request,
    ready,
    log,
    refused: (post, refusal) => refusedListeners.forEach((listener) => listener(post, refusal)),
    locate,
  });
  const joining = createRoomJoining({ socket, request, session, log, writer, roomId, phase, joinError, ready });

  /** Whether a post of mine is in the room (its thread is merged in then), for the outbox after lost history. */
  async function locate(postId: string): Promise<boolean> {
    try {
      const page = decodePage((await request('room:posts', { postId })).encoded);
      log.mergePage(page);
      return page.posts.some((post) => post.id === postId);
    } catch (error) {
      if (error instanceof RequestError && error.code === 'NOT_FOUND') return false;
      throw error;
    }
  }

  // A live reply in a thread this page does not hold fetches that thread, so it shows in place.
  log.onApplied(paging.followReplies);

  const entries = createEntries();
  const childIndex = computed(() => buildChildIndex(state.value, writer.pending.value, entries, session.me?.id ?? null));

  // The one clock of this page (see room-clock.ts): the rule, every muted tag and every countdown read it.
  const deadlines = computed(() => roomDeadlines(state.value, session.me?.id ?? null));
  const clock = createRoomClock(() => deadlines.value);
  // Synchronously: a mute that arrives already over must read as over in the same turn, everywhere.
  watch(deadlines, () => clock.deadlinesChanged(), { flush: 'sync' });
  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', () => clock.wake());
  // Who I am here, for the one rule (asked through stores/permissions.ts). Asked again only when
  // something ends (clock.ruleNow), not on every tick of a countdown.
  const actor = computed(() => (state.value ? actorOf(state.value, session.me?.id ?? null, clock.ruleNow.value) : { id: null, role: 'viewer' as const }));

  /**
   * Open a room page: the room shows at once, for anyone with the link. A browser that has been here
   * re-joins as it last did; anyone else (the host who just opened it included) starts by watching,
   * and takes part from the room itself. A room that does not exist says so before anything is asked.
   */
  function open(id: string): void {
    if (roomId.value === id) return;
    leave();
    roomId.value = id;
    writer.load(id);
    void joining.join(session.memory(id)?.role ?? 'viewer').catch(() => undefined);
  }

  function leave(): void {
    roomId.value = null;
    joining.stopWatching();
    log.reset();
    ready.value = false;
    phase.value = 'idle';
    presence.value = { viewers: 0, online: [] };
    presenceLive.value = false;
    clock.reset();
    writer.reset();
    paging.clear();
    session.forget();
  }

  socket.on('room:events', log.receive);
  socket.on('room:presence', (value) => {
    if (!roomId.value) return;
    presence.value = value;
    presenceLive.value = true;
  });
  socket.on('disconnect', () => {
    ready.value = false;
    presenceLive.value = false;
    joining.stopWatching();
  });
  socket.on('connect', () => {
    // A new connection is not in any room yet: re-join with the token, then sync from the last seq.
    if (roomId.value && log.current()) void joining.rejoin();
  });

  return {
    roomId, phase, joinError, ready, presence, presenceLive, state, childIndex, actor,
    /** The room's clock (see room-clock.ts): `now` for what is shown, `followClock` to tick while something counts down. */
    now: computed(() => clock.now.value),
    ruleNow: computed(() => clock.ruleNow.value),
    followClock: clock.follow,
    pending: writer.pending,
    olderThreads: paging.more,
    loadingOlder: paging.loading,
    loadOlder: paging.loadOlder,
    loadThread: paging.loadThread,
    open, leave,
    join: joining.join,
    refresh: joining.refresh,
    watchWhileBanned: joining.watchWhileBanned,
    sync: log.sync,
    /** The history (epoch) the state belongs to, as the server last named it. */
    epoch: log.epoch,
    onApplied: log.onApplied,
    onRefused: (listener: (post: PendingPost, refusal: Refusal) => void) => {
      refusedListeners.add(listener);
      return () => refusedListeners.delete(listener);
    },
    /** The thread's entry for a post of the room (a subthread's root, shown on its own). */
    entryOf: (id: string) => (state.value ? entries(state.value, id) : null),
    write: writer.write,
    submitPost: writer.post,
    retryPending: writer.retry,
    discardPending: writer.discard,
    editPost: (postId: string, body: string) => writer.write('post:edit', { postId, body }),
    deletePost: (postId: string) => writer.write('post:delete', { postId }),
    setReaction: (postId: string, emoji: Reaction, on: boolean) => writer.write('reaction:set', { postId, emoji, on }),
  };
});
