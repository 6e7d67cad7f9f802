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

  it('each node sweeps its own sockets and the other hears each event once: no socket gets one twice or misses one', async () => {
    const [a, b] = nodes;
    const { host, roomId } = await openRoom(a.url);
    await ok(host, 'mod:room', { action: 'blockedTerms', terms: [{ term: 'tankie', action: 'hold' }] });
    const mo = await joinAs(a.url, roomId, 'Mo');
    await ok(host, 'mod:member', { action: 'promote', memberId: mo.id });
    const moOnB = await joinAs(b.url, roomId, 'Mo', mo.token);
    const onA = await Promise.all(Array.from({ length: 5 }, () => joinAs(a.url, roomId, null)));
    const onB = await Promise.all(Array.from({ length: 5 }, () => joinAs(b.url, roomId, null)));
    const patOnB = await joinAs(b.url, roomId, 'Pat');
    // Pat's posts with the term are held (a moderator's would not be): moderators read them, nobody else does.
    const writes = Array.from({ length: 30 }, (_, i) => post(i % 2 ? host : patOnB.socket, i % 4 === 2 ? `held ${i} tankie` : `post ${i}`));
    // The head from the acks: a node's own copy of the room may not have caught up with the other's writes yet.
    const head = Math.max(...(await Promise.all(writes)).map((written) => written.seq));
    const everyone = [...onA, ...onB, moOnB];
    const highest = (v: (typeof everyone)[number]) => Math.max(v.joined.snapshot.seq, ...v.socket.received.map((e) => e.seq));
    await until(() => everyone.every((v) => highest(v) === head && v.socket.received.filter((e) => e.seq > v.joined.snapshot.seq).length >= head - v.joined.snapshot.seq), 'every viewer on both nodes with everything up to the head');
    // A broadcast that reached its own node's sockets as well as the sweep would show up here as a repeat.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const v of everyone) {
      // Each node sends what it logged as soon as it is durable, so a viewer may hear the other node's events
      // after its own node's later ones (its LogFollower holds those until the gap fills): once each, in any order.
      const seqs = v.socket.received.map((e) => e.seq).filter((seq) => seq > v.joined.snapshot.seq).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: head - v.joined.snapshot.seq }, (_, i) => v.joined.snapshot.seq + 1 + i));
    }
    const heldBodies = (v: { socket: { received: { type: string; body?: string }[] } }) => v.socket.received.filter((e) => e.type === 'post.held').map((e) => e.body);
    expect(heldBodies(moOnB).every((body) => body?.includes('tankie'))).toBe(true);
    expect(heldBodies(moOnB).length).toBeGreaterThan(0);
    for (const v of [...onA, ...onB]) expect(heldBodies(v).every((body) => body === '')).toBe(true);
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
