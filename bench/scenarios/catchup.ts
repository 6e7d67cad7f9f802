import type { Generators } from '../lib/generators.js';
import { waitForQuiet } from '../lib/machine.js';
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
