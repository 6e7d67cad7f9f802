import { median } from '../lib/stats.js';
import type { Phase } from '../scenarios/session.js';
import { crowdSection } from './crowd.js';
import { nodesSection } from './nodes.js';
import { goals, loadRows, medians, type PhaseMedians } from './summary.js';
import type { HistoryResult, RunResults, StartFigures } from './types.js';
import { n, table } from './cells.js';

const lat = (m: { p50: number; p99: number; p999: number }) => `${n(m.p50, 1)} / ${n(m.p99, 1)} / ${n(m.p999, 1)}`;

function phaseRow(label: string, m: PhaseMedians): string[] {
  return [label, n(m.deliveriesPerSec), lat(m), n(m.usPerDelivery, 1), n(m.eventsPerFrame, 2), n(m.probeP99, 1), n(m.loopDelayP99, 1), `${n(m.serverCpu * 100)} %`, `${n(m.generatorCpu * 100)} %`, `${n(m.interference * 100)} %`];
}

export function markdown(results: RunResults): string {
  const { meta } = results;
  const out: string[] = [];
  out.push(`# Debate-room benchmark (${meta.mode})`, '');
  out.push(`${meta.startedAt}, ${Math.round(meta.durationS)} s. Node ${meta.node}, ${meta.cpus} CPUs, ${meta.pinning}; load average at start ${meta.loadAverageAtStart.map((v) => v.toFixed(2)).join(' ')}.`);
  const rev = (r: { head: string; uncommitted: string[] } | null | undefined) => (r ? `${r.head}${r.uncommitted.length ? ` + ${r.uncommitted.length} uncommitted server/shared file(s)` : ''}` : '?');
  if (meta.revisionAtStart) out.push(`Server measured: ${rev(meta.revisionAtStart)} at start, ${rev(meta.revisionAtEnd)} at end.`);
  out.push('Latency is write-to-viewer for every event (posts and reactions): the viewer\'s receive time minus the write\'s intended (open-loop) send time, on one host clock; "posts p99" uses only the send time each post body carries. Deliveries are events × viewers. CPU-µs are the server process\'s user+system time. A broadcast writes the frame to each socket in join order, so within one frame the last viewer hears it (viewers × the per-socket cost) after the first: p99 across viewers can be no lower than one whole broadcast. "interference" is CPU other processes used on the server\'s core during the phase (this machine may be shared).', '');
  out.push('## Goals', '', table(['Goal', 'Target', 'Measured', 'Met'], goals(results).map((g) => [g.goal, g.target, g.measured, g.met === null ? '–' : g.met ? 'yes' : '**no**'])), '');

  for (const size of results.fanout) {
    out.push(`## Fan-out, ${n(size.viewers)} viewers (${size.ioViewers} of them socket.io-client), medians of ${Math.max(1, ...size.sessions.map((s) => s.rep + 1))} alternating runs`, '');
    out.push(`Baseline capacity from the ramp: ${n(size.capacity.writesPerSec, 1)} writes/s (≈ ${n(size.capacity.deliveriesPerSec)} deliveries/s). Writes are posts plus 10 reactions per post; "sat" offers ${n(size.loads.at(-1)?.writesPerSec, 1)} writes/s.`, '');
    const rows = loadRows(size);
    const pct = (value: number) => `${n(value * 100)} %`;
    out.push('Throughput and cost:', '', table(
      ['Load', 'writes/s', 'deliveries/s app', 'baseline', 'ratio', 'events/frame app', 'CPU-µs/delivery app', 'baseline', 'server CPU app / base', 'generator CPU app / base', 'interference app / base'],
      rows.map((row) => [
        row.label, n(row.writesPerSec, 1), n(row.app.deliveriesPerSec), n(row.baseline.deliveriesPerSec), n(row.deliveriesRatio, 2), n(row.app.eventsPerFrame, 2),
        n(row.app.usPerDelivery, 1), n(row.baseline.usPerDelivery, 1), `${pct(row.app.serverCpu)} / ${pct(row.baseline.serverCpu)}`,
        `${pct(row.app.generatorCpu)} / ${pct(row.baseline.generatorCpu)}`, `${pct(row.app.interference)} / ${pct(row.baseline.interference)}`,
      ]),
    ), '');
    out.push('Latency (ms):', '', table(
      ['Load', 'p50 / p99 / p99.9 app', 'baseline', 'p99 ratio', 'posts p99 app / base', 'socket.io-client p99 app / base', 'ack probe p99 app / base', 'loop delay p99 app / base'],
      rows.map((row) => [
        row.label, lat(row.app), lat(row.baseline), n(row.p99Ratio, 2), `${n(row.app.postP99, 1)} / ${n(row.baseline.postP99, 1)}`,
        `${n(row.app.fidelityP99, 1)} / ${n(row.baseline.fidelityP99, 1)}`, `${n(row.app.probeP99, 1)} / ${n(row.baseline.probeP99, 1)}`, `${n(row.app.loopDelayP99, 1)} / ${n(row.baseline.loopDelayP99, 1)}`,
      ]),
    ), '');
    const big = rows.find((row) => row.label === 'posts 3KB');
    const small = rows.find((row) => row.label === 'posts 300B');
    if (big && small) {
      out.push(`### Frame cost, 300 B vs 3 KB bodies (posts only at ${n(small.writesPerSec, 1)} posts/s, ${n(size.viewers)} viewers)`, '');
      out.push(table(['Body', 'Server', 'CPU-µs/delivery', 'CPU-µs/frame', 'bytes/delivery', 'p99 ms'], [
        ['300 B', 'app', n(small.app.usPerDelivery, 1), n(small.app.usPerFrame, 1), n(small.app.bytesPerDelivery), n(small.app.p99, 1)],
        ['300 B', 'baseline', n(small.baseline.usPerDelivery, 1), n(small.baseline.usPerFrame, 1), n(small.baseline.bytesPerDelivery), n(small.baseline.p99, 1)],
        ['3 KB', 'app', n(big.app.usPerDelivery, 1), n(big.app.usPerFrame, 1), n(big.app.bytesPerDelivery), n(big.app.p99, 1)],
        ['3 KB', 'baseline', n(big.baseline.usPerDelivery, 1), n(big.baseline.usPerFrame, 1), n(big.baseline.bytesPerDelivery), n(big.baseline.p99, 1)],
      ]), '');
    }
  }

  const phaseTable = (phases: Phase[]) => table(['Phase', 'deliveries/s', 'p50 / p99 / p99.9 ms', 'CPU-µs/delivery', 'events/frame', 'ack probe p99 ms', 'loop delay p99 ms', 'server CPU', 'generator CPU', 'interference'], phases.map((p) => phaseRow(p.label, medians([p]))));
  if (results.redis && 'phases' in results.redis) out.push(`## App with the Redis store and adapter (${n(results.redis.phases[0]?.viewers)} viewers, one run)`, '', phaseTable(results.redis.phases), '');
  else if (results.redis) out.push('## App with the Redis store', '', `Skipped: ${results.redis.skipped}`, '');
  out.push(...nodesSection(results));
  out.push(...crowdSection(results));
  if (results.coalescing) out.push(`## Coalescing, COALESCE_MS=${results.coalescing.windowMs} (${n(results.coalescing.phases[0]?.viewers)} viewers; loads are multiples of the baseline's capacity ${n(results.coalescing.capacityWps, 1)} writes/s)`, '', phaseTable(results.coalescing.phases), '');

  for (const profile of results.profiles ?? []) {
    out.push(`## Profile ${profile.name}: ${n(profile.viewers)} viewers${profile.coalesceMs ? `, COALESCE_MS=${profile.coalesceMs}` : ''} (loads are multiples of the baseline's capacity ${n(profile.capacityWps, 1)} writes/s; baseline at saturation ${n(profile.baselineSatDeliveriesPerSec)} deliveries/s)`, '', phaseTable(profile.session.phases), '');
  }
  if (results.roomWrites) {
    const rw = results.roomWrites;
    out.push(`## Writes into one room (${n(rw.writers)} writers, ${n(rw.viewers)} viewers, posts open-loop)`, '', table(
      ['Server', 'offered writes/s', 'acknowledged writes/s', 'ack p50 / p99 / p99.9 ms', 'refused', 'events/frame', 'viewer p99 ms', 'server CPU', 'interference'],
      rw.servers.flatMap((server) => server.phases.map((p) => [server.server, n(p.offeredWritesPerSec), n(p.ackedWritesPerSec), lat(p.ack), n(Object.values(p.writeErrors).reduce((a, b) => a + b, 0) + p.unacked), n(p.eventsPerFrame, 1), n(p.latency.p99, 1), `${n(p.serverCpu * 100)} %`, `${n((p.interference?.serverCore ?? NaN) * 100)} %`])),
    ), '');
  }
  if (results.join.length) {
    out.push('## Join burst', '',
      'All viewers open their websockets at the same instant. "connected → snapshot" runs from the namespace connect to the whole join answer (snapshot included) being in; "handshake" is the websocket and namespace connect before it, which is Socket.IO\'s own cost (the baseline pays it too); "open → snapshot" is both.', '',
      table(['Server', 'posts in room', 'viewers', 'joins/s (wall)', 'joins per core-second', 'server CPU-ms/join', 'connected → snapshot p50 / p99 ms', 'handshake p50 / p99 ms', 'open → snapshot p50 / p99 ms', 'bytes/join', 'failed'],
      results.join.map((j) => [j.server, n(j.seededPosts), n(j.joined), n(j.joinsPerSec), n(j.joinsPerCoreSecond), n(j.serverCpuMsPerJoin, 2), `${n(j.connectToSnapshot.p50)} / ${n(j.connectToSnapshot.p99)}`, `${n(j.handshake.p50)} / ${n(j.handshake.p99)}`, `${n(j.openToSnapshot.p50)} / ${n(j.openToSnapshot.p99)}`, n(j.bytesPerJoin), n(j.failed)])), '');
  }
  if (results.catchUp) {
    const { churn, delivery, phase } = results.catchUp;
    out.push('## Catch-up under churn', '', table(['viewers', 'writes/s', 'rejoins', 'catch-up p50 / p99 / max ms', 'p99 of connect / join ms', 'bytes per rejoin', 'events per rejoin', 'snapshot answers', 'failed attempts', 'delivery', 'live p99 ms'],
      [[n(delivery.viewers), n(phase.offeredWritesPerSec, 1), n(churn?.cuts), churn ? `${n(churn.catchUp.p50)} / ${n(churn.catchUp.p99)} / ${n(churn.catchUp.max)}` : '–',
        churn?.stages ? `${n(churn.stages.open.p99)} / ${n(churn.stages.join.p99)}` : '–', n(churn?.meanBytes), n(churn?.meanEvents, 1), n(churn?.snapshots), n(churn?.failures), `${n(delivery.delivered * 100, 3)} % (${delivery.missing} missing, ${delivery.duplicates} dup)`, n(phase.latency.p99, 1)]]), '');
  }
  const alongside = results.fanout.flatMap((size) => (['app', 'baseline'] as const).map((kind) => {
    const runs = size.sessions.filter((s) => s.kind === kind);
    return [kind, n(size.viewers), '–', '–', `${n(median(runs.map((s) => s.rssPerViewerKb)), 1)} (median of ${runs.length}, while joining)`];
  }));
  if (results.memory.length || alongside.length) {
    out.push('## Memory per idle connection', '', '"after" is 2.5 s after the last viewer joined; "settled" once RSS stops falling (at least 25 s idle: the joins\' garbage gone, their read budgets expired, the app\'s idle collector done).', '',
      table(['Server', 'connections', 'RSS before MB', 'RSS after MB', 'KB per connection', 'RSS settled MB', 'KB per connection, settled'],
      [...results.memory.map((m) => [m.server, n(m.connections), n(m.rssBeforeMb, 1), n(m.rssAfterMb, 1), n(m.kbPerConnection, 1), n(m.rssSettledMb, 1), n(m.kbPerConnectionSettled, 1)]),
        ...alongside.map((row) => [...row, '–', '–'])]), '');
  }

  if (results.history) out.push(...historySection(results.history));

  const checks: string[][] = [];
  for (const size of results.fanout) for (const s of size.sessions) checks.push([`${s.server} ${n(size.viewers)} run ${s.rep + 1}`, ...deliveryCells(s.delivery)]);
  if (results.redis && 'delivery' in results.redis) checks.push([results.redis.server, ...deliveryCells(results.redis.delivery)]);
  if (results.nodes && 'twoNodes' in results.nodes) for (const [what, session] of [['two nodes', results.nodes.twoNodes], ['one node', results.nodes.oneNode]] as const) checks.push([`${session.server}, ${what}`, ...deliveryCells(session.delivery)]);
  if (results.crowd) for (const kind of ['baseline', 'app'] as const) checks.push([`${results.crowd[kind].server} ${n(results.crowd.viewers)} (crowd)`, ...deliveryCells(results.crowd[kind].delivery)]);
  if (results.coalescing) checks.push([results.coalescing.server, ...deliveryCells(results.coalescing.delivery)]);
  for (const profile of results.profiles ?? []) checks.push([`${profile.name} ${n(profile.viewers)}`, ...deliveryCells(profile.session.delivery)]);
  for (const server of results.roomWrites?.servers ?? []) checks.push([`room writes ${server.server}`, ...deliveryCells(server.delivery)]);
  if (results.catchUp) checks.push(['app catch-up', ...deliveryCells(results.catchUp.delivery)]);
  out.push('## Delivery checks', '', table(['Session', 'viewers', 'complete', 'delivered', 'duplicates', 'missing', 'dropped by server', 'server errors'], checks), '');
  out.push(results.failures.length ? `**FAILED**:\n\n\`\`\`\n${results.failures.join('\n\n')}\n\`\`\`` : 'All delivery checks passed.', '');
  return out.join('\n');
}

function historySection(h: HistoryResult): string[] {
  const start = (f: StartFigures) => `${n(f.wallMs)} (store ${n(f.storeMs)}) / ${n(f.rssMb, 1)}`;
  const out = ['## History: restart, idle rooms, a big room', '',
    table(['log', 'rooms', 'log MB', 'first open (whole log) ms / RSS MB', 'restart (checkpoint) ms / RSS MB', 'cold join ms'],
      [['empty', '0', '0', '–', start(h.empty), '–'], ...h.logs.map((l) => [`${n(l.events)} events`, n(l.rooms), n(l.logMb, 1), start(l.firstOpen), start(l.restart), n(l.coldJoinMs, 1)])]), '',
    table(['idle rooms', 'eviction', 'RSS before / after MB', 'KB per idle room', 'KB per room on a restart'],
      h.idleRooms.map((r) => [n(r.rooms), r.evictMs ? `after ${n(r.evictMs)} ms` : 'off', `${n(r.rssBeforeMb, 1)} / ${n(r.rssAfterMb, 1)}`, n(r.kbPerRoom, 2), n(r.restartKbPerRoom, 2)])), '',
    table(['idle rooms', 'eviction', 'heap KB per room just opened', 'heap KB per room once idle'],
      (h.idleHeap ?? []).map((r) => [n(r.rooms), r.evictMs ? `after ${n(r.evictMs)} ms` : 'off', n(r.heldKbPerRoom, 2), n(r.idleKbPerRoom, 2)])), ''];
  if (h.bigRoom) {
    out.push(table(['posts in room', 'cold join ms', 'join right after a write p50 / p99 / max ms', 'join between writes p50 / p99 / max ms', 'bytes/join'],
      [[n(h.bigRoom.posts), n(h.bigRoom.coldJoinMs, 1), `${n(h.bigRoom.afterWrite.p50, 1)} / ${n(h.bigRoom.afterWrite.p99, 1)} / ${n(h.bigRoom.afterWrite.max, 1)}`,
        `${n(h.bigRoom.noWrite.p50, 1)} / ${n(h.bigRoom.noWrite.p99, 1)} / ${n(h.bigRoom.noWrite.max, 1)}`, n(h.bigRoom.snapshotBytes)]]), '');
  }
  return out;
}

function deliveryCells(d: { viewers: number; perfect: number; delivered: number; duplicates: number; missing: number; dropped: number; serverErrors: string[] }): string[] {
  return [n(d.viewers), n(d.perfect), `${n(d.delivered * 100, 3)} %`, n(d.duplicates), n(d.missing), n(d.dropped), d.serverErrors.length ? d.serverErrors.join('; ').slice(0, 120) : '0'];
}
