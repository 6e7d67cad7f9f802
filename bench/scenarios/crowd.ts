import { execFileSync } from 'node:child_process';
import type { Scenario } from '../lib/scenario.js';
import type { RunResults } from '../report/types.js';
import { fanoutPlan, levels, ramp, runSession, type SessionResult } from './fanout.js';

export interface CrowdResult {
  viewers: number;
  /** Set when the audience was cut below the plan's: each process may open only so many files. */
  cappedBy?: string;
  /** The baseline's capacity for this audience, from the ramp at the start of its session (writes/s). */
  capacityWps: number;
  level: number;
  baseline: SessionResult;
  app: SessionResult;
}

/**
 * One node, a big audience (plan.crowd: 20,000 viewers in the full run): the baseline ramps to its capacity
 * for this audience, then both servers take `level` of it, so the app's p99 stands beside the baseline's at
 * the same load, in the same run. Full run only.
 */
export const crowd: Scenario = {
  name: 'crowd',
  async run(ctx) {
    const { plan, gen, results, log, check } = ctx;
    if (!plan.crowd) return;
    const { ioViewers, level } = plan.crowd;
    const fileLimit = openFileLimit();
    // The server and the viewers' process each hold one descriptor per viewer, plus a few hundred of their own.
    const viewers = Math.min(plan.crowd.viewers, fileLimit - 500);
    const cappedBy = viewers < plan.crowd.viewers ? `open-file limit ${fileLimit} per process (ulimit -n)` : undefined;
    if (cappedBy) log(`crowd: ${viewers} viewers instead of ${plan.crowd.viewers}: ${cappedBy}`);
    const f = plan.fanout;
    const load = (capacityWps: number) => ({ label: `${Math.round(level * 100)}%`, writesPerSec: capacityWps * level, durationMs: plan.crowd!.phaseMs });
    let capacityWps = NaN;
    log(`crowd: baseline, ${viewers} viewers (ramp, then ${Math.round(level * 100)} %)`);
    const baseline = await runSession(gen, { kind: 'baseline' }, fanoutPlan(ctx, viewers, ioViewers), `crowd-${viewers}-baseline`, async (run) => {
      capacityWps = await ramp(run, f.rampStartDeliveries / viewers, f.rampFactor, f.rampSteps, plan.crowd!.rampPhaseMs, plan.quietMs);
      log(`crowd: baseline capacity ${capacityWps.toFixed(2)} writes/s`);
      await levels([load(capacityWps)])(run);
    }, log);
    check(`crowd ${viewers} baseline`, baseline.delivery);
    log(`crowd: app, ${viewers} viewers`);
    const app = await runSession(gen, { kind: 'app' }, fanoutPlan(ctx, viewers, ioViewers), `crowd-${viewers}-app`, levels([load(capacityWps)]), log);
    check(`crowd ${viewers} app`, app.delivery);
    results.crowd = { viewers, cappedBy, capacityWps, level, baseline, app } satisfies NonNullable<RunResults['crowd']>;
  },
};

/** RLIMIT_NOFILE of this process (the servers and generators inherit it); Infinity when unlimited or unknown. */
function openFileLimit(): number {
  try {
    const limit = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return limit === 'unlimited' ? Infinity : Number(limit) || Infinity;
  } catch {
    return Infinity;
  }
}
