import { readonly, ref } from 'vue';
import { isModerator } from '../../shared/permissions.js';
import type { RoomState } from '../../shared/room-state.js';

/**
 * While a deadline is pending, the wall clock is looked at this often as well as at the deadline:
 * a timer can fire late (a laptop that slept, a throttled background tab), Date.now() cannot.
 */
export const DEADLINE_HEARTBEAT_MS = 5_000;
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * The room's one clock. Everything with an end (mutes, slow mode, phase countdowns) is the room
 * state compared with this clock, so every view on this page, and every `can()` it asks, agrees.
 *
 * - `now` moves at every wake: at each deadline, on the ticks someone follows (a countdown shown
 *   asks for seconds, a relative time for half-minutes), and on the heartbeat while a deadline waits.
 * - `ruleNow` moves only when a deadline has passed since it last moved. The permission rule reads
 *   it: between two deadlines every answer of the rule is the same, so the thread does not
 *   re-render on each tick of a countdown, and yet no answer ever lags a display that reads `now`.
 *
 * Made by the room store, one per page (per Pinia), reset when the room changes: no module state.
 */
export function createRoomClock(deadlines: () => readonly (number | null | undefined)[]) {
  const now = ref(Date.now());
  const ruleNow = ref(now.value);
  /** Followed tick periods → how many follow each, with the instant their ticks are aligned to. */
  const followers = new Map<string, { period: number; anchor: number; count: number }>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  function upcoming(at: number): number[] {
    return deadlines().filter((d): d is number => typeof d === 'number' && d > at);
  }

  /** Look at the wall clock: move `now`, and `ruleNow` if a deadline lies between the two (either way: clocks get set back). */
  function wake(): void {
    const at = Date.now();
    const crossed = deadlines().some((d) => typeof d === 'number' && (d <= ruleNow.value) !== (d <= at));
    if (crossed) ruleNow.value = at;
    now.value = at;
    schedule(at);
  }

  function schedule(at: number): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped) return;
    let delay = Infinity;
    const pending = upcoming(at);
    for (const d of pending) delay = Math.min(delay, d - at);
    if (pending.length) delay = Math.min(delay, DEADLINE_HEARTBEAT_MS);
    for (const { period, anchor } of followers.values()) {
      const toTick = (((anchor - at) % period) + period) % period;
      delay = Math.min(delay, toTick || period);
    }
    if (delay !== Infinity) timer = setTimeout(wake, Math.min(Math.max(delay, 0), MAX_TIMEOUT_MS));
  }

  /**
   * Tick every `periodMs`, on instants `anchor` ± n × period (a countdown anchors on its end, so its
   * number steps exactly on time), until the returned function is called.
   */
  function follow(periodMs: number, anchor = 0): () => void {
    const key = `${periodMs}@${((anchor % periodMs) + periodMs) % periodMs}`;
    const entry = followers.get(key) ?? { period: periodMs, anchor, count: 0 };
    entry.count++;
    followers.set(key, entry);
    wake();
    let followed = true;
    return () => {
      if (!followed) return;
      followed = false;
      if (--entry.count === 0) followers.delete(key);
      schedule(now.value);
    };
  }

  /** The room changed: start over from the wall clock (followers stay: they belong to what is shown). */
  function reset(): void {
    const at = Date.now();
    now.value = at;
    ruleNow.value = at;
    schedule(at);
  }

  /** For the page's end (and tests): no timer left behind. */
  function stop(): void {
    stopped = true;
    schedule(now.value);
  }

  return {
    now: readonly(now),
    ruleNow: readonly(ruleNow),
    /** The deadlines changed (an event was applied): a new one may already have passed. */
    deadlinesChanged: wake,
    /** Look at the wall clock now, e.g. when the page becomes visible again. */
    wake,
    follow,
    reset,
    stop,
  };
}

export type RoomClock = ReturnType<typeof createRoomClock>;

/**
 * Every instant at which something in this room ends by itself, with no event: anyone's mute (the
 * muted tag and the moderators' Mute/Unmute offer), the phase countdown, and my slow-mode wait.
 */
export function roomDeadlines(state: RoomState | null, meId: string | null): number[] {
  if (!state) return [];
  const ends: number[] = [];
  for (const member of Object.values(state.members)) if (member.mutedUntil !== null) ends.push(member.mutedUntil);
  if (state.phase.endsAt !== null) ends.push(state.phase.endsAt);
  const me = meId ? state.members[meId] : undefined;
  const seconds = state.settings.slowModeSeconds;
  if (me && seconds && me.lastPostAt !== null && !isModerator(me)) ends.push(me.lastPostAt + seconds * 1000);
  return ends;
}
