import { ref, type Ref } from 'vue';
import type { ReplayLog } from './replay-log.js';

export const SPEEDS = [1, 4, 16, 60] as const;
export type Speed = (typeof SPEEDS)[number];

/** How often playback moves on (ms of real time). */
const TICK_MS = 100;
/** A silence in the debate takes at most this long to play through (ms of real time), at any speed. */
export const MAX_SILENCE_MS = 2_000;
/** At most this many events per tick, so a burst at 60× never freezes the page. */
const MAX_EVENTS_PER_TICK = 400;

/**
 * The debate's own clock, run at 1×, 4×, 16× or 60×: each tick moves it on and shows every event whose time
 * has come, so the thread grows in place as it did. Silences are shortened to MAX_SILENCE_MS. It stops at
 * the last event held (in a live room, more keep coming: play again to follow them).
 */
export function createPlayback(deps: { log: ReplayLog; cursor: Ref<number>; moveTo: (seq: number) => void }) {
  const playing = ref(false);
  const speed = ref<Speed>(16);
  let clock = 0;
  let lastTick = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function play(): void {
    const { log, cursor } = deps;
    if (log.last === 0) return;
    // From the end, play from the start again.
    if (cursor.value >= log.last) deps.moveTo(1);
    clock = log.event(cursor.value)?.at ?? 0;
    lastTick = performance.now();
    playing.value = true;
    schedule();
  }

  function pause(): void {
    playing.value = false;
    if (timer) clearTimeout(timer);
    timer = null;
  }

  function schedule(): void {
    timer = setTimeout(tick, TICK_MS);
  }

  function tick(): void {
    if (!playing.value) return;
    const { log, cursor } = deps;
    const now = performance.now();
    const elapsed = now - lastTick;
    lastTick = now;
    const next = log.event(cursor.value + 1);
    if (!next) return pause();
    // A long silence: skip to just before the next event.
    const silence = MAX_SILENCE_MS * speed.value;
    if (next.at - clock > silence) clock = next.at - silence;
    clock += elapsed * speed.value;
    let to = cursor.value;
    // Times can step back a little (two nodes' clocks): an event is due once its time, or a later one's before it, has come.
    while (to < log.last && to - cursor.value < MAX_EVENTS_PER_TICK && log.event(to + 1)!.at <= clock) to++;
    if (to > cursor.value) deps.moveTo(to);
    if (to >= log.last) return pause();
    schedule();
  }

  return { playing, speed, play, pause };
}
