import { nanoid } from 'nanoid';
import { afterEach, describe, expect, it } from 'vitest';
import { limits } from '../../shared/limits.js';
import { call, connect, disconnectAll, ok, type TestSocket } from '../helpers/client.js';
import { eventsOf, opened } from '../helpers/snapshot.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { deleteKeys, redisTestGate, redisUrlForTests, uniqueKeyPrefix } from '../helpers/redis.js';
import { createClient } from 'redis';
import { limitFactory } from '../../server/rate-limits.js';

/**
 * An attacker's identities are free; their address is not. Each case is what an attacker tries, against
 * the real per-address budgets of shared/limits.ts (the test server otherwise lifts them, as every test
 * connects from 127.0.0.1). People pose as other addresses through X-Forwarded-For, which this server
 * believes because it trusts 127.0.0.1 as its proxy.
 */
let server: TestServer | null = null;
afterEach(async () => {
  disconnectAll();
  await server?.close();
  server = null;
});

// The real budgets, in windows too long for a slow, shared machine to see one roll over mid-test.
const budgets = Object.fromEntries(Object.entries(limits.perAddress).map(([name, rule]) => [name, { ...rule, seconds: Math.max(rule.seconds, 3_600) }])) as typeof limits.perAddress;

async function hostileServer() {
  server = await startTestServer({ addressRules: budgets, trustedProxies: new Set(['127.0.0.1']), writeRate: { burst: limits.writeBurst, perSecond: limits.writesPerSecond } });
  return server;
}

async function openRoomFrom(url: string, from: string) {
  const host = await connect(url, { from });
  const created = await ok(host, 'room:create', { title: 'This house would ban cars from city centres' });
  await ok(host, 'room:join', { roomId: created.roomId, role: 'participant', name: 'Host', token: created.hostToken });
  return { host, roomId: created.roomId };
}

const rejoin = (socket: TestSocket, roomId: string, name?: string) =>
  call(socket, 'room:join', name ? { roomId, role: 'participant', name } : { roomId, role: 'viewer' });

describe('an attacker hopping identities', () => {
  it('cannot post past its address’s budget by re-joining under fresh names', async () => {
    const { url } = await hostileServer();
    const { roomId } = await openRoomFrom(url, '198.51.100.1');
    const troll = await connect(url, { from: '203.0.113.7' });
    let posted = 0;
    let refusedJoin = 0;
    const codes = new Set<string>();
    for (let round = 0; round < 40; round++) {
      const joined = await rejoin(troll, roomId, `Sock ${round}`);
      if (!joined.ok) {
        refusedJoin++;
        codes.add(joined.error.code);
        continue;
      }
      // Each fresh name has a fresh per-identity budget; the address's budget is shared by all of them.
      for (let i = 0; i < limits.writeBurst; i++) {
        const answer = await call(troll, 'post:create', { id: nanoid(), parentId: null, body: `flood ${round}.${i}` });
        if (answer.ok) posted++;
        else codes.add(answer.error.code);
      }
    }
    expect([...codes]).toEqual(['RATE_LIMITED']);
    // Within a window or two of the address budget, not 40 names × 20 posts.
    expect(posted).toBeLessThanOrEqual(budgets.writes.points * 3);
    expect(refusedJoin).toBeGreaterThan(0);
    const state = await server!.store.load(roomId);
    expect(Object.keys(state!.members).length).toBeLessThanOrEqual(1 + budgets.newIdentities.points);
  });

  it('cannot stuff the audience vote by re-joining as fresh viewers', async () => {
    const { url } = await hostileServer();
    const { host, roomId } = await openRoomFrom(url, '198.51.100.1');
    await ok(host, 'vote:manage', { vote: 'initial', action: 'open', hideResults: false });
    const stuffer = await connect(url, { from: '203.0.113.8' });
    let cast = 0;
    let refused: { code: string; message: string } | null = null;
    for (let i = 0; i < 150; i++) {
      const joined = await rejoin(stuffer, roomId);
      if (!joined.ok) continue;
      const ballot = await call(stuffer, 'vote:cast', { vote: 'initial', choice: 'against' });
      if (ballot.ok) cast++;
      else refused = ballot.error;
    }
    expect(cast).toBe(budgets.newIdentities.points);
    expect(refused?.code).toBe('RATE_LIMITED');
    expect(refused?.message).toMatch(/new names .* your network/);
    const state = await server!.store.load(roomId);
    expect(Object.keys(state!.votes.initial!.ballots)).toHaveLength(budgets.newIdentities.points);
    // An honest voter elsewhere still votes.
    const honest = await connect(url, { from: '192.0.2.50' });
    await ok(honest, 'room:join', { roomId, role: 'viewer' });
    await ok(honest, 'vote:cast', { vote: 'initial', choice: 'for' });
  });

  it('cannot flood a post with reports from fresh identities', async () => {
    const { url } = await hostileServer();
    const { host, roomId } = await openRoomFrom(url, '198.51.100.1');
    const target = nanoid();
    await ok(host, 'post:create', { id: target, parentId: null, body: 'A point someone dislikes' });
    const reporter = await connect(url, { from: '203.0.113.9' });
    for (let i = 0; i < 60; i++) {
      if ((await rejoin(reporter, roomId)).ok) await call(reporter, 'report:create', { postId: target, reason: 'spam' });
    }
    const state = await server!.store.load(roomId);
    expect(Object.values(state!.reports).filter((report) => report.postId === target)).toHaveLength(budgets.newIdentities.points);
  });

  it('cannot open thousands of rooms or flood joins and typing from one address', async () => {
    const { url } = await hostileServer();
    const opener = await connect(url, { from: '203.0.113.10' });
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => call(opener, 'room:create', { title: `Room ${i}` })));
    expect(answers.filter((answer) => answer.ok)).toHaveLength(budgets.rooms.points);
    const refusal = answers.find((answer) => !answer.ok);
    expect(refusal && !refusal.ok && refusal.error.code).toBe('RATE_LIMITED');

    const { host, roomId } = await openRoomFrom(url, '198.51.100.1');
    const joiner = await connect(url, { from: '203.0.113.11' });
    const joins = await Promise.all(Array.from({ length: budgets.joins.points + 20 }, () => rejoin(joiner, roomId)));
    expect(joins.filter((answer) => answer.ok)).toHaveLength(budgets.joins.points);

    const typist = await connect(url, { from: '203.0.113.12' });
    await ok(typist, 'room:join', { roomId, role: 'participant', name: 'Typist' });
    const heard: unknown[] = [];
    host.on('room:typing', (signal) => heard.push(signal));
    const signals = await Promise.all(Array.from({ length: 200 }, (_, i) => call(typist, 'typing:set', { parentId: null, typing: i % 2 === 0 })));
    expect(signals.filter((answer) => answer.ok).length).toBeLessThanOrEqual(budgets.typing.points);
  });
});

describe('a banned person coming back', () => {
  async function bannedTroll(coverNetwork?: boolean) {
    const { url } = await hostileServer();
    const { host, roomId } = await openRoomFrom(url, '198.51.100.1');
    const troll = await connect(url, { from: '203.0.113.20' });
    const first = await ok(troll, 'room:join', { roomId, role: 'participant', name: 'Troll' });
    // Someone else on the troll's network (a flatmate), in the room before the ban.
    const flatmate = await connect(url, { from: '203.0.113.20' });
    await ok(flatmate, 'room:join', { roomId, role: 'participant', name: 'Flatmate' });
    await ok(host, 'mod:member', { action: 'ban', memberId: first.me.id!, reason: 'insults', ...(coverNetwork === undefined ? {} : { coverNetwork }) });
    const viewer = await connect(url, { from: '192.0.2.60' });
    const watching = opened(await ok(viewer, 'room:join', { roomId, role: 'viewer' }));
    const evader = await connect(url, { from: '203.0.113.20' });
    const again = await ok(evader, 'room:join', { roomId, role: 'participant', name: 'Totally New' });
    return { url, host, roomId, flatmate, viewer, watching, evader, evaderId: again.me.id! };
  }

  it('under a new name, from the same network: their posts wait for review and they cannot vote', async () => {
    const { host, roomId, evader, flatmate, viewer } = await bannedTroll();
    const id = nanoid();
    const answer = await ok(evader, 'post:create', { id, parentId: null, body: 'I am back, losers' });
    expect(answer.held).toBe(true);
    await ok(host, 'vote:manage', { vote: 'initial', action: 'open', hideResults: false });
    const ballot = await call(evader, 'vote:cast', { vote: 'initial', choice: 'for' });
    expect(ballot.ok ? null : ballot.error.code).toBe('FORBIDDEN');

    const state = (await server!.store.load(roomId))!;
    expect(state.posts[id]).toBeUndefined();
    expect(state.held[id]).toMatchObject({ why: 'network', body: 'I am back, losers' });
    // Nobody outside the moderators reads it, and nobody at all is told where anyone connects from.
    const seen = eventsOf(await ok(viewer, 'room:sync', { since: 0 }));
    expect(JSON.stringify(seen)).not.toContain('I am back');
    const modView = eventsOf(await ok(host, 'room:sync', { since: 0 }));
    expect(JSON.stringify(modView)).toContain('I am back');
    expect(JSON.stringify(modView)).not.toMatch(/addressKey|ofMember|203\.0\.113/);
    // Someone who was already in the room on that network is not punished for it.
    const fine = await ok(flatmate, 'post:create', { id: nanoid(), parentId: null, body: 'Not me, I was here first' });
    expect(fine.held).toBeUndefined();
  });

  it('is not held when the host chose not to cover the network, or after an unban', async () => {
    const uncovered = await bannedTroll(false);
    const free = await ok(uncovered.evader, 'post:create', { id: nanoid(), parentId: null, body: 'posted at once' });
    expect(free.held).toBeUndefined();
    disconnectAll();
    await server!.close();

    const covered = await bannedTroll();
    const state = (await server!.store.load(covered.roomId))!;
    const troll = Object.values(state.members).find((member) => member.name === 'Troll')!;
    await ok(covered.host, 'mod:member', { action: 'unban', memberId: troll.id });
    const after = await ok(covered.evader, 'post:create', { id: nanoid(), parentId: null, body: 'after the unban' });
    expect(after.held).toBeUndefined();
  });
});

const redisUrl = redisUrlForTests();
const gate = await redisTestGate(redisUrl);
if (gate.failure) it('needs Redis', () => expect.fail(gate.failure!));

describe.skipIf(gate.skip)('limits that hold across nodes', () => {
  it('two nodes sharing Redis share one address budget', async () => {
    const client = createClient({ url: redisUrl });
    await client.connect();
    const prefix = uniqueKeyPrefix();
    const rules = { ...budgets, rooms: { points: 6, seconds: 3_600 } };
    const nodes: TestServer[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        nodes.push(await startTestServer({ addressRules: rules, trustedProxies: new Set(['127.0.0.1']), limits: limitFactory(client, prefix) }));
      }
      let opened = 0;
      for (let i = 0; i < 10; i++) {
        const socket = await connect(nodes[i % 2]!.url, { from: '203.0.113.30' });
        if ((await call(socket, 'room:create', { title: `Room ${i}` })).ok) opened++;
      }
      expect(opened).toBe(6);
    } finally {
      disconnectAll();
      for (const node of nodes) await node.close();
      await client.close();
      await deleteKeys(redisUrl, prefix);
    }
  });
});
