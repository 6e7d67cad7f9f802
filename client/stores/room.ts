import { defineStore } from 'pinia';
import { computed, isReactive, reactive, ref, shallowRef } from 'vue';
import type { CatchUp, Joined } from '../../shared/events.js';
import { LogFollower } from '../../shared/log-follower.js';
import { actorOf, can, check, type Action } from '../../shared/permissions.js';
import type { RoomEvent } from '../../shared/room-events.js';
import type { Post, RoomState } from '../../shared/room-state.js';
import type { Reaction } from '../../shared/limits.js';
import type { Presence } from '../../shared/schemas/presence.js';
import { decodeSnapshot } from '../../shared/snapshot-codec.js';
import { requester, RequestError, useSocket, whenConnected } from '../socket.js';
import { roleToJoinAs } from '../storage.js';
import { ruleNow } from './moderation-clock.js';
import { createOutbox, type PendingPost } from './outbox.js';
import { useSessionStore } from './session.js';
import { createAppliedFeed } from './applied-feed.js';
import { createThreadPaging } from './thread-paging.js';
import { buildChildIndex } from './thread-tree.js';

/** failed: no room to show (it does not exist, I am banned, or the server refused): joinError says why. */
export type RoomPhase = 'idle' | 'joining' | 'failed' | 'joined';

/** How long to wait for the event of an acknowledged write before asking the server for what we missed. */
const TAIL_CHECK_MS = 1_500;

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

  // The follower mutates its state in place; handing it a reactive() copy makes those mutations
  // fine-grained Vue updates. `state` only changes identity on a fresh snapshot.
  let follower: LogFollower | null = null;
  const state = shallowRef<RoomState | null>(null);
  /** Events that arrived while a join was in flight, applied once the snapshot is in. */
  let early: RoomEvent[] = [];

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
  });

  const paging = createThreadPaging({ request, state: () => follower?.state ?? null });
  /** Which events were applied, for the views that follow the room along (new-reply pills, unread). */
  const applied = createAppliedFeed();

  const childIndex = computed(() => buildChildIndex(state.value, outbox.pending.value));
  // ruleNow(): asked again when a mute or slow-mode wait of mine ends (see moderation-clock.ts).
  const actor = computed(() => (state.value ? actorOf(state.value, session.me?.id ?? null, ruleNow()) : { id: null, role: 'viewer' as const }));

  function allowed(action: Action, post?: Post): boolean {
    return can(actor.value, action, post);
  }

  /** Why an action is refused, as a sentence for the person (null when allowed). */
  function refusal(action: Action, post?: Post): string | null {
    const verdict = check(actor.value, action, post);
    return verdict.ok ? null : verdict.reason;
  }

  function publish(): void {
    if (!follower) return;
    if (!isReactive(follower.state)) follower.state = reactive(follower.state) as RoomState;
    state.value = follower.state;
    outbox.prune();
  }

  function receive(events: RoomEvent[]): void {
    if (!roomId.value) return;
    if (!follower || (phase.value !== 'joined' && !banWatch)) {
      early.push(...events);
      return;
    }
    const before = follower.seq;
    const result = follower.receiveAll(events);
    publish();
    applied.announce(events, before, follower.seq);
    paging.followReplies(events);
    if (result === 'gap') void sync();
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

  /** Applies a catch-up answer: the missed events in order, or a snapshot in place of what this page held. */
  function catchUp(start: CatchUp): void {
    if (start.kind === 'events' && follower) {
      const before = follower.seq;
      follower.receiveAll(start.events);
      applied.announce(start.events, before, follower.seq);
      paging.followReplies(start.events);
      return;
    }
    if (start.kind !== 'snapshot') return;
    const { snapshot, more } = decodeSnapshot(start.encoded);
    const fresh = reactive(snapshot) as RoomState;
    if (follower) follower.reset(fresh);
    else follower = new LogFollower(fresh);
    paging.reset(fresh, more);
  }

  let syncing: Promise<void> | null = null;
  /** Ask for everything after the last applied seq; single-flight, repeats while a gap remains. */
  function sync(): Promise<void> {
    syncing ??= (async () => {
      for (let round = 0; round < 5 && follower; round++) {
        catchUp(await request('room:sync', { since: follower.seq }));
        publish();
        if (!follower.hasGap) break;
      }
    })()
      .catch((error) => console.warn('room:sync failed; the next reconnect or gap will try again', error))
      .finally(() => (syncing = null));
    return syncing;
  }

  /** The seq to resume from when this page already holds the room (a reconnect), so the join answers only what was missed. */
  function resumeFrom(id: string, fresh: boolean): number | undefined {
    return !fresh && follower && follower.state.room.id === id ? follower.seq : undefined;
  }

  function adopt(id: string, joined: Joined, role: 'participant' | 'viewer', resumedFrom: number | undefined): Promise<void> {
    session.adopt(id, joined, role);
    // Without a seq to resume from (first join, or my role changed and the snapshot holds what I may now read), start over.
    if (resumedFrom === undefined) follower = null;
    catchUp(joined.start);
    phase.value = 'joined';
    joinError.value = null;
    const held = early;
    early = [];
    receive(held);
    publish();
    return (follower?.hasGap ? sync() : Promise.resolve()).then(() => {
      ready.value = true;
      void outbox.resend();
    });
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
    applied.clear();
    ready.value = false;
    phase.value = 'idle';
    presence.value = { viewers: 0, online: [] };
    outbox.reset();
    paging.clear();
    session.forget();
  }

  socket.on('room:events', (events) => receive(events));
  socket.on('room:presence', (value) => {
    if (roomId.value) presence.value = value;
  });
  socket.on('disconnect', () => {
    ready.value = false;
    banWatch = false;
  });
  socket.on('connect', () => {
    // A new connection is not in any room yet: re-join with the token, then sync from the last seq.
    if (roomId.value && follower) void rejoin();
  });

  async function rejoin(attempt = 0): Promise<void> {
    try {
      await join(roleToJoinAs(session.me));
    } catch (error) {
      if (error instanceof RequestError && error.retryable && socket.connected && attempt < 5) {
        setTimeout(() => void rejoin(attempt + 1), 500 * 2 ** attempt);
      }
    }
  }

  return {
    roomId, phase, joinError, ready, presence, state, childIndex, actor,
    pending: outbox.pending,
    olderThreads: paging.more,
    loadingOlder: paging.loading,
    loadOlder: paging.loadOlder,
    loadThread: paging.loadThread,
    open, leave, join, sync, allowed, refusal, watchWhileBanned,
    /** session:refresh: join again and take the new snapshot (a promotion or demotion, without a reload). */
    refresh: () => join(roleToJoinAs(session.me), undefined, true),
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
