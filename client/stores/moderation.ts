import { defineStore } from 'pinia';
import { computed, reactive, ref, watch } from 'vue';
import { isActiveModerator, isHost as isHostRole, isModerator, isMuted, slowModeWait } from '../../shared/permissions.js';
import type { BlockedTerm, RoomSettings } from '../../shared/room-events.js';
import type { Member, Post } from '../../shared/room-state.js';
import { useSocket, type RequestPayload } from '../socket.js';
import { storage } from '../storage.js';
import { approvedSpeakers, buildQueue, pinnedFirst, raisedHands, type Queue } from '../logic/moderation-queue.js';
import { usePermissionsStore } from './permissions.js';
import { useRoomStore } from './room.js';
import { useSessionStore } from './session.js';
import { conductActions, type ConductEvent } from '../logic/conduct-actions.js';
import { effectiveSlowMode } from '../../shared/conduct.js';

const EMPTY_QUEUE: Queue = { reported: [], held: [], count: 0 };

type ModerationEvent = 'mod:post' | 'mod:held' | 'mod:reports' | 'mod:member' | 'mod:room' | 'report:create' | 'hand:set' | ConductEvent;
export type PostAction = 'restore' | 'pin' | 'unpin' | 'lock' | 'unlock';
export type MemberAction = 'unmute' | 'unban' | 'promote' | 'demote' | 'approveSpeaker' | 'denySpeaker' | 'revokeSpeaker';

/**
 * Moderation in the browser: the queue, my own mute and slow-mode countdowns, every moderation
 * request, and the two session signals (banned; role changed). What anyone may do is asked of
 * stores/permissions.ts; this store never decides that on its own.
 */
export const useModerationStore = defineStore('moderation', () => {
  const socket = useSocket();
  const room = useRoomStore();
  const session = useSessionStore();
  const permissions = usePermissionsStore();

  // --- Who I am here (what I may do is stores/permissions.ts) ---
  const me = computed<Member | undefined>(() => (session.me?.id ? room.state?.members[session.me.id] : undefined));
  const isMod = computed(() => isActiveModerator(room.actor.member));
  const isHost = computed(() => isHostRole(room.actor));

  // --- The queue (moderators only: the public view has no reasons, bodies or terms) ---
  const queue = computed<Queue>(() => (isMod.value ? buildQueue(room.state) : EMPTY_QUEUE));
  const hands = computed(() => raisedHands(room.state));
  const speakers = computed(() => approvedSpeakers(room.state));
  const speakersOnly = computed(() => room.state?.settings.postingMode === 'speakers');

  // --- My countdowns: the room's one clock (room-clock.ts), like everyone else's view of them ---
  /** For what counts (seconds left); `ruleNow` for what ends (muted or not): it moves only when something does. */
  const now = computed(() => room.now);
  const ruleNow = computed(() => room.ruleNow);
  const muteEndsAt = computed(() => me.value?.mutedUntil ?? null);
  const slowModeEndsAt = computed(() => {
    const seconds = effectiveSlowMode(room.state ?? undefined);
    const last = me.value?.lastPostAt ?? null;
    return seconds && last !== null && !isModerator(room.actor) ? last + seconds * 1000 : null;
  });
  const muted = computed(() => isMuted(me.value, ruleNow.value));
  const slowModeSecondsLeft = computed(() => slowModeWait(room.actor, now.value));
  /** The one thing keeping me from posting is a slow-mode wait (the composer stays, the draft waits). */
  const slowModeOnly = computed(() => {
    const verdict = permissions.verdict('post.create');
    return !verdict.ok && verdict.code === 'RATE_LIMITED';
  });
  // While a slow-mode wait of mine runs, the clock steps on its own second boundaries so the number is on time.
  let unfollow: (() => void) | null = null;
  watch(
    () => (slowModeEndsAt.value !== null && slowModeEndsAt.value > now.value ? slowModeEndsAt.value : null),
    (end) => {
      unfollow?.();
      unfollow = end === null ? null : room.followClock(1_000, end);
    },
    { immediate: true },
  );

  // --- Requests: the room's one way out (writer.ts: the ack, the tail check, one Refusal type) ---
  async function send<E extends ModerationEvent>(event: E, payload: RequestPayload<E>): Promise<void> {
    await room.write(event, payload);
  }
  /** Whose record panel is open (ModerationMemberRecord.vue), if any. */
  const recordOf = ref<string | null>(null);
  /** Posts I reported on this visit: the public view does not say who reported what. */
  const reported = reactive(new Set<string>());

  const actions = {
    ...conductActions(send),
    removePost: (postId: string, reason: string) => send('mod:post', { action: 'remove', postId, reason }),
    actOnPost: (postId: string, action: PostAction) => send('mod:post', { action, postId } as RequestPayload<'mod:post'>),
    reviewHeld: (postId: string, action: 'approve' | 'reject', reason = '') => send('mod:held', { postId, action, reason }),
    dismissReports: (postId: string, reason = '') => send('mod:reports', reason ? { postId, reason } : { postId }),
    mute: (memberId: string, minutes: number, reason = '') => send('mod:member', { action: 'mute', memberId, minutes, reason }),
    ban: (memberId: string, reason: string, removePosts: boolean, coverNetwork = true) =>
      send('mod:member', { action: 'ban', memberId, reason, removePosts, coverNetwork }),
    actOnMember: (memberId: string, action: MemberAction) => send('mod:member', { action, memberId } as RequestPayload<'mod:member'>),
    changeSettings: (settings: Partial<RoomSettings>) => send('mod:room', { action: 'settings', settings }),
    setBlockedTerms: (terms: BlockedTerm[]) => send('mod:room', { action: 'blockedTerms', terms }),
    lockRoom: (reason: string) => send('mod:room', { action: 'lock', reason }),
    unlockRoom: () => send('mod:room', { action: 'unlock' }),
    closeRoom: (reason: string) => send('mod:room', { action: 'close', reason }),
    setHand: (raised: boolean) => send('hand:set', { raised }),
    async report(postId: string, reason: string): Promise<void> {
      await send('report:create', { postId, reason });
      reported.add(postId);
    },
  };

  // --- Session signals ---
  /** The server ended my session (a ban): its sentence. The socket is closed and stays closed. */
  const ended = ref<string | null>(null);
  const banned = computed<string | null>(() => {
    if (ended.value) return ended.value;
    // room:join refuses a known identity with FORBIDDEN only when it is banned.
    const error = room.joinError;
    return error?.code === 'FORBIDDEN' && room.roomId ? (storage.banReason(room.roomId) ?? error.message) : null;
  });

  socket.on('session:ended', (why) => {
    ended.value = why.message;
    if (room.roomId) storage.setBanReason(room.roomId, why.message);
    // The server closes this socket next; from then on the page watches for an unban (room.ts).
    socket.once('disconnect', () => void room.watchWhileBanned());
  });
  // Back in after an unban: a join with my own identity succeeded (each join brings a new `me`).
  watch(
    () => session.me,
    (me) => {
      if (me && ended.value && room.phase === 'joined') ended.value = null;
    },
  );
  socket.on('session:refresh', () => {
    if (room.roomId && room.state) void room.refresh().catch(() => undefined);
  });
  watch(
    () => room.roomId,
    () => {
      ended.value = null;
      reported.clear();
    },
  );
  watch(
    () => room.phase,
    (phase) => phase === 'joined' && room.roomId && !ended.value && storage.setBanReason(room.roomId, null),
  );

  /** The name of a post's author, for dialogs that say whose post it is. */
  function authorName(post: Post): string | undefined {
    return room.state?.members[post.authorId]?.name;
  }

  /** Pinned posts first in a list of thread items (the thread's lists call this as they render). */
  function pinned<T extends { id: string }>(items: T[]): T[] {
    return pinnedFirst(items, room.state?.posts);
  }

  return {
    pinnedFirst: pinned, authorName,
    me, isMod, isHost,
    queue, hands, speakers, speakersOnly,
    now, ruleNow, muted, muteEndsAt, slowModeEndsAt, slowModeSecondsLeft, slowModeOnly,
    reported, ended, banned, recordOf,
    ...actions,
  };
});
