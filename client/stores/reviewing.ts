import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { conductLimits } from '../../shared/conduct.js';
import { requester, useSocket } from '../socket.js';
import { useModerationStore } from './moderation.js';
import { useRoomStore } from './room.js';
import { useSessionStore } from './session.js';

/**
 * Moderator handover: which queue item each other moderator has open ("Mo is reviewing"), forgotten
 * after conductLimits.reviewingTtlMs unless renewed; and my own, renewed while I stay on it. Ephemeral:
 * signals only (server/handlers/reviewing.ts), never the room log.
 */
export const useReviewingStore = defineStore('reviewing', () => {
  const socket = useSocket();
  const request = requester(socket);
  const room = useRoomStore();
  const session = useSessionStore();
  const mod = useModerationStore();
  /** Member id → what they have open, and until when it counts. */
  const others = ref<Record<string, { item: string; until: number }>>({});
  const tick = ref(0);
  let sweep: ReturnType<typeof setInterval> | null = null;

  socket.on('room:reviewing', ({ memberId, item }) => {
    if (memberId === session.me?.id) return;
    const next = { ...others.value };
    if (item) next[memberId] = { item, until: Date.now() + conductLimits.reviewingTtlMs };
    else delete next[memberId];
    others.value = next;
    sweep ??= setInterval(() => {
      tick.value++;
      if (!Object.values(others.value).some((entry) => entry.until > Date.now()) && sweep) {
        clearInterval(sweep);
        sweep = null;
      }
    }, 2_000);
  });
  watch(() => room.roomId, () => (others.value = {}));

  /** Names of the other moderators on this item now. */
  function reviewers(item: string): string[] {
    void tick.value;
    const now = Date.now();
    return Object.entries(others.value)
      .filter(([, entry]) => entry.item === item && entry.until > now)
      .map(([id]) => room.state?.members[id]?.name ?? 'A moderator');
  }

  let mine: string | null = null;
  let renew: ReturnType<typeof setInterval> | null = null;
  function say(item: string | null) {
    if (mod.isMod && room.ready) void request('mod:reviewing', { item }).catch(() => undefined);
  }
  /** I opened (or moved to) an item; null: I left the queue. */
  function looking(item: string | null): void {
    if (item === mine) return;
    mine = item;
    say(item);
    if (renew) clearInterval(renew);
    renew = item ? setInterval(() => say(item), conductLimits.reviewingRenewMs + 500) : null;
  }

  return { reviewers, looking, count: computed(() => Object.keys(others.value).length) };
});
