import type { RunResults } from './types.js';
import { n, table } from './cells.js';

/** The crowd scenario: one node, a big audience, app and baseline at the same share of the baseline's capacity. */
export function crowdSection(results: RunResults): string[] {
  const crowd = results.crowd;
  if (!crowd) return [];
  const measured = (session: typeof crowd.app) => session.phases.find((phase) => !phase.label.startsWith('ramp-'));
  const base = measured(crowd.baseline);
  const rows = (['baseline', 'app'] as const).map((kind) => {
    const session = crowd[kind];
    const phase = measured(session);
    return [
      kind, n(crowd.viewers), n(phase?.offeredWritesPerSec, 2), n(phase?.deliveriesPerSec),
      phase ? `${n(phase.latency.p50, 1)} / ${n(phase.latency.p99, 1)} / ${n(phase.latency.p999, 1)}` : '–',
      n(phase && base ? phase.latency.p99 / base.latency.p99 : NaN, 2), n(phase?.serverUsPerDelivery, 2),
      `${n(phase ? phase.serverCpu * 100 : NaN)} %`, n(session.rssPerViewerKb, 1), `${n(phase?.interference ? phase.interference.serverCore * 100 : NaN)} %`,
    ];
  });
  return [
    `## One node, ${n(crowd.viewers)} viewers, ${n(crowd.level * 100)} % of the baseline's capacity (${n(crowd.capacityWps, 2)} writes/s from its ramp; one run each)`, '',
    ...(crowd.cappedBy ? [`The plan asks for more viewers; this machine allows ${n(crowd.viewers)}: ${crowd.cappedBy}.`, ''] : []),
    table(['Server', 'viewers', 'writes/s', 'deliveries/s', 'p50 / p99 / p99.9 ms', 'p99 / baseline', 'CPU-µs/delivery', 'server CPU', 'RSS KB per viewer (joining)', 'interference'], rows), '',
  ];
}
