import type { Phase } from '../scenarios/session.js';
import { median } from '../lib/stats.js';
import type { FanoutSize, RunResults } from './types.js';

/** One load level of one audience size: medians over the repetitions, app beside baseline. */
export interface LoadRow {
  viewers: number;
  label: string;
  writesPerSec: number;
  app: PhaseMedians;
  baseline: PhaseMedians;
  /** Median over repetitions of app ÷ baseline within the same repetition (neighbours in time). */
  deliveriesRatio: number;
  p99Ratio: number;
}

export interface PhaseMedians {
  runs: number;
  deliveriesPerSec: number;
  framesPerSec: number;
  eventsPerFrame: number;
  p50: number;
  p99: number;
  p999: number;
  fidelityP99: number;
  postP99: number;
  usPerDelivery: number;
  usPerFrame: number;
  bytesPerDelivery: number;
  serverCpu: number;
  generatorCpu: number;
  loopDelayP99: number;
  probeP99: number;
  interference: number;
}

export function medians(phases: Phase[]): PhaseMedians {
  const m = (pick: (phase: Phase) => number | undefined | null) => median(phases.map((phase) => pick(phase) ?? NaN));
  return {
    runs: phases.length,
    deliveriesPerSec: m((p) => p.deliveriesPerSec),
    framesPerSec: m((p) => p.framesPerSec),
    eventsPerFrame: m((p) => p.eventsPerFrame),
    p50: m((p) => p.latency.p50),
    p99: m((p) => p.latency.p99),
    p999: m((p) => p.latency.p999),
    fidelityP99: m((p) => p.fidelityLatency.p99),
    postP99: m((p) => p.postLatency?.p99),
    usPerDelivery: m((p) => p.serverUsPerDelivery),
    usPerFrame: m((p) => p.serverUsPerFrame),
    bytesPerDelivery: m((p) => p.bytesPerDelivery),
    serverCpu: m((p) => p.serverCpu),
    generatorCpu: m((p) => p.generatorCpu),
    loopDelayP99: m((p) => p.loopDelay?.p99),
    probeP99: m((p) => p.probeRtt.p99),
    interference: m((p) => p.interference?.serverCore),
  };
}

function pairedRatio(size: FanoutSize, label: string, pick: (phase: Phase) => number): number {
  const reps = [...new Set(size.sessions.map((s) => s.rep))];
  const find = (rep: number, kind: string) => size.sessions.find((s) => s.rep === rep && s.kind === kind)?.phases.find((p) => p.label === label);
  return median(reps.map((rep) => {
    const app = find(rep, 'app');
    const base = find(rep, 'baseline');
    return app && base ? pick(app) / pick(base) : NaN;
  }));
}

export function loadRows(size: FanoutSize): LoadRow[] {
  return size.loads.map((load) => {
    const phasesOf = (kind: string) => size.sessions.filter((s) => s.kind === kind).flatMap((s) => s.phases.filter((p) => p.label === load.label));
    return {
      viewers: size.viewers,
      label: load.label,
      writesPerSec: load.writesPerSec,
      app: medians(phasesOf('app')),
      baseline: medians(phasesOf('baseline')),
      deliveriesRatio: pairedRatio(size, load.label, (p) => p.deliveriesPerSec),
      p99Ratio: pairedRatio(size, load.label, (p) => p.latency.p99),
    };
  });
}

export interface Goal {
  goal: string;
  target: string;
  measured: string;
  met: boolean | null;
}

const fmt = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

export function goals(results: RunResults): Goal[] {
  const out: Goal[] = [];
  for (const size of results.fanout) {
    const rows = loadRows(size);
    const sat = rows.find((row) => row.label === 'sat');
    const half = rows.find((row) => row.label === '50%');
    if (sat) out.push({ goal: `Fan-out deliveries/s at saturation, ${size.viewers} viewers`, target: '≥ 0.85× baseline', measured: `${fmt(sat.deliveriesRatio)}× (${fmt(sat.app.deliveriesPerSec, 0)} vs ${fmt(sat.baseline.deliveriesPerSec, 0)})`, met: sat.deliveriesRatio >= 0.85 });
    if (half) out.push({ goal: `p99 at 50 % load, ${size.viewers} viewers`, target: '≤ 1.2× baseline', measured: `${fmt(half.p99Ratio)}× (${fmt(half.app.p99, 1)} vs ${fmt(half.baseline.p99, 1)} ms)`, met: half.p99Ratio <= 1.2 });
  }
  if (results.coalescing) {
    const c = results.coalescing;
    const size = results.fanout.find((s) => s.viewers === c.phases[0]?.viewers) ?? results.fanout[0];
    const baseSat = size ? loadRows(size).find((row) => row.label === 'sat')?.baseline.deliveriesPerSec ?? NaN : NaN;
    const fast = c.phases.filter((p) => p.drained && p.latency.p99 < 100);
    const best = fast.length ? Math.max(...fast.map((p) => p.deliveriesPerSec)) : NaN;
    const top = Math.max(...c.phases.map((p) => p.deliveriesPerSec));
    out.push({
      goal: `Coalesced (${c.windowMs} ms) events/s with p99 < 100 ms, ${c.phases[0]?.viewers ?? '?'} viewers`,
      target: '≥ 3× baseline saturation',
      measured: `${fmt(best / baseSat)}× (${fmt(best, 0)} vs ${fmt(baseSat, 0)}; highest at any p99: ${fmt(top / baseSat)}×)`,
      met: best / baseSat >= 3,
    });
  }
  out.push(...profileGoals(results));
  for (const server of results.roomWrites?.servers ?? []) {
    if (server.server === 'baseline') continue;
    const drained = server.phases.filter((p) => p.drained);
    const best = drained.length ? Math.max(...drained.map((p) => p.ackedWritesPerSec)) : NaN;
    const at = drained.find((p) => p.ackedWritesPerSec === best);
    out.push({
      goal: `Acknowledged writes/s into one room (${results.roomWrites!.writers} writers), ${server.server}`,
      target: '≥ 2,000',
      measured: `${fmt(best, 0)}/s (offered ${fmt(at?.offeredWritesPerSec ?? NaN, 0)}/s, ack p50 / p99 ${fmt(at?.ack.p50 ?? NaN, 1)} / ${fmt(at?.ack.p99 ?? NaN, 1)} ms)`,
      met: best >= 2000,
    });
  }
  const join = results.join.find((j) => j.server === 'app');
  if (join) {
    out.push({ goal: `Join burst (${join.joined} viewers, ${join.seededPosts} posts)`, target: '≥ 1,000 joins/s per core', measured: `${fmt(join.joinsPerCoreSecond, 0)} per core-second (${fmt(join.joinsPerSec, 0)}/s wall)`, met: join.joinsPerCoreSecond >= 1000 });
    out.push({ goal: 'Join connected-to-snapshot p99', target: '≤ 250 ms', measured: `${fmt(join.connectToSnapshot.p99, 0)} ms (open → snapshot, handshake included: ${fmt(join.openToSnapshot.p99, 0)} ms)`, met: join.connectToSnapshot.p99 <= 250 });
  }
  if (results.catchUp) {
    const { delivery, churn } = results.catchUp;
    out.push({ goal: 'Catch-up delivery', target: '100 %, no gaps, no duplicates', measured: `${fmt(delivery.delivered * 100, 3)} %, ${delivery.missing} missing, ${delivery.duplicates} duplicates`, met: delivery.perfect === delivery.viewers });
    out.push({ goal: 'Catch-up (reconnect → caught up) p99', target: '≤ 1 s', measured: `${fmt(churn?.catchUp.p99 ?? NaN, 0)} ms over ${churn?.cuts ?? 0} rejoins`, met: (churn?.catchUp.p99 ?? Infinity) <= 1000 });
  }
  const memory = results.memory.find((m) => m.server === 'app');
  if (memory) out.push({ goal: `RSS per idle connection (${memory.connections})`, target: '≤ 20 KB', measured: `${fmt(memory.kbPerConnection, 1)} KB`, met: memory.kbPerConnection <= 20 });
  const settled = memory?.kbPerConnectionSettled;
  if (memory && settled !== undefined) out.push({ goal: `RSS per idle connection, settled (${memory.connections})`, target: '≤ 12 KB', measured: `${fmt(settled, 1)} KB`, met: settled <= 12 });
  return out;
}

/**
 * The fan-out profiles (Redis, Redis coalesced) against the baseline's saturation in the same run, beside
 * the embedded store's figure where this run has one.
 */
function profileGoals(results: RunResults): Goal[] {
  const out: Goal[] = [];
  for (const profile of results.profiles ?? []) {
    const base = profile.baselineSatDeliveriesPerSec;
    const phases = profile.session.phases;
    const embeddedSize = results.fanout.find((size) => size.viewers === profile.viewers);
    if (profile.coalesceMs === 0) {
      const sat = phases.find((p) => p.label === 'sat');
      const embedded = embeddedSize ? loadRows(embeddedSize).find((row) => row.label === 'sat')?.deliveriesRatio : undefined;
      const ratio = (sat?.deliveriesPerSec ?? NaN) / base;
      out.push({
        goal: `${profile.name}: fan-out deliveries/s at saturation, ${profile.viewers} viewers`,
        target: '≥ 1.4× baseline (within 10 % of embedded)',
        measured: `${fmt(ratio)}× (${fmt(sat?.deliveriesPerSec ?? NaN, 0)} vs ${fmt(base, 0)}, p99 ${fmt(sat?.latency.p99 ?? NaN, 0)} ms)${embedded ? `; embedded ${fmt(embedded)}×` : ''}`,
        met: ratio >= 1.4,
      });
      continue;
    }
    const fast = phases.filter((p) => p.drained && p.latency.p99 < 100);
    const best = fast.length ? Math.max(...fast.map((p) => p.deliveriesPerSec)) : NaN;
    // The embedded store's figure at this size: the coalescing scenario's, or the embedded-coalesce profile's.
    const embeddedPhases = results.coalescing?.phases[0]?.viewers === profile.viewers
      ? results.coalescing.phases
      : results.profiles?.find((other) => other.name === 'embedded-coalesce' && other.viewers === profile.viewers)?.session.phases;
    const embeddedFast = embeddedPhases?.filter((p) => p.drained && p.latency.p99 < 100) ?? [];
    const embedded = profile.name !== 'embedded-coalesce' && embeddedPhases
      ? (embeddedFast.length ? Math.max(...embeddedFast.map((p) => p.deliveriesPerSec)) : NaN) / base : undefined;
    out.push({
      goal: `${profile.name}: coalesced (${profile.coalesceMs} ms) deliveries/s with p99 < 100 ms, ${profile.viewers} viewers`,
      target: embedded === undefined ? '≥ 4× baseline saturation' : '≥ 4× baseline saturation (within 10 % of embedded)',
      measured: `${fmt(best / base)}× (${fmt(best, 0)} vs ${fmt(base, 0)})${embedded !== undefined ? `; embedded ${fmt(embedded)}×` : ''}`,
      met: best / base >= 4,
    });
  }
  return out;
}
