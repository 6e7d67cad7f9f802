import { beforeAll, describe, expect, it } from 'vitest';
import { redactState } from '../../shared/redact.js';
import type { RoomEvent } from '../../shared/room-events.js';
import { foldEvents } from '../../shared/room-state.js';
import { RoomExportSchema, type RoomExport } from '../../shared/schemas/export.js';
import { call, connect, ok } from '../helpers/client.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';
import { recordScene, SECRETS, type RecordScene } from '../helpers/record-scene.js';

const server = useTestServer();
let scene: RecordScene;
beforeAll(async () => {
  scene = await recordScene(server.url);
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });
const exportOf = async (roomId: string, headers: Record<string, string> = {}) => {
  const res = await get(`/api/rooms/${roomId}/export.json`, headers);
  expect(res.status).toBe(200);
  return (await res.json()) as RoomExport;
};
const importing = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/rooms/import`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('JSON export', () => {
  it('is the log as the public may see it: enough to rebuild the room, with nothing only moderators may read', async () => {
    const res = await get(`/api/rooms/${scene.roomId}/export.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="should-cities-ban-cars-${scene.roomId}.json"`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const text = await res.text();
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/addressKey|heldword/);
    const doc = RoomExportSchema.parse(JSON.parse(text));
    expect(doc).toMatchObject({ format: 'debate-room-export', version: 1, audience: 'public', seq: scene.seq });
    const state = (await server.store.load(scene.roomId))!;
    // Folded, the export is the room exactly as the public is served it.
    expect(foldEvents(doc.events as RoomEvent[])).toEqual(redactState(state, 'public'));
    const ballots = doc.events.filter((event) => event.type === 'vote.cast');
    expect(ballots.map((event) => event.choice)).toEqual(['', '']);
    expect(doc.events.find((event) => event.type === 'post.removed')?.actorId).toBe('');
  });

  it('gives moderators the moderators’ record (never where anyone connects from)', async () => {
    for (const token of [scene.host.token, scene.mod.token]) {
      const doc = await exportOf(scene.roomId, bearer(token));
      expect(doc.audience).toBe('moderators');
      const text = JSON.stringify(doc);
      for (const secret of [SECRETS.removed, SECRETS.held, SECRETS.reportReason, SECRETS.deleted, SECRETS.replaced]) expect(text).toContain(secret);
      expect(text).not.toMatch(/addressKey/);
      expect(foldEvents(doc.events)).toEqual(redactState((await server.store.load(scene.roomId))!, 'moderators'));
    }
    // A participant's or a viewer's token reads as the public.
    for (const token of [scene.bea.token, scene.viewer.token]) expect((await exportOf(scene.roomId, bearer(token))).audience).toBe('public');
  });

  it('answers a missing room, a bad token, a wrong method and an unknown address with a code and a sentence', async () => {
    const cases: [Promise<Response>, number, string][] = [
      [get('/api/rooms/nosuchroom1/export.json'), 404, 'NOT_FOUND'],
      [get('/api/rooms/..%2F..%2Fetc/export.md'), 404, 'NOT_FOUND'],
      [get(`/api/rooms/${scene.roomId}/export.json`, { authorization: 'Bearer not a token!' }), 400, 'INVALID_PAYLOAD'],
      [fetch(`${server.url}/api/rooms/${scene.roomId}/export.json`, { method: 'DELETE' }), 405, 'INVALID_PAYLOAD'],
      [get('/api/rooms/import'), 405, 'INVALID_PAYLOAD'],
      [get('/api/nothing-here'), 404, 'NOT_FOUND'],
      [get(`/api/rooms/${scene.roomId}/export.json`, { origin: 'https://evil.example' }), 403, 'FORBIDDEN'],
    ];
    for (const [answer, status, code] of cases) {
      const res = await answer;
      expect(res.status).toBe(status);
      expect(res.headers.get('content-security-policy')).toBeTruthy();
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.message).toMatch(/^[A-Z].+\.$/);
    }
  });
});

describe('Markdown export', () => {
  it('reads as a document, and the public’s holds no moderator-only text', async () => {
    const res = await get(`/api/rooms/${scene.roomId}/export.md`);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const text = await res.text();
    expect(text).toMatch(/^# Should cities ban cars\?\n\n> \*\*Motion:\*\* The motion under debate\n/);
    expect(text).toContain('- **Bea** · Against · *✗ rebuts Host* ·');
    expect(text).toContain('👍 1 · 🔥 1');
    expect(text).toContain('*[deleted by its author]*');
    expect(text).toContain('*[removed by a moderator: “off topic”]*');
    expect(text).toContain('- **Opening vote** (open since');
    expect(text).toContain('A moderator banned **Troll** (and removed their posts): “trolling”');
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    const forHost = await (await get(`/api/rooms/${scene.roomId}/export.md`, bearer(scene.host.token))).text();
    expect(forHost).toContain(SECRETS.removed);
    expect(forHost).toContain('## Held for review (moderators only)');
  });
});

describe('who may export', () => {
  it('is the host’s choice: off, only moderators may; a moderator cannot change it', async () => {
    const { host, roomId } = await openRoom(server.url);
    const mod = await joinAs(server.url, roomId, 'Mod');
    const bea = await joinAs(server.url, roomId, 'Bea');
    await ok(host, 'mod:member', { action: 'promote', memberId: mod.id });
    const refused = await call(mod.socket, 'mod:room', { action: 'settings', settings: { publicExport: false } });
    expect(refused.ok ? null : refused.error.code).toBe('FORBIDDEN');
    expect((await get(`/api/rooms/${roomId}/export.md`)).status).toBe(200);
    await ok(host, 'mod:room', { action: 'settings', settings: { publicExport: false } });
    for (const headers of [{}, bearer(bea.token)]) {
      const res = await get(`/api/rooms/${roomId}/export.json`, headers);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe('The host has not allowed exports of this room; a moderator can export it.');
    }
    expect((await get(`/api/rooms/${roomId}/export.json`, bearer(mod.token))).status).toBe(200);
    const log = (await server.store.load(roomId))!.modLog.at(-1);
    expect(log).toMatchObject({ action: 'room.settings', detail: 'only moderators may export the transcript' });
  });
});

describe('import', () => {
  it('rebuilds the room as a new one with the importer as host: export → import → export is the same, less ids and the export time', async () => {
    for (const headers of [bearer(scene.host.token), {}]) {
      const first = await exportOf(scene.roomId, headers);
      const res = await importing(JSON.stringify(first));
      expect(res.status).toBe(201);
      const imported = (await res.json()) as { roomId: string; hostToken: string; events: number };
      expect(imported.events).toBe(first.events.length);
      expect(imported.roomId).not.toBe(scene.roomId);
      const host = await joinAs(server.url, imported.roomId, 'Importer', imported.hostToken);
      expect(host.joined.me.role).toBe('host');
      const second = await exportOf(imported.roomId, bearer(imported.hostToken));
      // What must differ: the room's id, its host (the importer, also the opening's actor), the export's time; and
      // the importer's own join, logged after. Every other event is the same, times included.
      const opened = second.events[0] as Extract<RoomEvent, { type: 'room.opened' }>;
      expect(opened.room).toEqual({ ...(first.events[0] as typeof opened).room, id: imported.roomId, hostId: host.id });
      expect(opened.actorId).toBe(host.id);
      const same = (doc: RoomExport) => ({ ...doc, exportedAt: 0, audience: 'x', seq: 0, events: doc.events.slice(1, first.events.length) });
      expect(same(second)).toEqual(same(first));
      expect(second.events.slice(first.events.length)).toEqual([expect.objectContaining({ type: 'member.joined', actorId: host.id, role: 'host', name: 'Importer' })]);
    }
  });

  it('refuses what is not a whole, valid export, with a sentence saying where, and opens no room', async () => {
    const good = await exportOf(scene.roomId);
    const events = good.events;
    const variants: [string, unknown, RegExp][] = [
      ['not an export', { hello: 'world' }, /not a room export/],
      ['a future version', { ...good, version: 2 }, /version/],
      ['a gap', { ...good, events: [events[0], ...events.slice(2)] }, /events\.1: Expected seq 2/],
      ['no opening', { ...good, events: events.slice(1).map((e, i) => ({ ...e, seq: i + 1 })), seq: events.length - 1 }, /start with the room opening/],
      ['a second opening', { ...good, events: [...events, { ...events[0], seq: events.length + 1 }], seq: events.length + 1 }, /opens once/],
      ['an address key', { ...good, events: events.map((e) => (e.type === 'member.joined' ? { ...e, addressKey: 'abc' } : e)) }, /addressKey/],
      ['control characters', { ...good, events: events.map((e) => (e.type === 'post.created' ? { ...e, body: 'a\u0000b' } : e)) }, /Control characters/],
      ['an unknown event', { ...good, events: [...events, { type: 'room.exploded', seq: events.length + 1, at: 1, actorId: '' }], seq: events.length + 1 }, /events\./],
      ['a prototype id', { ...good, events: events.map((e) => (e.type === 'post.created' ? { ...e, postId: '__proto__' } : e)) }, /reserved/],
      ['the wrong last seq', { ...good, seq: 3 }, /ends at seq/],
    ];
    for (const [what, body, message] of variants) {
      const res = await importing(JSON.stringify(body));
      expect(res.status, what).toBe(400);
      const answer = (await res.json()) as { roomId?: string; error: { code: string; message: string } };
      expect(answer.roomId, what).toBeUndefined();
      expect(answer.error.code, what).toBe('INVALID_PAYLOAD');
      expect(answer.error.message, what).toMatch(message);
    }
    expect(((await (await importing('{"not json')).json()) as { error: { message: string } }).error.message).toBe('That file is not JSON: choose a room’s JSON export.');
    const form = await fetch(`${server.url}/api/rooms/import`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(form.status).toBe(400);
    const crossSite = await importing(JSON.stringify(good), { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
  });

  it('refuses a body over the size limit before reading it all', async () => {
    const big = 'x'.repeat(17 * 1024 * 1024);
    const res = await importing(big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('That file is too big to import: at most 16 MB.');
  });
});

describe('room:history', () => {
  it('pages the served log after a seq, for a joined reader only', async () => {
    const stranger = await joinAs(server.url, scene.roomId, null);
    const all: RoomEvent[] = [];
    for (let from = 0; ; ) {
      const page = await ok(stranger.socket, 'room:history', { from, limit: 7 });
      expect(page.seq).toBe(scene.seq);
      expect(page.events.map((e) => e.seq)).toEqual(page.events.map((_, i) => from + i + 1));
      all.push(...page.events);
      if (!page.events.length || page.events.at(-1)!.seq >= page.seq) break;
      from = page.events.at(-1)!.seq;
    }
    expect(all).toEqual((await exportOf(scene.roomId)).events);
    const past = await ok(stranger.socket, 'room:history', { from: scene.seq + 10 });
    expect(past.events).toEqual([]);
    // The scene's own sockets are closed after each test: the moderator comes back with their token.
    const mod = await joinAs(server.url, scene.roomId, 'Mod', scene.mod.token);
    const modPage = await ok(mod.socket, 'room:history', { from: 0 });
    expect(JSON.stringify(modPage)).toContain(SECRETS.removed);
  });

  it('says NOT_JOINED to a socket that joined no room', async () => {
    const socket = await connect(server.url);
    const answer = await call(socket, 'room:history', { from: 0 });
    expect(answer.ok ? null : answer.error.code).toBe('NOT_JOINED');
  });

  it('bounds a page in bytes: big posts come a few at a time', async () => {
    const { host, roomId } = await openRoom(server.url);
    for (let i = 0; i < 120; i++) await post(host, `${i} ${'long argument '.repeat(700)}`);
    const page = await ok(host, 'room:history', { from: 0 });
    const bytes = Buffer.byteLength(JSON.stringify(page.events));
    expect(page.events.length).toBeGreaterThan(10);
    expect(page.events.length).toBeLessThan(60);
    expect(bytes).toBeLessThanOrEqual(512_000 + 1_000);
    expect(roomId).toBeTruthy();
  });
});
