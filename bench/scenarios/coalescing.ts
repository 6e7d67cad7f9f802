import type { Scenario } from '../lib/scenario.js';
import { fanoutPlan, levels, runSession } from './fanout.js';

/** The app with a coalescing window, at multiples of the baseline's capacity for that audience. */
export const coalescing: Scenario = {
  name: 'coalescing',
  async run(ctx) {
    const { plan, gen, results, log, check } = ctx;
    const c = plan.coalescing;
    log(`coalescing ${c.windowMs} ms, ${c.viewers} viewers`);
    const capacityWps = ctx.capacityAt(c.viewers);
    const coalesced = await runSession(gen, { kind: 'app', coalesceMs: c.windowMs }, fanoutPlan(ctx, c.viewers, 20), `coalesce-${c.windowMs}`,
      levels(c.levels.map((level) => ({ label: `${level}x`, writesPerSec: capacityWps * level }))), log);
    check('coalescing', coalesced.delivery);
    results.coalescing = { ...coalesced, windowMs: c.windowMs, capacityWps };
  },
};
