// Presence across nodes is summed from each node's own counts: no node asks every other for its sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisAdapter } from '../../server/redis-adapter.js';
import { openRedisStore } from '../../server/store/redis.js';
import { disconnectAll, until } from '../helpers/client.js';
import { deleteKeys, redisTestGate, redisUrlForTests, uniqueKeyPrefix } from '../helpers/redis.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { joinAs, openRoom } from '../helpers/fixtures.js';

const url = redisUrlForTests();
const gate = await redisTestGate(url);
const prefix = uniqueKeyPrefix();
/** Short, so a node that stopped refreshing is dropped within the test; refreshes come every third of it. */
const EXPIRY_MS = 900;

if (gate.failure) it('needs Redis', () => expect.fail(gate.failure!));

describe.skipIf(gate.skip)('presence on two nodes sharing one Redis', () => {
  const nodes: TestServer[] = [];
  const adapters: Awaited<ReturnType<typeof openRedisAdapter>>[] = [];
  /** Cross-node socket listings (`fetchSockets`) made by each node: what presence cost per socket before. */
  const listings = [0, 0];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const adapter = await openRedisAdapter(url);
      adapters.push(adapter);
      const node = await startTestServer({ store: await openRedisStore({ url, keyPrefix: prefix }), adapter: adapter.adapter, presenceExpiryMs: EXPIRY_MS });
      const nsAdapter = node.app.io.of('/').adapter;
      const fetchSockets = nsAdapter.fetchSockets.bind(nsAdapter);
      nsAdapter.fetchSockets = (opts) => {
        listings[i]!++;
        return fetchSockets(opts);
      };
      nodes.push(node);
    }
  });
  afterAll(async () => {
    disconnectAll();
    for (const node of nodes) await node.close();
    for (const adapter of adapters) await adapter.close();
    await deleteKeys(url, prefix);
  });

  it('viewers on both nodes are in the total each node sends, without listing any node’s sockets', async () => {
    const [a, b] = nodes as [TestServer, TestServer];
    const { host, roomId, hostId } = await openRoom(a.url);
    const onA = await joinAs(a.url, roomId, null);
    const onB = [await joinAs(b.url, roomId, null), await joinAs(b.url, roomId, null)];
    const bea = await joinAs(b.url, roomId, 'Bea');
    const everyone = [host, onA.socket, bea.socket, ...onB.map((viewer) => viewer.socket)];
    const seesAll = () => everyone.every((socket) => {
      const latest = socket.presence.at(-1);
      return latest?.viewers === 3 && new Set(latest.online).size === 2 && latest.online.includes(hostId) && latest.online.includes(bea.id);
    });
    await until(seesAll, 'three viewers and two online, as seen on both nodes');
    const [leaving, staying] = onB as [typeof onB[number], typeof onB[number]];
    leaving.socket.disconnect();
    await until(() => [host, onA.socket, bea.socket, staying.socket].every((socket) => socket.presence.at(-1)?.viewers === 2), 'a viewer leaving node B, seen on both');
    expect(listings, 'fetchSockets calls on node A, node B').toEqual([0, 0]);
  });

  it('a node that stops refreshing (its Redis link gone) stops counting once its part expires', async () => {
    const [a, b] = nodes as [TestServer, TestServer];
    const { host, roomId } = await openRoom(a.url);
    await joinAs(a.url, roomId, null);
    await joinAs(b.url, roomId, null);
    await joinAs(b.url, roomId, null);
    await until(() => host.presence.at(-1)?.viewers === 3, 'three viewers across two nodes');
    // Node B can no longer tell anyone anything: to node A it is gone, as if it had died.
    await adapters[1]!.close();
    await until(() => host.presence.at(-1)?.viewers === 1, 'node B no longer counted on node A', 10 * EXPIRY_MS);
  });
});
