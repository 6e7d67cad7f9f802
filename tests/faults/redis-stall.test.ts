import { nanoid } from 'nanoid';
import { afterEach, describe, expect, it } from 'vitest';
import { call, connect, disconnectAll, ok } from '../helpers/client.js';
import { closeAllBrowsers, openBrowser } from '../helpers/faults/browsers.js';
import { sleep, startCluster, waitFor, type Cluster } from '../helpers/faults/cluster.js';
import { requireRedisServer } from '../helpers/faults/gate.js';
import { expectAlive, joinAll, openRoom, recoveryTime, startWriting, summary, verify } from '../helpers/faults/workload.js';

const skip = requireRedisServer();
let cluster: Cluster | null = null;
afterEach(async () => {
  closeAllBrowsers();
  disconnectAll();
  await cluster?.dispose();
  cluster = null;
});

const probe = async (url: string, path: string) => {
  const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, text: await response.text() };
};

describe.skipIf(skip)('a stalled Redis (SIGSTOP)', () => {
  it('writes and joins answer UNAVAILABLE within seconds instead of waiting, /readyz says 503 with a reason; both recover on SIGCONT', async () => {
    cluster = await startCluster({ nodes: 2 });
    const [a, b] = cluster.nodes as [Cluster['nodes'][0], Cluster['nodes'][0]];
    const roomId = await openRoom(a.url);
    const writer = await connect(a.url);
    await ok(writer, 'room:join', { roomId, role: 'participant', name: 'Writer' });
    const viewer = await connect(b.url);
    await ok(viewer, 'room:join', { roomId, role: 'viewer' });
    expect(await probe(a.url, '/readyz')).toEqual({ status: 200, text: 'ready' });

    cluster.redis.freeze();
    // The test client gives up after 5 s: an answer at all means the node did not wait out the stall.
    const stalledPost = nanoid();
    const started = Date.now();
    const write = await call(writer, 'post:create', { id: stalledPost, parentId: null, body: 'written while Redis is frozen' });
    const waited = Date.now() - started;
    expect(write).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/^The store .+\.$/) } });
    const joiner = await connect(b.url);
    expect(await call(joiner, 'room:join', { roomId, role: 'viewer' })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    const notReady = await probe(a.url, '/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.text).toMatch(/^Not ready\. The store.+\.$/);
    // Alive is not ready: the process itself is fine.
    expect((await probe(a.url, '/healthz')).status).toBe(200);

    await sleep(1_000);
    cluster.redis.thaw();
    const thawed = Date.now();
    await waitFor(async () => (await probe(a.url, '/readyz')).status === 200 && (await probe(b.url, '/readyz')).status === 200, 'both nodes ready again', 15_000, 100);
    const ready = Date.now() - thawed;
    // The write Redis received before it froze was logged when it woke: everyone hears of it.
    await waitFor(() => viewer.received.some((event) => event.type === 'post.created' && event.postId === stalledPost), 'the write sent before the stall, published once it landed', 10_000);
    const after = await ok(writer, 'post:create', { id: nanoid(), parentId: null, body: 'after the stall' });
    expect(after.seq).toBeGreaterThan(0);
    expect((await call(joiner, 'room:join', { roomId, role: 'viewer' })).ok).toBe(true);
    expectAlive(cluster);
    console.log(`[faults] Redis frozen (SIGSTOP), 2 nodes: a write answered UNAVAILABLE after ${(waited / 1000).toFixed(2)} s, /readyz 503 during the stall and 200 again ${(ready / 1000).toFixed(2)} s after SIGCONT`);
  }, 60_000);

  it('frozen, then killed and restarted, under load: nothing acknowledged is lost and every browser recovers', async () => {
    cluster = await startCluster({ nodes: 3 });
    const roomId = await openRoom(cluster.nodes[0]!.url);
    const writers = cluster.nodes.map((node, i) => openBrowser(node.url, `Writer ${i + 1}`));
    const viewers = cluster.nodes.map((node, i) => openBrowser(node.url, `Viewer ${i + 1}`));
    const browsers = [...writers, ...viewers];
    await joinAll(browsers, roomId, new Set(writers));
    const writing = startWriting(writers, { everyMs: 10 });
    await sleep(1_500);
    cluster.redis.freeze();
    await sleep(3_000);
    cluster.redis.thaw();
    const thawed = Date.now();
    const afterStall = await recoveryTime(cluster, writers, thawed);
    await sleep(1_500);
    await cluster.redis.kill();
    await sleep(1_000);
    const restarted = Date.now();
    await cluster.redis.restart();
    const afterRestart = await recoveryTime(cluster, writers, restarted);
    await sleep(1_000);
    writing.stop();
    const verdict = await verify(cluster, roomId, browsers, writers);
    expectAlive(cluster);
    summary('Redis frozen 3 s, then kill -9 and restart, under load, 3 nodes', verdict, {
      recovery: `${(afterStall / 1000).toFixed(2)} s after SIGCONT, ${(afterRestart / 1000).toFixed(2)} s after restart`,
    });
  }, 120_000);
});
