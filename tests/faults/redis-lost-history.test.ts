import { describe, expect, it } from 'vitest';
import { openBrowser } from '../helpers/faults/browsers.js';
import { sleep } from '../helpers/faults/cluster.js';
import { requireRedisServer } from '../helpers/faults/gate.js';
import { clusterPerTest } from '../helpers/faults/per-test.js';
import { expectAlive, joinAll, openRoom, recoveryTime, startWriting, summary, verify } from '../helpers/faults/workload.js';

const skip = requireRedisServer();
const startCluster = clusterPerTest();

describe.skipIf(skip)('Redis without an append-only file, killed under load', () => {
  it('loses its last second of posts; nodes start a new epoch, browsers take a fresh snapshot and send their lost posts again', async () => {
    const cluster = await startCluster({ nodes: 3, persistence: 'snapshots' });
    const roomId = await openRoom(cluster.nodes[0]!.url);
    const writers = cluster.nodes.map((node, i) => openBrowser(node.url, `Writer ${i + 1}`));
    const viewers = cluster.nodes.map((node, i) => openBrowser(node.url, `Viewer ${i + 1}`));
    const browsers = [...writers, ...viewers];
    await joinAll(browsers, roomId, new Set(writers));
    const epochBefore = writers[0]!.room.epoch();
    // Top-level posts only: a reply sent before its author heard of the new epoch could name a parent the log lost.
    const writing = startWriting(writers, { everyMs: 20, replies: false });
    await sleep(3_000);
    await cluster.redis.kill();
    const ackedBeforeCrash = writers.reduce((sum, writer) => sum + writer.acks.length, 0);
    await sleep(500);
    const restarted = Date.now();
    await cluster.redis.restart();
    const survived = Number(await cluster.command(['GET', `debate:room:{${roomId}}:seq`]));
    const recovery = await recoveryTime(cluster, writers, restarted);
    await sleep(1_000);
    writing.stop();
    const verdict = await verify(cluster, roomId, browsers, writers);
    expect(browsers.filter((browser) => browser.room.epoch() === epochBefore), 'browsers still in the lost history').toEqual([]);
    expectAlive(cluster);
    // The drill is only worth something if Redis did lose acknowledged posts.
    const lostByRedis = ackedBeforeCrash - (survived - 1 - writers.length);
    expect(lostByRedis, 'acknowledged posts the restarted Redis no longer had').toBeGreaterThan(0);
    summary('Redis kill -9 without AOF (RDB every second), 3 nodes', verdict, {
      'lost by Redis then sent again by their authors': String(lostByRedis),
      'acked before the crash': String(ackedBeforeCrash),
      recovery: `${(recovery / 1000).toFixed(2)} s`,
    });
  }, 120_000);
});
