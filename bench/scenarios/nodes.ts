import { REDIS_URL, deleteRoomKeys, redisUnreachable } from '../lib/redis.js';
import type { Scenario } from '../lib/scenario.js';
import type { ServerOptions } from '../lib/servers.js';
import { fanoutPlan, levels, runSession, type SessionResult } from './fanout.js';

export interface NodesResult {
  /** Posters on node 1, every viewer on node 2: each phase's `viewerNode` is node 2's cost of node 1's broadcasts. */
  twoNodes: SessionResult;
  /** The same audience and loads on one node (posters and viewers together), in the same run: what the relay is set against. */
  oneNode: SessionResult;
}

/**
 * Two app nodes on one Redis (store and adapter): one takes the writes, the other has the viewers. What the
 * second pays per delivery for a broadcast the first made (adapter receive, then its own fan-out) is set
 * beside the CPU per delivery of one node doing everything, at the same loads in the same run.
 */
export const nodes: Scenario = {
  name: 'nodes',
  async run(ctx) {
    const { plan, gen, results, log, check } = ctx;
    if (!plan.nodes) return;
    const why = await redisUnreachable();
    if (why) {
      results.nodes = { skipped: why };
      return;
    }
    const { viewers } = plan.nodes;
    const cap = ctx.capacityAt(viewers);
    const loads = plan.nodes.levels.map((level) => ({ label: `${Math.round(level * 100)}%`, writesPerSec: cap * level }));
    const node: ServerOptions = { kind: 'app', redisUrl: REDIS_URL };
    const sessions: SessionResult[] = [];
    try {
      log(`nodes: posters on node 1, ${viewers} viewers on node 2 (Redis ${REDIS_URL})`);
      sessions.push(await runSession(gen, node, fanoutPlan(ctx, viewers, 20), `nodes-2-${viewers}`, levels(loads), log, node));
      check('nodes: two nodes', sessions[0]!.delivery);
      log(`nodes: the same on one node`);
      sessions.push(await runSession(gen, node, fanoutPlan(ctx, viewers, 20), `nodes-1-${viewers}`, levels(loads), log));
      check('nodes: one node', sessions[1]!.delivery);
      results.nodes = { twoNodes: sessions[0]!, oneNode: sessions[1]! };
    } finally {
      await deleteRoomKeys(sessions.map((session) => session.roomId)).catch((error) => log(`could not delete Redis keys: ${error}`));
    }
  },
};
