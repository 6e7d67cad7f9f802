import { ref } from 'vue';

/**
 * The time the room store asks the permission rule at. Mutes and slow-mode waits end by themselves,
 * with no event, so `allowed()` must be asked again at that moment: the moderation store moves this
 * clock when one of mine ends. It moves only then (not every second), so the thread does not re-render
 * on every tick of a countdown.
 */
export const ruleClock = ref(Date.now());

/** Now, for the rule; reading it inside a computed makes that computed follow the clock. */
export function ruleNow(): number {
  return Math.max(ruleClock.value, Date.now());
}
