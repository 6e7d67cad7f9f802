import { computed, onScopeDispose, type Ref } from 'vue';
import { useRoomStore } from '../stores/room.js';

export const NOW_TICK_MS = 30_000;

/**
 * Now, for relative times ("3 minutes ago"): the room's one clock (logic/room-clock.ts), asked to
 * tick every 30 s while anything that uses it is shown. It also moves whenever anything else moves it.
 */
export function useNow(): Readonly<Ref<number>> {
  const room = useRoomStore();
  onScopeDispose(room.followClock(NOW_TICK_MS));
  return computed(() => room.now);
}
