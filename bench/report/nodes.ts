import type { Phase } from '../scenarios/session.js';
import type { RunResults } from './types.js';
import { n, table } from './cells.js';

/** The nodes scenario: what the node with the viewers pays per delivery of another node's broadcasts, beside one node doing everything. */
export function nodesSection(results: RunResults): string[] {
  const nodes = results.nodes;
  if (!nodes) return [];
  if ('skipped' in nodes) return ['## Two nodes on one Redis', '', `Skipped: ${nodes.skipped}`, ''];
  const single = new Map(nodes.oneNode.phases.map((phase) => [phase.label, phase]));
  const rows = nodes.twoNodes.phases.map((two: Phase) => {
    const one = single.get(two.label);
    const relay = two.viewerNode;
    return [
      two.label, n(two.offeredWritesPerSec, 1), n(two.deliveriesPerSec),
      n(relay?.usPerDelivery, 2), n(relay?.usPerBroadcast), n(relay ? relay.serverCpu * 100 : NaN), n(relay?.publisherUsPerWrite),
      n(one?.serverUsPerDelivery, 2), n(relay && one ? relay.usPerDelivery / one.serverUsPerDelivery : NaN, 2),
      `${n(two.latency.p99, 1)} / ${n(one?.latency.p99, 1)}`,
    ];
  });
  return [
    `## Two nodes on one Redis (${n(nodes.twoNodes.phases[0]?.viewers)} viewers on node 2, posters on node 1; one run)`, '',
    '"relay" is node 2, which only receives node 1\'s broadcasts through the adapter and fans them out to its viewers; "one node" runs the same audience and loads with posters and viewers together (it also decides, appends and publishes).', '',
    table(['Load', 'writes/s', 'deliveries/s', 'relay CPU-µs/delivery', 'relay CPU-µs/broadcast', 'relay CPU %', 'node 1 CPU-µs/write', 'one node CPU-µs/delivery', 'relay / one node', 'p99 ms two nodes / one'], rows), '',
  ];
}
