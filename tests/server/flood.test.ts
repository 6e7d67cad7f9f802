import { nanoid } from 'nanoid';
import { afterEach, describe, expect, it } from 'vitest';
import { limits } from '../../shared/limits.js';
import { call, connect, disconnectAll, ok, type TestSocket } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer | null = null;
afterEach(async () => {
  disconnectAll();
  await server?.close();
  server = null;
});

const FLOOD_MS = 5_000;
const budgets = limits.perAddress;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

describe('a flood from one address', () => {
  it('50 identities posting and voting flat out: honest members’ posts all land quickly, the flood is capped, memory stays bounded', async () => {
    server = await startTestServer({ addressRules: budgets, trustedProxies: new Set(['127.0.0.1']), writeRate: { burst: limits.writeBurst, perSecond: limits.writesPerSecond } });
    const { url } = server;
    const host = await connect(url, { from: '198.51.100.1' });
    const created = await ok(host, 'room:create', { title: 'This house believes the flood will not win' });
    const roomId = created.roomId;
    await ok(host, 'room:join', { roomId, role: 'participant', name: 'Host', token: created.hostToken });
    await ok(host, 'vote:manage', { vote: 'initial', action: 'open', hideResults: false });

    const honest: TestSocket[] = [];
    for (const [i, from] of ['192.0.2.10', '192.0.2.11'].entries()) {
      const socket = await connect(url, { from });
      await ok(socket, 'room:join', { roomId, role: 'participant', name: `Honest ${i}` });
      honest.push(socket);
    }

    // The attacker mints as many identities as the address allows, each on its own socket.
    const flooders: TestSocket[] = [];
    for (let i = 0; i < 50; i++) {
      const socket = await connect(url, { from: '203.0.113.66' });
      const joined = await call(socket, 'room:join', { roomId, role: 'participant', name: `Flood ${i}` });
      if (joined.ok) flooders.push(socket);
    }
    expect(flooders).toHaveLength(budgets.newIdentities.points);

    const rssBefore = process.memoryUsage().rss;
    const end = Date.now() + FLOOD_MS;
    let floodAccepted = 0;
    let floodRefused = 0;
    const flood = flooders.map(async (socket, i) => {
      for (let n = 0; Date.now() < end; n++) {
        const answer = n % 5 === 0
          ? await call(socket, 'vote:cast', { vote: 'initial', choice: n % 2 ? 'for' : 'against' })
          : await call(socket, 'post:create', { id: nanoid(), parentId: null, body: `flood ${i}.${n} `.repeat(40) });
        if (answer.ok) floodAccepted++;
        else floodRefused++;
      }
    });
    const latencies: number[] = [];
    const honestIds: string[] = [];
    const talk = honest.map(async (socket, i) => {
      while (Date.now() < end) {
        const id = nanoid();
        const started = performance.now();
        await ok(socket, 'post:create', { id, parentId: null, body: `An honest point ${i}` });
        latencies.push(performance.now() - started);
        honestIds.push(id);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    });
    await Promise.all([...flood, ...talk]);
    const rssGrowth = process.memoryUsage().rss - rssBefore;

    const state = (await server.store.load(roomId))!;
    for (const id of honestIds) expect(state.posts[id]).toBeDefined();
    const sorted = latencies.sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    // The address budget is a fixed window: at most one window's worth per window started, plus one.
    const cap = budgets.writes.points * (Math.ceil(FLOOD_MS / 1000 / budgets.writes.seconds) + 1);
    console.log(
      `flood: ${flooders.length} identities, ${floodAccepted} writes accepted (cap ${cap}), ${floodRefused} refused; ` +
        `honest: ${honestIds.length} posts, ack p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; RSS +${(rssGrowth / 2 ** 20).toFixed(1)} MB`,
    );
    expect(floodAccepted).toBeLessThanOrEqual(cap);
    expect(floodRefused).toBeGreaterThan(floodAccepted);
    expect(honestIds.length).toBeGreaterThanOrEqual(10);
    expect(p99).toBeLessThan(1_000);
    expect(rssGrowth).toBeLessThan(200 * 2 ** 20);
  });
});
