import { deleteRoomKeys, REDIS_URL, redisUnreachable } from '../lib/redis.js';
import type { Scenario, ScenarioContext } from '../lib/scenario.js';
import type { Plan } from '../plans.js';
import { loadRows } from '../report/summary.js';
import type { FanoutProfile } from '../report/types.js';
import { levels, runSession, type FanoutPlan } from './fanout.js';

export interface ProfileSpec {
  name: string;
  /** The Redis store and adapter (REDIS_URL, default 127.0.0.1:6379) instead of the embedded store. */
  redis: boolean;
  coalesceMs: number;
  /** Loads as multiples of the baseline's capacity at each size; the one equal to the fan-out's saturation is labelled `sat`. */
  levels: (plan: Plan) => number[];
  /** Only these audience sizes of the fan-out scenario's (all when absent). */
  viewers?: number[];
}

/** The fan-out plan bench/run.ts uses, for one audience size. */
export function fanoutPlan(plan: Plan, viewers: number, ioViewers: number): FanoutPlan {
  const f = plan.fanout;
  return {
    noise: { limit: plan.noise.limit, budget: { left: Math.ceil(plan.noise.retries / 4) } },
    audience: { viewers, ioViewers, posters: f.posters },
    phaseMs: f.phaseMs,
    bodyBytes: 300,
    reactionsPerPost: f.reactionsPerPost,
    quietMs: plan.quietMs,
    warmupMs: f.warmupMs,
    warmupWritesPerSec: (0.25 * f.rampStartDeliveries) / viewers,
  };
}

const label = (plan: Plan, level: number, coalesced: boolean) =>
  coalesced ? `${level}x` : level === plan.fanout.saturation ? 'sat' : `${Math.round(level * 100)}%`;

/**
 * The baseline's deliveries/s at saturation for this audience, in this run: from the fan-out scenario when
 * it ran, else from a baseline session of this scenario's own (so a ratio never mixes two runs).
 */
async function baselineSaturation(ctx: ScenarioContext, viewers: number, ioViewers: number, capacityWps: number): Promise<number> {
  const size = ctx.results.fanout.find((s) => s.viewers === viewers);
  const fromFanout = size && loadRows(size).find((row) => row.label === 'sat')?.baseline.deliveriesPerSec;
  if (fromFanout && Number.isFinite(fromFanout)) return fromFanout;
  const measured = ctx.results.profiles?.find((profile) => profile.viewers === viewers && profile.capacityWps === capacityWps);
  if (measured) return measured.baselineSatDeliveriesPerSec;
  ctx.log(`${viewers} viewers: baseline at saturation, for the ratio`);
  const session = await runSession(ctx.gen, { kind: 'baseline' }, fanoutPlan(ctx.plan, viewers, ioViewers), `baseline-sat-${viewers}`,
    levels([{ label: 'sat', writesPerSec: capacityWps * ctx.plan.fanout.saturation }]), ctx.log);
  ctx.check(`baseline ${viewers} (for ${viewers}-viewer profiles)`, session.delivery);
  return session.phases[0]!.deliveriesPerSec;
}

/**
 * A fan-out profile at every audience size of the fan-out scenario (2,000 and 5,000 viewers in a full run):
 * one session per size, loads as multiples of the baseline's capacity at that size, results in
 * `results.profiles` beside the baseline's saturation figure they are compared with.
 */
export function fanoutProfile(spec: ProfileSpec): Scenario {
  return {
    name: spec.name,
    async run(ctx) {
      if (spec.redis) {
        const why = await redisUnreachable();
        if (why) {
          ctx.log(`${spec.name}: skipped, ${why}`);
          return;
        }
      }
      const profiles = (ctx.results.profiles ??= []);
      for (const { viewers, ioViewers } of ctx.plan.fanout.sizes) {
        if (spec.viewers && !spec.viewers.includes(viewers)) continue;
        const capacityWps = ctx.capacityAt(viewers);
        const baselineSatDeliveriesPerSec = await baselineSaturation(ctx, viewers, ioViewers, capacityWps);
        ctx.log(`${spec.name}: ${viewers} viewers${spec.coalesceMs ? `, COALESCE_MS=${spec.coalesceMs}` : ''}`);
        const loads = spec.levels(ctx.plan).map((level) => ({ label: label(ctx.plan, level, spec.coalesceMs > 0), writesPerSec: capacityWps * level }));
        const options = { kind: 'app' as const, coalesceMs: spec.coalesceMs, ...(spec.redis ? { redisUrl: REDIS_URL } : {}) };
        const session = await runSession(ctx.gen, options, fanoutPlan(ctx.plan, viewers, ioViewers), `${spec.name}-${viewers}`, levels(loads), ctx.log);
        if (spec.redis) await deleteRoomKeys([session.roomId]).catch((error) => ctx.log(`could not delete Redis keys: ${error}`));
        ctx.check(`${spec.name} ${viewers}`, session.delivery);
        profiles.push({ name: spec.name, viewers, coalesceMs: spec.coalesceMs, capacityWps, baselineSatDeliveriesPerSec, session } satisfies FanoutProfile);
      }
    },
  };
}
