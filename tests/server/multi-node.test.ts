import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisAdapter } from '../../server/redis-adapter.js';
import { openRedisStore } from '../../server/store/redis.js';
import { call, disconnectAll, ok, until } from '../helpers/client.js';
import { deleteKeys, redisTestGate, redisUrlForTests, uniqueKeyPrefix } from '../helpers/redis.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';

const url = redisUrlForTests();
const gate = await redisTestGate(url);
const prefix = uniqueKeyPrefix();

if (gate.failure) it('needs Redis', () => expect.fail(gate.failure!));

/** Two server nodes sharing one Redis: the store for the log, the adapter for broadcasts. */
describe.skipIf(gate.skip)('several nodes on one Redis', () => {
  const nodes: TestServer[] = [];
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const adapter = await openRedisAdapter(url);
      closers.push(adapter.close);
      nodes.push(await startTestServer({ store: await openRedisStore({ url, keyPrefix: prefix }), adapter: adapter.adapter }));
    }
  });
  afterAll(async () => {
    disconnectAll();
    for (const node of nodes) await node.close();
    for (const close of closers) await close();
    await deleteKeys(url, prefix);
  });

  it('a post on one node reaches viewers on the other, in order, and either node serves the room', async () => {
    const [a, b] = nodes;
    const { host, roomId } = await openRoom(a.url);
    const viewerOnB = await joinAs(b.url, roomId, null);
    const beaOnB = await joinAs(b.url, roomId, 'Bea');
    const first = await post(host, 'from node A');
    const reply = await post(beaOnB.socket, 'from node B', first.id);
    await until(() => viewerOnB.socket.received.filter((e) => e.type === 'post.created').length === 2, 'both posts on B');
    await until(() => host.received.filter((e) => e.type === 'post.created').length === 2, 'both posts on A');
    expect(host.received.filter((e) => e.type === 'post.created').map((e) => e.seq)).toEqual([first.seq, reply.seq]);
    // Names stay unique across nodes: the log, not a node's memory, decides.
    const clash = await call(viewerOnB.socket, 'room:join', { roomId, role: 'participant', name: 'bea' });
    expect(clash.ok ? null : clash.error.code).toBe('NAME_TAKEN');
  });

  it('presence counts sockets on every node', async () => {
    const [a, b] = nodes;
    const { host, roomId } = await openRoom(a.url);
    await joinAs(a.url, roomId, null);
    await joinAs(b.url, roomId, null);
    await joinAs(b.url, roomId, null);
    await until(() => host.presence.at(-1)?.viewers === 3, 'three viewers across two nodes');
  });

  it('a ban on one node closes the person’s sockets on the other', async () => {
    const [a, b] = nodes;
    const { host, roomId } = await openRoom(a.url);
    const troll = await joinAs(b.url, roomId, 'Troll');
    const closed = new Promise((resolve) => troll.socket.once('disconnect', resolve));
    await ok(host, 'mod:member', { action: 'ban', memberId: troll.id, reason: 'spam' });
    await closed;
  });

  it('a hidden ballot cast through one node is pushed to the voter’s other browser on the other', async () => {
    const [a, b] = nodes;
    const { host, roomId } = await openRoom(a.url);
    const onA = await joinAs(a.url, roomId, null);
    const onB = await joinAs(b.url, roomId, null, onA.token);
    const pushed: unknown[] = [];
    onB.socket.on('room:myBallot', (ballot) => pushed.push(ballot));
    await ok(host, 'vote:manage', { action: 'open', vote: 'initial', hideResults: true });
    await ok(onB.socket, 'vote:mine', {});
    const cast = await ok(onA.socket, 'vote:cast', { vote: 'initial', choice: 'undecided' });
    await until(() => pushed.length === 1, 'the push across nodes');
    expect(pushed).toEqual([{ vote: 'initial', choice: 'undecided', seq: cast.seq }]);
    expect(await ok(onB.socket, 'vote:mine', {})).toEqual({ seq: cast.seq, ballots: { initial: 'undecided' } });
  });
});
