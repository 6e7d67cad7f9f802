import type { Scenario } from '../lib/scenario.js';
import { fanoutProfile } from './fanout-profile.js';

/**
 * The embedded store with COALESCE_MS=20 at the audience sizes the coalescing scenario does not run (5,000
 * viewers in a full run): the figure the Redis coalesced profile is held to at that size.
 */
export const scenario: Scenario = fanoutProfile({
  name: 'embedded-coalesce',
  redis: false,
  coalesceMs: 20,
  levels: (plan) => plan.coalescing.levels,
  viewers: [5_000],
});
