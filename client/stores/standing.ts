import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { RoomEvent } from '../../shared/room-events.js';
import type { MyStanding } from '../../shared/schemas/conduct.js';
import { concernsMe } from '../logic/my-standing.js';
import { requester, useSocket } from '../socket.js';
import { useModerationStore } from './moderation.js';
import { useRoomStore } from './room.js';
import { useSessionStore } from './session.js';

/** How long events that concern me gather before one read of my standing. */
const GATHER_MS = 250;
/** While banned (no room frames reach me as myself), how often to look for an answer to my appeal. */
const BANNED_POLL_MS = 20_000;

/**
 * My own standing in the room (server/handlers/standing.ts): the text of my removed and held posts and
 * their reasons, my reports' outcomes, my appeals. Read on joining and again whenever an event that
 * concerns me is applied; never part of the shared room state.
 */
export const useStandingStore = defineStore('standing', () => {
  const request = requester(useSocket());
  const room = useRoomStore();
  const session = useSessionStore();
  const mod = useModerationStore();
  const standing = ref<MyStanding | null>(null);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let poll: ReturnType<typeof setInterval> | null = null;

  /** The room and my token, when I cannot ask as a joined member. */
  const asMember = () => {
    const token = room.roomId ? session.memory(room.roomId)?.token : undefined;
    return mod.banned && room.roomId && token ? { roomId: room.roomId, token } : {};
  };

  async function read(): Promise<void> {
    const roomId = room.roomId;
    if (!roomId || (!mod.banned && (room.phase !== 'joined' || !session.me?.id))) return;
    try {
      const answer = await request('room:standing', asMember());
      if (room.roomId === roomId) standing.value = answer;
    } catch {
      /* offline or over budget: the next event or poll asks again */
    }
  }
  function soon(): void {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      void read();
    }, GATHER_MS);
  }

  room.onApplied((events: readonly RoomEvent[]) => {
    const me = session.me?.id;
    if (me && room.state && events.some((event) => concernsMe(event, me, room.state!, standing.value, mod.reported))) soon();
  });
  watch(() => [room.roomId, room.phase, session.me?.id] as const, ([, phase]) => {
    if (phase === 'joined') void read();
  }, { immediate: true });
  watch(() => mod.banned, (banned) => {
    if (poll) clearInterval(poll);
    poll = banned ? setInterval(() => void read(), BANNED_POLL_MS) : null;
    if (banned) void read();
  }, { immediate: true });
  watch(() => room.roomId, () => (standing.value = null));

  const removedText = (postId: string) => standing.value?.removed.find((entry) => entry.postId === postId) ?? null;
  const heldEntry = (postId: string) => standing.value?.held.find((entry) => entry.postId === postId) ?? null;
  const decidedReports = computed(() => (standing.value?.reports ?? []).filter((report) => report.outcome !== 'open'));

  return { standing, read, removedText, heldEntry, decidedReports, asMember };
});
