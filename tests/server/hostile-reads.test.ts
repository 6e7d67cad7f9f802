import { nanoid } from 'nanoid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { limitFactory } from '../../server/rate-limits.js';
import { DEFAULT_READ_BUDGET, type ReadBudget } from '../../server/read-meter.js';
import { openRedisStore } from '../../server/store/redis.js';
import type { Ack } from '../../shared/ack.js';
import { limits } from '../../shared/limits.js';
import { foldEvents } from '../../shared/room-state.js';
import { call, connect, disconnectAll, ok, until, type TestSocket } from '../helpers/client.js';
import { deleteKeys, redisTestGate, redisUrlForTests, uniqueKeyPrefix } from '../helpers/redis.js';
import { eventsOf, pageOf, snapshotOf } from '../helpers/snapshot.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { StalledClient } from '../helpers/stalled-client.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';

/**
 * What an attacker tried against `npm start`: small requests for big answers (catch-up from 0, pages of long
 * posts, twenty at once, from fresh identities), a socket that asks and never reads, and catch-up as a way
 * to read what authors deleted or replaced. Every read is metered, bounded and served from one encoding.
 */

const servers: TestServer[] = [];
async function serve(opts: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer(opts);
  servers.push(server);
  return server;
}
afterEach(disconnectAll);
afterAll(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const MB = 1_000_000;
/** A post as long as a post may be, tagged so it can be told apart. */
const longBody = (tag: string) => `${tag} ${'x'.repeat(limits.bodyMax - tag.length - 1)}`;

/** What a value takes on the wire: its binary attachments' bytes plus the JSON around them. */
function wireBytes(value: unknown): number {
  let binary = 0;
  const json = JSON.stringify(value, function (this: Record<string, unknown>, key, replaced: unknown) {
    const raw = this[key];
    if (raw instanceof Uint8Array || raw instanceof ArrayBuffer) {
      binary += raw.byteLength;
      return null;
    }
    return replaced;
  });
  return binary + Buffer.byteLength(json);
}

/** A room of `threads` top-level posts of 10,000 characters each (about 10 KB apiece). */
async function roomOfLongPosts(server: TestServer, threads: number) {
  const room = await openRoom(server.url);
  const author = (await joinAs(server.url, room.roomId, 'Author')).socket;
  const roots = Array.from({ length: threads }, () => nanoid());
  await Promise.all(roots.map((id, t) => ok(author, 'post:create', { id, parentId: null, body: longBody(`thread ${t}`) })));
  return { ...room, author, roots };
}

describe('every answer is bounded in bytes', () => {
  let server: TestServer;
  let room: Awaited<ReturnType<typeof roomOfLongPosts>>;
  beforeAll(async () => {
    server = await serve();
    room = await roomOfLongPosts(server, 300);
  });

  it('a catch-up from far behind is the windowed snapshot, not megabytes of events', async () => {
    const viewer = await joinAs(server.url, room.roomId, null);
    const synced = await ok(viewer.socket, 'room:sync', { since: 0 });
    expect(wireBytes(synced)).toBeLessThanOrEqual(limits.readAnswerMaxBytes);
    const seq = (await server.store.load(room.roomId))!.seq;
    expect(snapshotOf(synced).snapshot.seq).toBe(seq);
    const rejoined = await ok(await connect(server.url), 'room:join', { roomId: room.roomId, role: 'viewer', token: viewer.token, since: 1 });
    expect(wireBytes(rejoined)).toBeLessThanOrEqual(limits.readAnswerMaxBytes);
    expect(snapshotOf(rejoined.start).snapshot.seq).toBe(seq);
  });

  it('a page of long posts stops at a byte budget, and paging still reaches every thread', async () => {
    const viewer = await joinAs(server.url, room.roomId, null);
    const seen = new Set(Object.keys(viewer.joined.snapshot.posts));
    let cursor = Math.min(...Object.values(viewer.joined.snapshot.posts).map((p) => p.createdAt));
    let pages = 0;
    for (let more = viewer.joined.more; more; pages++) {
      const answer = await ok(viewer.socket, 'room:posts', { before: cursor });
      expect(wireBytes(answer)).toBeLessThanOrEqual(limits.readAnswerMaxBytes);
      const page = pageOf(answer);
      for (const p of page.posts) seen.add(p.id);
      cursor = page.cursor ?? cursor;
      more = page.more;
      expect(pages).toBeLessThan(100);
    }
    expect(room.roots.filter((id) => !seen.has(id))).toEqual([]);
  });

  it('a thread too big for one answer comes cut, with the way down to the post asked for', async () => {
    const { roomId, author } = await openRoom(server.url).then(async (r) => ({ ...r, author: (await joinAs(server.url, r.roomId, 'Talker')).socket }));
    const root = await post(author, 'a thread that never ends');
    const replies = Array.from({ length: 150 }, () => nanoid());
    await Promise.all(replies.map((id, i) => ok(author, 'post:create', { id, parentId: root.id, body: longBody(`reply ${i}`) })));
    const viewer = await joinAs(server.url, roomId, null);
    const asked = replies[140];
    const answer = await ok(viewer.socket, 'room:posts', { postId: asked });
    expect(wireBytes(answer)).toBeLessThanOrEqual(limits.readAnswerMaxBytes);
    const posts = pageOf(answer).posts;
    const ids = new Set(posts.map((p) => p.id));
    expect(ids.has(root.id) && ids.has(asked)).toBe(true);
    for (const p of posts) if (p.parentId) expect(ids.has(p.parentId)).toBe(true);
    expect(wireBytes(viewer.joined)).toBeLessThanOrEqual(limits.readAnswerMaxBytes);
  });
});

describe('the same question is answered from one encoding', () => {
  it('twenty identical catch-ups at once read the log once and get the same bytes', async () => {
    const server = await serve();
    const { host, roomId } = await openRoom(server.url);
    for (let i = 0; i < 30; i++) await post(host, `point ${i}`);
    const viewers = await Promise.all(Array.from({ length: 20 }, () => joinAs(server.url, roomId, null)));
    let logReads = 0;
    const eventsSince = server.store.eventsSince.bind(server.store);
    server.store.eventsSince = (...args) => (logReads++, eventsSince(...args));
    const answers = await Promise.all(viewers.map((viewer) => ok(viewer.socket, 'room:sync', { since: 2 })));
    expect(logReads).toBe(1);
    const first = answers[0];
    if (first.kind !== 'events') throw new Error('expected the missed events');
    expect(eventsOf(first)).toHaveLength(30);
    for (const answer of answers) {
      expect(Buffer.isBuffer(answer.encoded)).toBe(true);
      expect(Buffer.from(answer.encoded as Uint8Array).equals(Buffer.from(first.encoded as Uint8Array))).toBe(true);
    }
  });

  it('identical page requests are encoded once and kept once', async () => {
    const server = await serve();
    const room = await roomOfLongPosts(server, 40);
    const viewers = await Promise.all(Array.from({ length: 10 }, () => joinAs(server.url, room.roomId, null)));
    const cached = server.app.context.readCache.size;
    const answers = await Promise.all(viewers.map((viewer) => ok(viewer.socket, 'room:posts', { before: null })));
    const bytes = answers.map((answer) => Buffer.from(answer.encoded as Uint8Array));
    for (const page of bytes) expect(page.equals(bytes[0])).toBe(true);
    expect(server.app.context.readCache.size - cached).toBeLessThan(bytes[0].byteLength + 1_000);
  });
});

// The default numbers in a window long enough that a slow, shared machine cannot see it roll over mid-test.
const DEFAULT_BUDGET_LONG_WINDOW: ReadBudget = { ...DEFAULT_READ_BUDGET, seconds: 3_600 };

describe('reads are metered per identity and per address', () => {
  const budget = (perIdentity: Partial<ReadBudget['perIdentity']>, perAddress: Partial<ReadBudget['perAddress']>): ReadBudget => ({
    seconds: 60,
    perIdentity: { requests: 1_000, bytes: 1e9, ...perIdentity },
    perAddress: { requests: 1_000, bytes: 1e9, ...perAddress },
  });
  const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
  const refusal = (answer: Ack<unknown>) => (answer.ok ? null : answer.error);

  it('one identity gets so many requests per window, wherever it connects from; others still read', async () => {
    const server = await serve({ readBudget: budget({ requests: 4 }, {}), trustedProxies: new Set(['127.0.0.1']) });
    const { roomId } = await openRoom(server.url);
    const viewer = await connect(server.url, from('198.51.100.1'));
    const { token } = await ok(viewer, 'room:join', { roomId, role: 'viewer' });
    for (let i = 0; i < 2; i++) await ok(viewer, 'room:sync', { since: 0 });
    // The same identity from another address: the same budget (its fourth read is the last).
    const elsewhere = await connect(server.url, from('198.51.100.2'));
    await ok(elsewhere, 'room:join', { roomId, role: 'viewer', token });
    const refused = refusal(await call(elsewhere, 'room:sync', { since: 0 }));
    expect(refused?.code).toBe('RATE_LIMITED');
    expect(refused?.message).toMatch(/^You are asking for this room too often; try again in \d+ s\.$/);
    expect(refusal(await call(viewer, 'room:sync', { since: 0 }))?.code).toBe('RATE_LIMITED');
    const other = await joinAs(server.url, roomId, null);
    await ok(other.socket, 'room:sync', { since: 0 });
  });

  it('fresh identities from one address share its budget; another address has its own', async () => {
    const server = await serve({ readBudget: budget({}, { requests: 5 }), trustedProxies: new Set(['127.0.0.1']) });
    const { roomId } = await openRoom(server.url);
    const joins: (string | null)[] = [];
    for (let i = 0; i < 7; i++) {
      const answer = await call(await connect(server.url, from('203.0.113.9')), 'room:join', { roomId, role: 'viewer' });
      joins.push(refusal(answer)?.code ?? 'ok');
    }
    expect(joins).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
    await ok(await connect(server.url, from('203.0.113.10')), 'room:join', { roomId, role: 'viewer' });
  });

  it('bytes are spent as they are answered: an address gets so many megabytes per window', async () => {
    const server = await serve({ readBudget: budget({}, { bytes: 2 * MB }), trustedProxies: new Set(['127.0.0.1']) });
    const room = await roomOfLongPosts(server, 80);
    let answered = 0;
    let refused: ReturnType<typeof refusal> = null;
    for (let i = 0; i < 40 && !refused; i++) {
      const answer = await call(await connect(server.url, from('192.0.2.44')), 'room:join', { roomId: room.roomId, role: 'viewer' });
      refused = refusal(answer);
      if (!refused) answered += wireBytes(answer);
    }
    expect(refused?.code).toBe('RATE_LIMITED');
    expect(refused?.message).toMatch(/^You have downloaded a lot of this room in a short time; try again in \d+ s\.$/);
    expect(answered).toBeGreaterThan(MB);
    expect(answered).toBeLessThanOrEqual(2 * MB);
  });

  it('with the default budget, an identity gets its requests and then a plain refusal', async () => {
    const server = await serve({ readBudget: DEFAULT_BUDGET_LONG_WINDOW });
    const { roomId } = await openRoom(server.url);
    const viewer = await joinAs(server.url, roomId, null);
    const answers: (string | null)[] = [];
    for (let i = 1; i <= DEFAULT_READ_BUDGET.perIdentity.requests; i++) answers.push(refusal(await call(viewer.socket, 'room:sync', { since: 0 }))?.code ?? 'ok');
    // The join was the first read.
    expect(answers.filter((code) => code === 'ok')).toHaveLength(DEFAULT_READ_BUDGET.perIdentity.requests - 1);
    expect(answers.at(-1)).toBe('RATE_LIMITED');
  });

  it('with the default budget, an address gets its requests over any number of identities', async () => {
    const server = await serve({ readBudget: DEFAULT_BUDGET_LONG_WINDOW });
    const { roomId } = await openRoom(server.url);
    let served = 1; // the host's join
    let refused: ReturnType<typeof refusal> = null;
    // Each identity stays within its own budget: what refuses is the address's.
    for (let identities = 0; !refused && identities < 20; identities++) {
      const socket = await connect(server.url);
      refused = refusal(await call(socket, 'room:join', { roomId, role: 'viewer' }));
      if (!refused) served++;
      for (let i = 1; i < DEFAULT_READ_BUDGET.perIdentity.requests && !refused; i++) {
        refused = refusal(await call(socket, 'room:sync', { since: 0 }));
        if (!refused) served++;
      }
      socket.disconnect();
    }
    expect(refused?.message).toMatch(/^You are asking for this room too often; try again in \d+ s\.$/);
    expect(served).toBe(DEFAULT_READ_BUDGET.perAddress.requests);
  });

  it('with the default budget, an identity gets its megabytes of a big room and then a plain refusal', async () => {
    const server = await serve({ readBudget: DEFAULT_BUDGET_LONG_WINDOW });
    const room = await roomOfLongPosts(server, 120);
    const viewer = await joinAs(server.url, room.roomId, null);
    let answered = wireBytes(viewer.joined);
    let refused: ReturnType<typeof refusal> = null;
    for (let i = 0; i < DEFAULT_READ_BUDGET.perIdentity.requests && !refused; i++) {
      const answer = await call(viewer.socket, 'room:sync', { since: 0 });
      refused = refusal(answer);
      if (!refused) answered += wireBytes(answer);
    }
    expect(refused?.message).toMatch(/downloaded a lot/);
    expect(answered).toBeLessThanOrEqual(DEFAULT_READ_BUDGET.perIdentity.bytes);
  });
});

const redisUrl = redisUrlForTests();
const gate = await redisTestGate(redisUrl);
if (gate.failure) it('needs Redis', () => expect.fail(gate.failure!));

describe.skipIf(gate.skip)('with Redis, the read budget holds across nodes', () => {
  const prefix = uniqueKeyPrefix();
  const redis = createClient({ url: redisUrl });
  afterAll(async () => {
    await redis.close();
    await deleteKeys(redisUrl, prefix);
  });

  it('an address that reads from two nodes spends one budget', async () => {
    await redis.connect();
    const budget: ReadBudget = { seconds: 60, perIdentity: { requests: 1_000, bytes: 1e9 }, perAddress: { requests: 4, bytes: 1e9 } };
    const nodes = [];
    for (let i = 0; i < 2; i++) {
      nodes.push(await serve({ store: await openRedisStore({ url: redisUrl, keyPrefix: prefix }), limits: limitFactory(redis, `${prefix}rl`), readBudget: budget }));
    }
    const { roomId } = await openRoom(nodes[0].url);
    await ok(await connect(nodes[1].url), 'room:join', { roomId, role: 'viewer' });
    const viewer = await connect(nodes[1].url);
    await ok(viewer, 'room:join', { roomId, role: 'viewer' });
    await ok(viewer, 'room:sync', { since: 0 });
    const refused = await call(await connect(nodes[0].url), 'room:join', { roomId, role: 'viewer' });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('RATE_LIMITED');
  });
});

describe('a socket that stops reading is dropped, not fed', () => {
  const settleMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('asking for big answers without reading them: cut off, and the server does not hold what it could not send', async () => {
    const server = await serve();
    const room = await roomOfLongPosts(server, 300);
    const sockets = server.app.io.of('/').sockets;
    const stalled = await StalledClient.open(server.url);
    await stalled.request('room:join', { roomId: room.roomId, role: 'viewer' });
    const connected = sockets.size;
    stalled.stopReading();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    for (let i = 0; i < 120 && sockets.size === connected; i++) {
      stalled.emit('room:sync', { since: 0 });
      stalled.emit('room:posts', { before: null });
      await settleMs(10);
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    await until(() => sockets.size === connected - 1, 'the stalled socket dropped', 10_000);
    stalled.close();
    expect(peak - rssBefore).toBeLessThan(150 * MB);
    // Everyone else is served as before.
    const viewer = await joinAs(server.url, room.roomId, null);
    await ok(viewer.socket, 'room:sync', { since: 0 });
  });

  it('a viewer that stops reading live frames is dropped by the sweep', async () => {
    const server = await serve({ sendBufferMaxBytes: 1 * MB });
    const { roomId, host } = await openRoom(server.url);
    const sockets = server.app.io.of('/').sockets;
    const stalled = await StalledClient.open(server.url);
    await stalled.request('room:join', { roomId, role: 'viewer' });
    const reading: TestSocket = (await joinAs(server.url, roomId, null)).socket;
    const connected = sockets.size;
    stalled.stopReading();
    let sent = 0;
    for (; sent < 2_000 && sockets.size === connected; sent++) {
      await ok(host, 'post:create', { id: nanoid(), parentId: null, body: longBody(`live ${sent}`) });
      if (sent % 50 === 49) await settleMs(limits.sendBufferSweepMs / 4);
    }
    await until(() => sockets.size === connected - 1, 'the stalled viewer dropped', 10_000);
    stalled.close();
    expect(sent).toBeLessThan(2_000);
    // The viewer that reads is still there and got everything.
    await until(() => reading.received.filter((e) => e.type === 'post.created').length === sent, 'every post live');
  });
});

describe('catch-up never serves what an author deleted or replaced', () => {
  it('a fresh viewer catching up from 0 gets only current text; moderators get the log; a live viewer saw the edit arrive', async () => {
    const server = await serve();
    const { roomId, hostToken } = await openRoom(server.url);
    const author = await joinAs(server.url, roomId, 'Author');
    const live = await joinAs(server.url, roomId, null);
    const kept = await post(author.socket, 'first draft of my argument');
    await ok(author.socket, 'post:edit', { postId: kept.id, body: 'my argument, as I meant it' });
    const gone = await post(author.socket, 'something I regret saying');
    await ok(author.socket, 'post:delete', { postId: gone.id });
    await until(() => live.socket.received.some((e) => e.type === 'post.deleted'), 'the delete live');
    expect(live.socket.received.find((e) => e.type === 'post.edited')).toMatchObject({ body: 'my argument, as I meant it' });

    const fresh = await connect(server.url);
    const joined = await ok(fresh, 'room:join', { roomId, role: 'viewer', since: 0 });
    const synced = await ok(fresh, 'room:sync', { since: 0 });
    const snapshot = snapshotOf((await ok(await connect(server.url), 'room:join', { roomId, role: 'viewer' })).start).snapshot;
    for (const served of [eventsOf(joined.start), eventsOf(synced)]) {
      const text = JSON.stringify(served);
      expect(text).not.toContain('first draft');
      expect(text).not.toContain('regret');
      expect(foldEvents(served)).toEqual(snapshot);
    }
    const host = await connect(server.url);
    const moderators = eventsOf((await ok(host, 'room:join', { roomId, role: 'participant', token: hostToken, since: 0 })).start);
    expect(JSON.stringify(moderators)).toContain('first draft');
    expect(JSON.stringify(moderators)).toContain('regret');
  });
});
