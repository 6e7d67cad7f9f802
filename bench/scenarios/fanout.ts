import type { Generators } from '../lib/generators.js';
import { waitForQuiet } from '../lib/machine.js';
import type { Scenario, ScenarioContext } from '../lib/scenario.js';
import type { ServerOptions } from '../lib/servers.js';
import type { RunResults } from '../report/types.js';
import { catchUpPlan, churnPhase, reportChurnFailures } from './catchup.js';
import { Session, type Audience, type Phase } from './session.js';

export interface FanoutPlan {
  audience: Audience;
  phaseMs: number;
  /** An unreported phase first, so JIT warm-up and lazy initialisation are not charged to the first load. */
  warmupMs: number;
  warmupWritesPerSec: number;
  bodyBytes: number;
  reactionsPerPost: number;
  /** How long to wait for an idle machine before each session. */
  quietMs: number;
  /**
   * A phase during which other processes took more than `limit` of either core is run again once, after
   * waiting for quiet, while the run's budget lasts; the less disturbed of the two is kept.
   */
  noise: { limit: number; budget: { left: number } };
}

export interface LoadSpec {
  label: string;
  writesPerSec: number;
  bodyBytes?: number;
  durationMs?: number;
  reactionsPerPost?: number;
}

export interface SessionResult {
  server: string;
  roomId: string;
  phases: Phase[];
  delivery: Awaited<ReturnType<Session['close']>>;
  rssPerViewerKb: number;
}

export type RunPhase = (load: LoadSpec) => Promise<Phase>;

/**
 * A server kept up with an open-loop phase when its writes reached every viewer about as soon as the
 * schedule ended: the backlog a slower server builds shows up as a tail of more than 5 % of the phase.
 * Allowed on top: 100 ms, and one broadcast to everyone at a generous 30 µs per socket.
 */
export const keptUp = (phase: Phase, phaseMs: number) => phase.drained && phase.tailMs <= 100 + 0.05 * phaseMs + 0.03 * phase.viewers;

/** One fresh server and audience; `script` runs its phases one after another (each drains before the next). */
export async function runSession(
  gen: Generators,
  options: ServerOptions,
  plan: FanoutPlan,
  tag: string,
  script: (phase: RunPhase, session: Session) => Promise<void>,
  log: (line: string) => void = () => {},
): Promise<SessionResult> {
  await waitForQuiet(plan.quietMs);
  const session = await Session.open(gen, options, plan.audience, tag);
  const phases: Phase[] = [];
  const disturbance = (phase: Phase) => Math.max(phase.interference?.serverCore ?? 0, phase.interference?.generatorCore ?? 0);
  const run: RunPhase = async (load) => {
    const started = Date.now();
    const attempt = () => session.phase(load.label, {
      writesPerSec: load.writesPerSec,
      reactionsPerPost: load.reactionsPerPost ?? plan.reactionsPerPost,
      durationMs: load.durationMs ?? plan.phaseMs,
      bodyBytes: load.bodyBytes ?? plan.bodyBytes,
    });
    let phase = await attempt();
    if (disturbance(phase) > plan.noise.limit && plan.noise.budget.left > 0) {
      plan.noise.budget.left--;
      log(`  ${session.server.label} ${load.label}: other processes took ${(100 * disturbance(phase)).toFixed(0)} % of a core; once more`);
      await waitForQuiet(plan.quietMs);
      const again = await attempt();
      phase = disturbance(again) < disturbance(phase) ? again : phase;
      phase.rerunForNoise = true;
    }
    log(`  ${session.server.label} ${load.label}: ${load.writesPerSec.toFixed(1)} writes/s → ${phase.deliveriesPerSec.toFixed(0)} deliveries/s, p99 ${phase.latency.p99.toFixed(1)} ms, tail ${phase.tailMs.toFixed(0)} ms (${Date.now() - started} ms)`);
    phases.push(phase);
    return phase;
  };
  let delivery: SessionResult['delivery'];
  try {
    if (plan.warmupMs > 0) {
      await session.phase('warmup', { writesPerSec: plan.warmupWritesPerSec, reactionsPerPost: plan.reactionsPerPost, durationMs: plan.warmupMs, bodyBytes: plan.bodyBytes });
    }
    await script(run, session);
  } finally {
    delivery = await session.close();
  }
  return { server: session.server.label, roomId: session.roomId, phases, delivery, rssPerViewerKb: session.rssPerViewerKb };
}

/** Runs the loads in order. */
export const levels = (loads: LoadSpec[]) => async (run: RunPhase) => {
  for (const load of loads) await run(load);
};

/**
 * A short geometric ramp until the server stops keeping up; its capacity is the last rate it kept up with
 * (the ramp's start, should it fail even that). A failed step is tried once more, after waiting for a quiet
 * machine, before it counts: on a shared box one burst of someone else's work must not set every load level.
 */
export async function ramp(run: RunPhase, startWps: number, factor: number, steps: number, phaseMs: number, quietMs: number): Promise<number> {
  let capacity = startWps;
  for (let i = 0; i < steps; i++) {
    const writesPerSec = Number((startWps * factor ** i).toFixed(2));
    let phase = await run({ label: `ramp-${writesPerSec}`, writesPerSec, durationMs: phaseMs });
    if (!keptUp(phase, phaseMs)) {
      await waitForQuiet(quietMs);
      phase = await run({ label: `ramp-${writesPerSec}-again`, writesPerSec, durationMs: phaseMs });
    }
    if (!keptUp(phase, phaseMs)) break;
    capacity = writesPerSec;
  }
  return capacity;
}

/** The fan-out plan for an audience of this size, from the run's plan (also used by the redis and coalescing runs). */
export const fanoutPlan = ({ plan, noiseBudget }: ScenarioContext, viewers: number, ioViewers: number): FanoutPlan => ({
  noise: { limit: plan.noise.limit, budget: noiseBudget },
  audience: { viewers, ioViewers, posters: plan.fanout.posters }, phaseMs: plan.fanout.phaseMs, bodyBytes: 300,
  reactionsPerPost: plan.fanout.reactionsPerPost, quietMs: plan.quietMs,
  warmupMs: plan.fanout.warmupMs, warmupWritesPerSec: (0.25 * plan.fanout.rampStartDeliveries) / viewers,
});

const pct = (level: number) => `${Math.round(level * 100)}%`;

/**
 * Each audience size: app and baseline sessions alternating, the first baseline session starting with the
 * capacity ramp that sets every load level. With `catchUp.inFanout` the last app session of the first size
 * ends with the catch-up phase (saves a server start; the catch-up scenario then has nothing left to do).
 */
export const fanout: Scenario = {
  name: 'fanout',
  async run(ctx) {
    const { plan, gen, results, log, check } = ctx;
    const f = plan.fanout;
    for (const size of f.sizes) {
      const entry: RunResults['fanout'][number] = { ...size, capacity: { writesPerSec: NaN, deliveriesPerSec: NaN }, loads: [], sessions: [] };
      results.fanout.push(entry);
      const inSession: { catchUp: Awaited<ReturnType<typeof churnPhase>> | null } = { catchUp: null };
      for (let rep = 0; rep < f.reps; rep++) {
        // Alternate which goes first, so drift in the machine's background load falls on both alike.
        for (const kind of rep % 2 === 0 ? (['baseline', 'app'] as const) : (['app', 'baseline'] as const)) {
          log(`fan-out ${size.viewers}: ${kind}, run ${rep + 1} of ${f.reps}`);
          const session = await runSession(gen, { kind }, fanoutPlan(ctx, size.viewers, size.ioViewers), `fanout-${size.viewers}-${kind}-${rep + 1}`, async (run, session) => {
            if (entry.loads.length === 0) {
              const cap = await ramp(run, f.rampStartDeliveries / size.viewers, f.rampFactor, f.rampSteps, f.rampPhaseMs, plan.quietMs);
              entry.capacity = { writesPerSec: cap, deliveriesPerSec: cap * size.viewers };
              entry.loads = [
                ...f.levels.map((level) => ({ label: pct(level), writesPerSec: cap * level })),
                // Frame cost by body size: posts only, so every event carries the body.
                ...(size === f.sizes[0]
                  ? [{ label: 'posts 300B', writesPerSec: cap * 0.5, reactionsPerPost: 0 }, { label: 'posts 3KB', writesPerSec: cap * 0.5, bodyBytes: f.bigBodyBytes, reactionsPerPost: 0 }]
                  : []),
                { label: 'sat', writesPerSec: cap * f.saturation },
              ];
              log(`fan-out ${size.viewers}: baseline capacity ${cap.toFixed(1)} writes/s`);
            }
            await levels(entry.loads)(run);
            if (plan.catchUp.inFanout && ctx.runs('catchup') && kind === 'app' && rep === f.reps - 1 && size === f.sizes[0]) {
              log(`catch-up in the same session: ${plan.catchUp.cycles} cuts of ${plan.catchUp.fraction * 100} %`);
              inSession.catchUp = await churnPhase(gen, session, catchUpPlan(ctx));
            }
          }, log);
          if (inSession.catchUp && !results.catchUp) {
            results.catchUp = { ...inSession.catchUp, delivery: session.delivery };
            reportChurnFailures(ctx);
          }
          check(`fan-out ${size.viewers} ${kind} run ${rep + 1}`, session.delivery);
          entry.sessions.push({ ...session, rep, kind });
        }
      }
    }
  },
};
