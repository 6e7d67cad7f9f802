import { computed, onScopeDispose, watch, type Ref } from 'vue';
import { useRoomStore } from '../stores/room.js';

/** "4:05", "1:02:03": time left until `endsAt`. */
export function formatLeft(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/**
 * Time left until `endsAt` on the room's one clock (logic/room-clock.ts), so every screen counts
 * down alike and reaches zero when the rule does. Ticks each second, on the end's own second
 * boundaries, only while the end is still ahead.
 */
export function useCountdown(endsAt: Ref<number | null>) {
  const room = useRoomStore();
  let unfollow: (() => void) | null = null;
  const stop = () => {
    unfollow?.();
    unfollow = null;
  };
  watch(
    () => (endsAt.value !== null && endsAt.value > room.now ? endsAt.value : null),
    (end) => {
      stop();
      if (end !== null) unfollow = room.followClock(1_000, end);
    },
    { immediate: true },
  );
  onScopeDispose(stop);
  const left = computed(() => (endsAt.value === null ? null : Math.max(0, endsAt.value - room.now)));
  return { left, label: computed(() => (left.value === null ? '' : formatLeft(left.value))) };
}
