import type { Scenario } from '../lib/scenario.js';
import { fanoutProfile } from './fanout-profile.js';

/** The Redis store and adapter, one node, default settings, at every fan-out size: the fan-out scenario's loads. */
export const scenario: Scenario = fanoutProfile({
  name: 'redis',
  redis: true,
  coalesceMs: 0,
  levels: (plan) => (plan.mode === 'quick' ? [0.5, plan.fanout.saturation] : [...plan.fanout.levels, plan.fanout.saturation]),
});
