import { defineStore } from 'pinia';
import { computed, isReactive, reactive, ref, shallowRef, watch } from 'vue';
import type { CatchUp, Epoch, Joined } from '../../shared/events.js';
import { LogFollower } from '../../shared/log-follower.js';
import { actorOf } from '../../shared/permissions.js';
import type { RoomEvent } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import type { Reaction } from '../../shared/limits.js';
import type { Presence } from '../../shared/schemas/presence.js';
import { audienceFor, redactApplied } from '../../shared/redact-applied.js';
import { mergePosts } from '../../shared/post-window.js';
import { decodeEvents, decodePage, decodeSnapshot } from '../../shared/snapshot-codec.js';
import { requester, RequestError, useSocket, whenConnected } from '../socket.js';
import { roleToJoinAs } from '../storage.js';
import { createRoomClock, roomDeadlines } from '../logic/room-clock.js';
import { createOutbox, type PendingPost } from '../logic/outbox.js';
import { useSessionStore } from './session.js';
import { createAppliedFeed } from '../logic/applied-feed.js';
import { createThreadPaging } from '../logic/thread-paging.js';
import { buildChildIndex } from '../logic/thread-tree.js';

/** failed: no room to show (it does not exist, I am banned, or the server refused): joinError says why. */
export type RoomPhase = 'idle' | 'joining' | 'failed' | 'joined';

/** How long to wait for the event of an acknowledged write before asking the server for what we missed. */
const TAIL_CHECK_MS = 1_500;
/**
 * How long a gap may stay open before we ask `room:sync` to fill it. With several nodes each broadcasting
 * on its own schedule, an event often arrives a few ms after the one behind it; asking at once cost a
 * sync for one event in ten or twenty with three nodes.
 */
const GAP_WAIT_MS = 250;

/**
 * The room I am in: its state is the fold of its log through the shared reducer (via LogFollower),
 * kept live from 'room:events', caught up with 'room:sync' after gaps and reconnects.
 */
export const useRoomStore = defineStore('room', () => {
  const socket = useSocket();
  const request = requester(socket);
  const session = useSessionStore();

  const roomId = ref<string | null>(null);
  const phase = ref<RoomPhase>('idle');
  /** Why joining failed, for the join form. */
  const joinError = ref<RequestError | null>(null);
  /** Joined on the current connection and caught up: writes may go out. */
  const ready = ref(false);
  const presence = ref<Presence>({ viewers: 0, online: [] });
  /**
   * Whether `presence` is the server's current count. Off while this page is disconnected (until the
   * server counts again): who is online is then unknown, not what it was when the connection went.
   */
  const presenceLive = ref(false);

  // The follower mutates its state in place; handing it a reactive() copy makes those mutations
  // fine-grained Vue updates. `state` only changes identity on a fresh snapshot.
  let follower: LogFollower | null = null;
  const state = shallowRef<RoomState | null>(null);
  /** Frames that arrived while a join was in flight, applied once the snapshot is in. */
  let early: { events: RoomEvent[]; epoch?: Epoch }[] = [];
  /** The room's history was lost (a new epoch, or its seq went backwards): my posts it lacks go out again. */
  let historyLost = false;
  let gapTimer: ReturnType<typeof setTimeout> | null = null;

  /** Posts the server sent back for their words, for the drafts store to hand back to their author. */
  const refusedListeners = new Set<(post: PendingPost, error: RequestError) => void>();
  const outbox = createOutbox({
    request,
    ready,
    refused: (post, error) => refusedListeners.forEach((listener) => listener(post, error)),
    has: (id) => !!follower?.state.posts[id],
    isHeld: (id) => !!follower?.state.held?.[id],
    acknowledged: (seq) => {
      if (seq > (follower?.seq ?? 0)) setTimeout(() => follower && seq > follower.seq && void sync(), TAIL_CHECK_MS);
    },
    locate,
  });

  /** Whether a post of mine is in the room (its thread is merged in then), for the outbox after lost history. */
  async function locate(postId: string): Promise<boolean> {
    try {
      const page = decodePage((await request('room:posts', { postId })).encoded);
      if (follower) mergePosts(follower.state, page.posts);
      return page.posts.some((post) => post.id === postId);
    } catch (error) {
      if (error instanceof RequestError && error.code === 'NOT_FOUND') return false;
      throw error;
    }
  }

  const paging = createThreadPaging({ request, state: () => follower?.state ?? null });
  /** Which events were applied, for the views that follow the room along (new-reply pills, unread). */
  const applied = createAppliedFeed();
  // What the events just applied made unreadable for me goes from my copy too (see redact-applied.ts):
  // my state stays what a joiner is served now. When it cannot (names shown again), a fresh snapshot.
  applied.on((events) => {
    if (!follower) return;
    const { refetch } = redactApplied(follower.state, events, audienceFor(follower.state, session.me?.id ?? null));
    if (refetch) void refresh().catch(() => undefined);
  });

  const childIndex = computed(() => buildChildIndex(state.value, outbox.pending.value));

  // The one clock of this page (see room-clock.ts): the rule, every muted tag and every countdown read it.
  const deadlines = computed(() => roomDeadlines(state.value, session.me?.id ?? null));
  const clock = createRoomClock(() => deadlines.value);
  // Synchronously: a mute that arrives already over must read as over in the same turn, everywhere.
  watch(deadlines, () => clock.deadlinesChanged(), { flush: 'sync' });
  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', () => clock.wake());
  // Who I am here, for the one rule (asked through stores/permissions.ts). Asked again only when
  // something ends (clock.ruleNow), not on every tick of a countdown.
  const actor = computed(() => (state.value ? actorOf(state.value, session.me?.id ?? null, clock.ruleNow.value) : { id: null, role: 'viewer' as const }));

  function publish(): void {
    if (!follower) return;
    if (!isReactive(follower.state)) follower.state = reactive(follower.state) as RoomState;
    state.value = follower.state;
    outbox.prune();
  }

  function receive(events: RoomEvent[], epoch?: Epoch): void {
    if (!roomId.value) return;
    if (!follower || (phase.value !== 'joined' && !banWatch)) {
      early.push({ events, epoch });
      return;
    }
    if (follower.isOtherHistory(epoch)) return startOver();
    if (events.length === 0) return;
    const before = follower.seq;
    const result = follower.receiveAll(events);
    publish();
    applied.announce(events, before, follower.seq);
    paging.followReplies(events);
    if (result === 'gap') awaitGap();
    if (banWatch && events.some((e) => e.type === 'member.unbanned' && (!session.me || e.memberId === session.me.id))) comeBack();
  }

  /**
   * Banned, this page keeps following the room as a nameless viewer (a fresh identity that is never
   * remembered: anyone with the link may watch), so an unban is seen the moment it happens and the
   * page takes me back in with my own identity.
   */
  let banWatch = false;
  async function watchWhileBanned(): Promise<void> {
    const id = roomId.value;
    if (!id || banWatch) return;
    banWatch = true;
    try {
      if (!socket.connected) socket.connect();
      await whenConnected(socket);
      const watching = await request('room:join', { roomId: id, role: 'viewer' });
      if (roomId.value !== id) return;
      follower = null;
      catchUp(watching.start);
      publish();
    } catch (error) {
      banWatch = false;
      console.warn('Could not follow the room after the ban; a reload will try again', error);
    }
  }

  function comeBack(): void {
    const id = roomId.value;
    if (!id) return;
    banWatch = false;
    void join(session.memory(id)?.role ?? 'participant', undefined, true).catch(() => undefined);
  }

  /** Gives a missing event GAP_WAIT_MS to arrive on its own before asking for it. */
  function awaitGap(): void {
    const missing = follower?.missing;
    if (gapTimer || !missing) return;
    gapTimer = setTimeout(() => {
      gapTimer = null;
      if (!follower?.hasGap) return;
      if (follower.seq < missing) void sync();
      else awaitGap(); // That one came; a later one is missing now.
    }, GAP_WAIT_MS);
  }

  /**
   * Applies a catch-up answer: the missed events in order, or a snapshot in place of what this page held.
   * False when the answer is events of another history than this page's, which only a fresh snapshot can replace.
   */
  function catchUp(start: CatchUp): boolean {
    const otherHistory = !!follower?.isOtherHistory(start.epoch);
    if (start.kind === 'events') {
      if (!follower || otherHistory) return false;
      const events = decodeEvents(start.encoded);
      const before = follower.seq;
      follower.receiveAll(events);
      applied.announce(events, before, follower.seq);
      paging.followReplies(events);
      return true;
    }
    const { snapshot, more } = decodeSnapshot(start.encoded);
    const fresh = reactive(snapshot) as RoomState;
    // A snapshot behind what this page has seen: the log lost events the server did not notice losing.
    if (otherHistory || (follower && snapshot.seq < follower.seq)) historyLost = true;
    if (follower && !historyLost && follower.epoch === start.epoch) follower.reset(fresh);
    else follower = new LogFollower(fresh, start.epoch);
    paging.reset(fresh, more);
    return true;
  }

  let syncing: Promise<void> | null = null;
  /** Waits before asking again after a failed catch-up. */
  const SYNC_RETRY_MS = [1_000, 2_000, 5_000, 10_000];
  /** Ask for everything after the last applied seq; single-flight, repeats while a gap remains. */
  function sync(): Promise<void> {
    syncing ??= (async () => {
      for (let round = 0; round < 5 && follower; round++) {
        if (!catchUp(await request('room:sync', { since: follower.seq })) || historyLost) return startOver();
        publish();
        if (!follower.hasGap) break;
      }
    })()
      .then(() => {
        syncFailures = 0;
      })
      .catch((error) => {
        // Refused (rate limited, or the store is away): try again after a while, since no later event may
        // come to reveal what is still missing.
        console.warn('room:sync failed; trying again shortly', error);
        const wait = SYNC_RETRY_MS[Math.min(syncFailures++, SYNC_RETRY_MS.length - 1)];
        setTimeout(() => follower && roomId.value && void sync(), wait);
      })
      .finally(() => (syncing = null));
    return syncing;
  }
  let syncFailures = 0;

  /** The seq to resume from when this page already holds the room (a reconnect), so the join answers only what was missed. */
  function resumeFrom(id: string, fresh: boolean): number | undefined {
    return !fresh && follower && follower.state.room.id === id ? follower.seq : undefined;
  }

  function adopt(id: string, joined: Joined, role: 'participant' | 'viewer', resumedFrom: number | undefined): Promise<void> {
    session.adopt(id, joined, role);
    const before = follower && { epoch: follower.epoch, seq: follower.seq };
    // Without a seq to resume from (first join, or my role changed and the snapshot holds what I may now read), start over.
    if (resumedFrom === undefined) follower = null;
    if (!catchUp(joined.start)) {
      // The events I missed, but of another history than mine: only a fresh snapshot will do.
      follower = null;
      historyLost = true;
      return join(role, undefined, true);
    }
    if (before && follower && (follower.isOtherHistory(before.epoch) || follower.seq < before.seq)) historyLost = true;
    // Before anything is pruned against the new snapshot.
    if (historyLost) outbox.historyLost();
    phase.value = 'joined';
    joinError.value = null;
    const held = early;
    early = [];
    for (const frame of held) receive(frame.events, frame.epoch);
    publish();
    const recovering = historyLost;
    return (follower?.hasGap ? sync() : Promise.resolve()).then(() => {
      ready.value = true;
      if (!recovering) return void outbox.resend();
      historyLost = false;
      void outbox.recover().catch((error) => console.warn('could not check my posts after the room lost history', error));
    });
  }

  let startingOver: Promise<void> | null = null;
  /** The room's history was lost: take a fresh snapshot (no `since`), then send again what of mine it lacks. */
  function startOver(): void {
    historyLost = true;
    if (startingOver || !roomId.value) return;
    ready.value = false;
    startingOver = rejoin(0, true).finally(() => (startingOver = null));
  }

  let joining: Promise<void> = Promise.resolve();
  /**
   * Join (or re-join) the open room. Throws RequestError, e.g. NAME_TAKEN, for the form to show.
   * One join at a time: taking part while the first (watching) join is still in flight must use the
   * token that join brings, or the two would race and the later answer would win.
   */
  function join(role: 'participant' | 'viewer', name?: string, fresh = false): Promise<void> {
    if (roomId.value) phase.value = 'joining';
    const next = joining.catch(() => undefined).then(() => joinNow(role, name, fresh));
    joining = next;
    return next;
  }

  async function joinNow(role: 'participant' | 'viewer', name: string | undefined, fresh: boolean): Promise<void> {
    const id = roomId.value;
    if (!id) return;
    phase.value = 'joining';
    joinError.value = null;
    try {
      await whenConnected(socket);
      const token = session.memory(id)?.token;
      const since = resumeFrom(id, fresh);
      const joined = await request('room:join', { roomId: id, role, ...(name ? { name } : {}), ...(token ? { token } : {}), ...(since !== undefined ? { since } : {}) });
      if (roomId.value === id) await adopt(id, joined, role, since);
    } catch (error) {
      joinError.value = error instanceof RequestError ? error : new RequestError('INTERNAL', String(error));
      // Refused as someone banned here: keep watching, to hear of an unban.
      if (joinError.value.code === 'FORBIDDEN') {
        phase.value = 'failed';
        void watchWhileBanned();
      } else phase.value = follower ? 'joined' : 'failed';
      throw joinError.value;
    }
  }

  /**
   * Open a room page: the room shows at once, for anyone with the link. A browser that has been here
   * re-joins as it last did; anyone else (the host who just opened it included) starts by watching,
   * and takes part from the room itself. A room that does not exist says so before anything is asked.
   */
  function open(id: string): void {
    if (roomId.value === id) return;
    leave();
    roomId.value = id;
    outbox.load(id);
    void join(session.memory(id)?.role ?? 'viewer').catch(() => undefined);
  }

  function leave(): void {
    roomId.value = null;
    banWatch = false;
    follower = null;
    state.value = null;
    early = [];
    historyLost = false;
    if (gapTimer) clearTimeout(gapTimer);
    gapTimer = null;
    applied.clear();
    ready.value = false;
    phase.value = 'idle';
    presence.value = { viewers: 0, online: [] };
    presenceLive.value = false;
    clock.reset();
    outbox.reset();
    paging.clear();
    session.forget();
  }

  socket.on('room:events', (events, epoch) => receive(events, epoch));
  socket.on('room:presence', (value) => {
    if (!roomId.value) return;
    presence.value = value;
    presenceLive.value = true;
  });
  socket.on('disconnect', () => {
    ready.value = false;
    presenceLive.value = false;
    banWatch = false;
  });
  socket.on('connect', () => {
    // A new connection is not in any room yet: re-join with the token, then sync from the last seq.
    if (roomId.value && follower) void rejoin();
  });

  /** Join again and take a fresh snapshot (session:refresh after a promotion or demotion; names shown again), without a reload. */
  function refresh(): Promise<void> {
    return join(roleToJoinAs(session.me), undefined, true);
  }

  async function rejoin(attempt = 0, fresh = false): Promise<void> {
    try {
      await join(roleToJoinAs(session.me), undefined, fresh);
    } catch (error) {
      if (error instanceof RequestError && error.retryable && socket.connected && attempt < 5) {
        setTimeout(() => void rejoin(attempt + 1, fresh), 500 * 2 ** attempt);
      }
    }
  }

  return {
    roomId, phase, joinError, ready, presence, presenceLive, state, childIndex, actor,
    /** The room's clock (see room-clock.ts): `now` for what is shown, `followClock` to tick while something counts down. */
    now: computed(() => clock.now.value),
    ruleNow: computed(() => clock.ruleNow.value),
    followClock: clock.follow,
    pending: outbox.pending,
    olderThreads: paging.more,
    loadingOlder: paging.loading,
    loadOlder: paging.loadOlder,
    loadThread: paging.loadThread,
    open, leave, join, sync, watchWhileBanned,
    /** The history (epoch) the state belongs to, as the server last named it. */
    epoch: () => follower?.epoch,
    refresh,
    onApplied: applied.on,
    onRefused: (listener: (post: PendingPost, error: RequestError) => void) => {
      refusedListeners.add(listener);
      return () => refusedListeners.delete(listener);
    },
    submitPost: outbox.submit,
    retryPending: outbox.retry,
    discardPending: outbox.discard,
    editPost: (postId: string, body: string) => request('post:edit', { postId, body }),
    deletePost: (postId: string) => request('post:delete', { postId }),
    setReaction: (postId: string, emoji: Reaction, on: boolean) => request('reaction:set', { postId, emoji, on }),
  };
});
