import { describe, it } from 'vitest';
import { openBrowser } from '../helpers/faults/browsers.js';
import { sleep } from '../helpers/faults/cluster.js';
import { requireRedisServer } from '../helpers/faults/gate.js';
import { clusterPerTest } from '../helpers/faults/per-test.js';
import { expectAlive, joinAll, openRoom, recoveryTime, startWriting, summary, verify } from '../helpers/faults/workload.js';

const skip = requireRedisServer();
const startCluster = clusterPerTest();

describe.skipIf(skip)('Redis killed (kill -9) under load', () => {
  it('three crashes and restarts with appendfsync always: every node stays up, nothing acknowledged is lost, every browser recovers', async () => {
    const cluster = await startCluster({ nodes: 3, persistence: 'always' });
    const roomId = await openRoom(cluster.nodes[0]!.url);
    // Two writers a node, flat out: a crash must find commands in flight on every node's connections.
    const writers = [...cluster.nodes, ...cluster.nodes].map((node, i) => openBrowser(node.url, `Writer ${i + 1}`));
    const viewers = cluster.nodes.map((node, i) => openBrowser(node.url, `Viewer ${i + 1}`));
    const browsers = [...writers, ...viewers];
    await joinAll(browsers, roomId, new Set(writers));
    const writing = startWriting(writers, { everyMs: 5 });
    const recoveries: number[] = [];
    for (let crash = 0; crash < 3; crash++) {
      await sleep(1_500);
      await cluster.redis.kill();
      await sleep(1_000);
      const restarted = Date.now();
      await cluster.redis.restart();
      recoveries.push(await recoveryTime(cluster, writers, restarted));
    }
    await sleep(1_000);
    writing.stop();
    const verdict = await verify(cluster, roomId, browsers, writers);
    expectAlive(cluster);
    summary('Redis kill -9 ×3 under load, appendfsync always, 3 nodes', verdict, {
      recovery: recoveries.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(' / '),
    });
  }, 120_000);
});
