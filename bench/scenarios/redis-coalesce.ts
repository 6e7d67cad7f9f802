import type { Scenario } from '../lib/scenario.js';
import { fanoutProfile } from './fanout-profile.js';

/** The Redis store and adapter with COALESCE_MS=20 at every fan-out size, at the embedded coalescing run's loads. */
export const scenario: Scenario = fanoutProfile({
  name: 'redis-coalesce',
  redis: true,
  coalesceMs: 20,
  levels: (plan) => plan.coalescing.levels,
});
