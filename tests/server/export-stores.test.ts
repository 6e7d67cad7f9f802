import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect as connectTcp, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../shared/room-events.js';
import { foldEvents } from '../../shared/room-state.js';
import { redactState } from '../../shared/redact.js';
import type { RoomExport } from '../../shared/schemas/export.js';
import { openRedisStore } from '../../server/store/redis.js';
import { readBody, sendError } from '../../server/record/http-body.js';
import { call, disconnectAll, ok } from '../helpers/client.js';
import { deleteKeys, redisTestGate, redisUrlForTests, uniqueKeyPrefix } from '../helpers/redis.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';

const servers: TestServer[] = [];
afterEach(async () => {
  disconnectAll();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(opts: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer(opts);
  servers.push(server);
  return server;
}

const exportJson = async (url: string, roomId: string, token?: string) => {
  const res = await fetch(`${url}/api/rooms/${roomId}/export.json`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(res.status).toBe(200);
  return (await res.json()) as RoomExport;
};

/** A room longer than what the embedded store holds in memory (about 1,000 events), so old events come from its file. */
async function longRoom(url: string, reactions = 1_400) {
  const { host, roomId, hostToken } = await openRoom(url);
  const { id } = await post(host, 'react to me');
  await Promise.all(Array.from({ length: reactions }, (_, i) => ok(host, 'reaction:set', { postId: id, emoji: '👍', on: i % 2 === 0 })));
  return { host, roomId, hostToken };
}

describe('the record read back from the store', () => {
  it('exports a room whose early events only the embedded store’s file still holds, after a restart too', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'debate-record-'));
    try {
      const first = await startTestServer({ dataDir });
      const { roomId, hostToken } = await longRoom(first.url);
      const before = await exportJson(first.url, roomId, hostToken);
      expect(before.events.map((e) => e.seq)).toEqual(before.events.map((_, i) => i + 1));
      await first.close();
      const second = await serve({ dataDir });
      const after = await exportJson(second.url, roomId, hostToken);
      expect(after.events).toEqual(before.events);
      expect(foldEvents(after.events as RoomEvent[])).toEqual(redactState((await second.store.load(roomId))!, 'moderators'));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

const gate = await redisTestGate();
describe.skipIf(gate.skip)('the record with Redis', () => {
  it('exports from the stream and imports through it', async () => {
    const url = redisUrlForTests();
    const keyPrefix = uniqueKeyPrefix();
    try {
      const server = await serve({ store: await openRedisStore({ url, keyPrefix }) });
      const { roomId, hostToken } = await longRoom(server.url, 300);
      const first = await exportJson(server.url, roomId, hostToken);
      expect(first.events).toHaveLength(302 + 1);
      const res = await fetch(`${server.url}/api/rooms/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(first) });
      expect(res.status).toBe(201);
      const imported = (await res.json()) as { roomId: string; hostToken: string };
      const second = await exportJson(server.url, imported.roomId, imported.hostToken);
      expect(second.events.slice(1)).toEqual(first.events.slice(1));
    } finally {
      await deleteKeys(url, keyPrefix);
    }
  }, 60_000);
});
if (gate.failure) it('needs Redis', () => expect.fail(gate.failure!));

describe('budgets per address', () => {
  it('counts replay pages and exports together, in requests and in bytes, and says when to come back', async () => {
    const server = await serve({ recordBudget: { recordReads: { points: 4, seconds: 60 }, recordBytes: { points: 1e9, seconds: 60 }, imports: { points: 1, seconds: 3_600 } } });
    const { host, roomId } = await openRoom(server.url);
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/api/rooms/${roomId}/export.md`)).status).toBe(200);
    expect((await call(host, 'room:history', { from: 0 })).ok).toBe(true);
    const page = await call(host, 'room:history', { from: 0 });
    expect(page.ok ? null : page.error).toEqual({ code: 'RATE_LIMITED', message: expect.stringMatching(/^You are asking for room records too often; try again in \d+ s\.$/) });
    const res = await fetch(`${server.url}/api/rooms/${roomId}/export.json`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
  });

  it('refuses an answer bigger than what is left of the byte budget, without spending it', async () => {
    const server = await serve({ recordBudget: { recordReads: { points: 100, seconds: 60 }, recordBytes: { points: 6_000, seconds: 60 }, imports: { points: 1, seconds: 3_600 } } });
    const { host, roomId } = await openRoom(server.url);
    for (let i = 0; i < 30; i++) await post(host, `an argument of some length, number ${i}, to fill the log`);
    const tooBig = await call(host, 'room:history', { from: 0 });
    expect(tooBig.ok ? null : tooBig.error.code).toBe('RATE_LIMITED');
    // What is left still buys a smaller answer.
    expect((await call(host, 'room:history', { from: 0, limit: 5 })).ok).toBe(true);
    expect((await fetch(`${server.url}/api/rooms/${roomId}/export.json`)).status).toBe(429);
  });

  it('allows an address a few imports an hour', async () => {
    const server = await serve({ recordBudget: { recordReads: { points: 100, seconds: 60 }, recordBytes: { points: 1e9, seconds: 60 }, imports: { points: 1, seconds: 3_600 } } });
    const { roomId } = await openRoom(server.url);
    const body = JSON.stringify(await exportJson(server.url, roomId));
    const send = () => fetch(`${server.url}/api/rooms/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await send()).status).toBe(201);
    const second = await send();
    expect(second.status).toBe(429);
    expect(((await second.json()) as { error: { message: string } }).error.message).toMatch(/^Your network has imported several rooms; try again in \d+ min\.$/);
    expect((await joinAs(server.url, roomId, null)).joined.snapshot.room.id).toBe(roomId);
  });
});

describe('reading an import’s body', () => {
  it('cuts off an upload that trickles in, so it cannot hold an import slot', async () => {
    const answers: string[] = [];
    const http: Server = createServer((req, res) => {
      readBody(req, 1_000_000, 300).then(
        (body) => res.end(`read ${body.length}`),
        (error: Error) => {
          answers.push(error.message);
          sendError(res, error);
        },
      );
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const socket = connectTcp((http.address() as AddressInfo).port, '127.0.0.1');
    socket.write('POST /api/rooms/import HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"a":');
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.on('error', () => {});
    await closed;
    expect(answers).toEqual(['The upload took too long; try again.']);
    await new Promise((resolve) => http.close(resolve));
  });
});
