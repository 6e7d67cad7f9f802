import { onScopeDispose, ref, type Ref } from 'vue';

/** One clock for the whole page, ticking every 30 s while anything shows a relative time. */
const now = ref(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | null = null;

export const NOW_TICK_MS = 30_000;

export function useNow(): Ref<number> {
  if (users++ === 0) {
    now.value = Date.now();
    timer = setInterval(() => (now.value = Date.now()), NOW_TICK_MS);
  }
  onScopeDispose(() => {
    if (--users === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  });
  return now;
}
