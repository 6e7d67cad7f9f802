/**
 * `npm run bench [-- --quick]`: every scenario against the real server (a child process) and the bare
 * Socket.IO baseline, summaries to bench/results/{latest|quick}.{json,md} (+ latency.svg for a full run),
 * raw latency samples to bench/results/tmp/. Exits non-zero when any viewer missed an event or got one
 * twice, or a scenario could not run; timing goals are reported, never asserted.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { startGenerators } from './lib/generators.js';
import { pinning, pinSelf } from './lib/pinning.js';
import { ServerUnderTest } from './lib/servers.js';
import { deleteRoomKeys, REDIS_URL, redisUnreachable } from './lib/redis.js';
import { FULL, QUICK } from './plans.js';
import { markdown } from './report/markdown.js';
import { goals } from './report/summary.js';
import { latencySvg } from './report/svg.js';
import type { RunResults } from './report/types.js';
import { churnPhase, runCatchUp, type CatchUpPlan } from './scenarios/catchup.js';
import { levels, ramp, runSession, type FanoutPlan } from './scenarios/fanout.js';
import { runJoin } from './scenarios/join.js';
import { runMemory } from './scenarios/memory.js';
import { TMP_DIR } from './scenarios/session.js';

const plan = process.argv.includes('--quick') ? QUICK : FULL;
/** `--only=join,catchup`: run just those scenarios (fanout, redis, coalescing, join, catchup, memory); written to partial.*. */
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const runs = (scenario: string) => !only || only.includes(scenario);
const started = Date.now();
pinSelf();
rmSync(TMP_DIR, { recursive: true, force: true });
mkdirSync(TMP_DIR, { recursive: true });
const log = (line: string) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

/** Which server was measured: the commit, and server/shared files that differed from it (others may be editing). */
function revision() {
  const git = (...args: string[]) => { try { return execFileSync('git', args, { encoding: 'utf8' }).trim(); } catch { return ''; } };
  return { head: git('rev-parse', '--short', 'HEAD'), uncommitted: git('status', '--porcelain', '--', 'server', 'shared').split('\n').filter(Boolean) };
}

const results: RunResults = {
  meta: { mode: plan.mode, revisionAtStart: revision(), revisionAtEnd: null, startedAt: new Date(started).toISOString(), durationS: 0, node: process.version, cpus: cpus().length, pinning: pinning.why, loadAverageAtStart: loadavg() },
  fanout: [],
  redis: null,
  coalescing: null,
  join: [],
  catchUp: null,
  memory: [],
  failures: [],
};

/** Delivery below 100 % or any duplicate fails the run. */
function check(what: string, d: { viewers: number; perfect: number; duplicates: number; missing: number; examples: string[] }): void {
  if (d.perfect === d.viewers && d.duplicates === 0) return;
  results.failures.push(`${what}: ${d.viewers - d.perfect} of ${d.viewers} viewers incomplete, ${d.duplicates} duplicates, ${d.missing} missing. ${d.examples.join('; ')}`);
}

const gen = startGenerators();
// Ctrl-C or a CI timeout must not leave servers or thousands of sockets behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const server of ServerUnderTest.live) server.kill();
    gen.stop();
    process.exit(130);
  });
}
const redisRooms: string[] = [];
const { fanout: f } = plan;
const noiseBudget = { left: plan.noise.retries };
const planFor = (viewers: number, ioViewers: number): FanoutPlan => ({
  noise: { limit: plan.noise.limit, budget: noiseBudget },
  audience: { viewers, ioViewers, posters: f.posters }, phaseMs: f.phaseMs, bodyBytes: 300, reactionsPerPost: f.reactionsPerPost, quietMs: plan.quietMs,
  warmupMs: f.warmupMs, warmupWritesPerSec: (0.25 * f.rampStartDeliveries) / viewers,
});
const pct = (level: number) => `${Math.round(level * 100)}%`;
const cu = plan.catchUp;
/** The baseline's capacity from this run's fan-out, or (with `--only` and no fan-out) from the last full run's. */
const capacityAt = (viewers: number) => {
  const fanout = results.fanout.length ? results.fanout : (JSON.parse(readFileSync('bench/results/latest.json', 'utf8')) as RunResults).fanout;
  return (fanout.find((s) => s.viewers === viewers) ?? fanout[0]!).capacity.writesPerSec;
};
const catchUpPlan = (): CatchUpPlan => ({
  audience: { viewers: cu.viewers, ioViewers: cu.ioViewers, posters: Math.min(10, f.posters) },
  writesPerSec: cu.load * capacityAt(cu.viewers), reactionsPerPost: f.reactionsPerPost, bodyBytes: 300,
  fraction: cu.fraction, periodMs: cu.periodMs, offMs: cu.offMs, cycles: cu.cycles, quietMs: plan.quietMs,
});
/** Set by the quick run's app session, which ends with the catch-up phase. */
const inFanout: { catchUp: Awaited<ReturnType<typeof churnPhase>> | null } = { catchUp: null };

try {
  for (const size of runs('fanout') ? f.sizes : []) {
    const entry: RunResults['fanout'][number] = { ...size, capacity: { writesPerSec: NaN, deliveriesPerSec: NaN }, loads: [], sessions: [] };
    results.fanout.push(entry);
    for (let rep = 0; rep < f.reps; rep++) {
      // Alternate which goes first, so drift in the machine's background load falls on both alike. The first
      // baseline session starts with the capacity ramp that sets every load level.
      for (const kind of rep % 2 === 0 ? (['baseline', 'app'] as const) : (['app', 'baseline'] as const)) {
        log(`fan-out ${size.viewers}: ${kind}, run ${rep + 1} of ${f.reps}`);
        const session = await runSession(gen, { kind }, planFor(size.viewers, size.ioViewers), `fanout-${size.viewers}-${kind}-${rep + 1}`, async (run, session) => {
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
          if (plan.catchUp.inFanout && kind === 'app' && rep === f.reps - 1 && size === f.sizes[0]) {
            log(`catch-up in the same session: ${plan.catchUp.cycles} cuts of ${plan.catchUp.fraction * 100} %`);
            inFanout.catchUp = await churnPhase(gen, session, catchUpPlan());
          }
        }, log);
        if (inFanout.catchUp && !results.catchUp) results.catchUp = { ...inFanout.catchUp, delivery: session.delivery };
        check(`fan-out ${size.viewers} ${kind} run ${rep + 1}`, session.delivery);
        entry.sessions.push({ ...session, rep, kind });
      }
    }
  }

  if (plan.redis && runs('redis')) {
    const why = await redisUnreachable();
    if (why) results.redis = { skipped: why };
    else {
      log(`app with Redis (${REDIS_URL}), ${plan.redis.viewers} viewers`);
      const cap = capacityAt(plan.redis.viewers);
      const loads = plan.redis.levels.map((level) => ({ label: level === f.saturation ? 'sat' : pct(level), writesPerSec: cap * level }));
      const session = await runSession(gen, { kind: 'app', redisUrl: REDIS_URL }, planFor(plan.redis.viewers, 20), `redis-${plan.redis.viewers}`, levels(loads), log);
      redisRooms.push(session.roomId);
      check('app+redis', session.delivery);
      results.redis = session;
    }
  }

  const c = plan.coalescing;
  if (runs('coalescing')) {
  log(`coalescing ${c.windowMs} ms, ${c.viewers} viewers`);
  const capC = capacityAt(c.viewers);
  const coalesced = await runSession(gen, { kind: 'app', coalesceMs: c.windowMs }, planFor(c.viewers, 20), `coalesce-${c.windowMs}`,
    levels(c.levels.map((level) => ({ label: `${level}x`, writesPerSec: capC * level }))), log);
  check('coalescing', coalesced.delivery);
  results.coalescing = { ...coalesced, windowMs: c.windowMs, capacityWps: capC };
  }

  for (const kind of !runs('join') ? [] : plan.join.baseline ? (['app', 'baseline'] as const) : (['app'] as const)) {
    log(`join burst: ${kind}, ${plan.join.viewers} viewers${kind === 'app' ? `, ${plan.join.seedPosts} posts` : ''}`);
    const join = await runJoin(gen, kind, { ...plan.join, seeders: 10, quietMs: plan.quietMs });
    if (join.failed > 0) results.failures.push(`join burst (${kind}): ${join.failed} joins failed`);
    results.join.push(join);
  }

  if (runs('catchup') && (!cu.inFanout || !runs('fanout'))) {
    log(`catch-up: ${cu.viewers} viewers, ${cu.cycles} cuts of ${cu.fraction * 100} %`);
    results.catchUp = await runCatchUp(gen, catchUpPlan());
    check('catch-up', results.catchUp.delivery);
  }
  if (results.catchUp?.churn && results.catchUp.churn.failures > 0) log(`catch-up: ${results.catchUp.churn.failures} rejoin attempts failed and were retried`);

  if (plan.memory && runs('memory')) {
    for (const kind of ['app', 'baseline'] as const) {
      log(`memory: ${kind}, ${plan.memory.connections} idle connections`);
      results.memory.push(await runMemory(gen, kind, plan.memory.connections, plan.quietMs));
    }
  }
} catch (error) {
  results.failures.push(`aborted: ${(error as Error).stack ?? error}`);
  results.failures.push(...ServerUnderTest.crashes.map((crash) => `server crashed: ${crash}`));
} finally {
  gen.stop();
  if (redisRooms.length) await deleteRoomKeys(redisRooms).catch((error) => log(`could not delete Redis keys: ${error}`));
}

results.meta.durationS = (Date.now() - started) / 1000;
results.meta.revisionAtEnd = revision();
const out = only ? 'partial' : plan.mode === 'full' ? 'latest' : 'quick';
const md = markdown(results);
writeFileSync(`bench/results/${out}.json`, `${JSON.stringify({ ...results, goals: goals(results) }, null, 1)}\n`);
writeFileSync(`bench/results/${out}.md`, md);
if (plan.mode === 'full' && !only) writeFileSync('bench/results/latency.svg', latencySvg(results));
console.log(md);
log(`done in ${results.meta.durationS.toFixed(0)} s: ${results.failures.length ? `${results.failures.length} failure(s)` : 'all delivery checks passed'}`);
process.exit(results.failures.length ? 1 : 0);
