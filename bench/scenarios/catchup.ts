import type { Generators } from '../lib/generators.js';
import { waitForQuiet } from '../lib/machine.js';
import type { Scenario, ScenarioContext } from '../lib/scenario.js';
import { Session, type Audience } from './session.js';

export interface CatchUpPlan {
  audience: Audience;
  writesPerSec: number;
  reactionsPerPost: number;
  bodyBytes: number;
  /** Share of viewers cut each period, how often, for how long, how many times. */
  fraction: number;
  periodMs: number;
  offMs: number;
  cycles: number;
  quietMs: number;
}

/**
 * Steady writes while slices of the audience drop off and come back: each returning viewer rejoins with
 * its token and syncs from its last seq. The session's delivery check (every viewer, every event, once)
 * is what makes it a pass.
 */
export async function churnPhase(gen: Generators, session: Session, plan: CatchUpPlan) {
  const { slice } = await gen.viewers.call('churn', { fraction: plan.fraction, periodMs: plan.periodMs, offMs: plan.offMs, cycles: plan.cycles });
  const phase = await session.phase('churn', {
    writesPerSec: plan.writesPerSec,
    reactionsPerPost: plan.reactionsPerPost,
    durationMs: plan.periodMs * plan.cycles,
    bodyBytes: plan.bodyBytes,
  }, 60_000);
  return { slice, phase, churn: await gen.viewers.call('churnResult') };
}

/** The catch-up scenario in a session of its own. */
export async function runCatchUp(gen: Generators, plan: CatchUpPlan) {
  await waitForQuiet(plan.quietMs);
  const session = await Session.open(gen, { kind: 'app' }, plan.audience, 'catchup');
  let result: Awaited<ReturnType<typeof churnPhase>>;
  try {
    result = await churnPhase(gen, session, plan);
  } catch (error) {
    await session.close().catch(() => {});
    throw error;
  }
  return { ...result, delivery: await session.close() };
}

/** The catch-up plan from the run's plan: writes at `catchUp.load` of the baseline's capacity for that audience. */
export function catchUpPlan({ plan, capacityAt }: ScenarioContext): CatchUpPlan {
  const cu = plan.catchUp;
  return {
    audience: { viewers: cu.viewers, ioViewers: cu.ioViewers, posters: Math.min(10, plan.fanout.posters) },
    writesPerSec: cu.load * capacityAt(cu.viewers), reactionsPerPost: plan.fanout.reactionsPerPost, bodyBytes: 300,
    fraction: cu.fraction, periodMs: cu.periodMs, offMs: cu.offMs, cycles: cu.cycles, quietMs: plan.quietMs,
  };
}

export function reportChurnFailures({ results, log }: ScenarioContext): void {
  if (results.catchUp?.churn && results.catchUp.churn.failures > 0) log(`catch-up: ${results.catchUp.churn.failures} rejoin attempts failed and were retried`);
}

/** Its own session, unless the fan-out scenario already ran it as its last phase (`catchUp.inFanout`). */
export const catchUp: Scenario = {
  name: 'catchup',
  async run(ctx) {
    if (ctx.results.catchUp) return;
    const cu = ctx.plan.catchUp;
    ctx.log(`catch-up: ${cu.viewers} viewers, ${cu.cycles} cuts of ${cu.fraction * 100} %`);
    ctx.results.catchUp = await runCatchUp(ctx.gen, catchUpPlan(ctx));
    ctx.check('catch-up', ctx.results.catchUp.delivery);
    reportChurnFailures(ctx);
  },
};
