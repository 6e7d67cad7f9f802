import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../server/store/embedded.js';
import { openRedisAdapter } from '../../server/redis-adapter.js';
import { connect, disconnectAll, ok, until } from '../helpers/client.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { sleep } from '../helpers/faults/cluster.js';
import { requireRedisServer } from '../helpers/faults/gate.js';

const skip = requireRedisServer();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  disconnectAll();
  for (const close of closers.splice(0).reverse()) await close().catch(() => {});
});

describe.skipIf(skip)('broadcasts between nodes while Redis is away', () => {
  it('one that failed (Redis killed) reaches the other node once Redis is back, even if nothing else happens', async () => {
    const redis: PrivateRedis = await startPrivateRedis();
    closers.push(() => redis.dispose());
    // One store for both nodes (the embedded one, in this process): this is about the broadcast alone.
    const dataDir = await mkdtemp(join(tmpdir(), 'resend-'));
    closers.push(() => rm(dataDir, { recursive: true, force: true }));
    const store = await openEmbeddedStore({ dataDir });
    const nodes: TestServer[] = [];
    for (let i = 0; i < 2; i++) {
      const adapter = await openRedisAdapter(redis.url);
      closers.push(adapter.close);
      const node = await startTestServer({ adapter: adapter.adapter, store, dataDir });
      closers.push(() => node.close());
      nodes.push(node);
    }
    const [a, b] = nodes as [TestServer, TestServer];
    const host = await connect(a.url);
    const { roomId, hostToken } = await ok(host, 'room:create', { title: 'Resend', motion: 'M' });
    await ok(host, 'room:join', { roomId, role: 'participant', name: 'Host', token: hostToken });
    const viewer = await connect(b.url);
    await ok(viewer, 'room:join', { roomId, role: 'viewer' });

    await redis.kill();
    // Logged, but its broadcast cannot reach B now.
    const { seq } = await ok(host, 'post:create', { id: 'post-while-away', parentId: null, body: 'said while Redis was down' });
    await sleep(300);
    expect(viewer.received.some((event) => event.seq === seq)).toBe(false);
    await redis.restart();
    await until(() => viewer.received.some((event) => event.type === 'post.created' && event.postId === 'post-while-away'), 'the failed broadcast, sent again', 10_000);
  }, 30_000);
});
