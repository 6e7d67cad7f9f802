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
import type { Scenario, ScenarioContext } from './lib/scenario.js';
import { ServerUnderTest } from './lib/servers.js';
import { FULL, QUICK } from './plans.js';
import { markdown } from './report/markdown.js';
import { goals } from './report/summary.js';
import { latencySvg } from './report/svg.js';
import type { RunResults } from './report/types.js';
import { catchUp } from './scenarios/catchup.js';
import { coalescing } from './scenarios/coalescing.js';
import { crowd } from './scenarios/crowd.js';
import { fanout } from './scenarios/fanout.js';
import { join } from './scenarios/join.js';
import { memory } from './scenarios/memory.js';
import { scenario as redisFanout } from './scenarios/redis-fanout.js';
import { scenario as redisCoalesce } from './scenarios/redis-coalesce.js';
import { scenario as embeddedCoalesce } from './scenarios/embedded-coalesce.js';
import { scenario as roomWrites } from './scenarios/room-writes.js';
import { nodes } from './scenarios/nodes.js';
import { scenario as history } from './scenarios/history.js';
import { TMP_DIR } from './scenarios/session.js';

/**
 * Every scenario, in the order a run takes them; one line registers one. Fan-out comes first: it measures
 * the baseline capacity the later ones load against. A new one (room-writes, history, nodes, redis
 * profiles) goes in as its own line here.
 */
const SCENARIOS: Scenario[] = [
  fanout,
  redisFanout,
  coalescing,
  embeddedCoalesce,
  redisCoalesce,
  roomWrites,
  join,
  catchUp,
  memory,
  nodes,
  history,
  crowd,
];

const plan = process.argv.includes('--quick') ? QUICK : FULL;
/** `--only=join,catchup`: run just those scenarios (names from SCENARIOS); written to partial.*. */
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
  nodes: null,
  crowd: null,
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

const unknown = only?.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name)) ?? [];
if (unknown.length) {
  console.error(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`);
  process.exit(2);
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

const context: ScenarioContext = {
  plan, gen, results, log, check, runs,
  noiseBudget: { left: plan.noise.retries },
  /** The baseline's capacity from this run's fan-out, or (with `--only` and no fan-out) from the last full run's. */
  capacityAt(viewers) {
    const fanoutSizes = results.fanout.length ? results.fanout : (JSON.parse(readFileSync('bench/results/latest.json', 'utf8')) as RunResults).fanout;
    return (fanoutSizes.find((s) => s.viewers === viewers) ?? fanoutSizes[0]!).capacity.writesPerSec;
  },
};

try {
  for (const scenario of SCENARIOS) if (runs(scenario.name)) await scenario.run(context);
} catch (error) {
  results.failures.push(`aborted: ${(error as Error).stack ?? error}`);
  results.failures.push(...ServerUnderTest.crashes.map((crash) => `server crashed: ${crash}`));
} finally {
  gen.stop();
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
