import { computed, onScopeDispose, ref, watch, type Ref } from 'vue';

/** "4:05", "1:02:03": time left until `endsAt`, ticking every second while there is one. */
export function formatLeft(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

export function useCountdown(endsAt: Ref<number | null>) {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | null = null;
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  watch(
    endsAt,
    (at) => {
      stop();
      now.value = Date.now();
      if (at !== null) timer = setInterval(() => (now.value = Date.now()), 1_000);
    },
    { immediate: true },
  );
  onScopeDispose(stop);
  const left = computed(() => (endsAt.value === null ? null : Math.max(0, endsAt.value - now.value)));
  return { left, label: computed(() => (left.value === null ? '' : formatLeft(left.value))) };
}
