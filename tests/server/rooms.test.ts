import { describe, expect, it } from 'vitest';
import { call, connect, disconnectAll, ok, until } from '../helpers/client.js';
import { opened } from '../helpers/snapshot.js';
import { startTestServer } from '../helpers/server.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';

const server = useTestServer();

describe('creating a room', () => {
  it('returns a short URL-safe id and a host token; the creator is the host', async () => {
    const socket = await connect(server.url);
    const created = await ok(socket, 'room:create', { title: '  Cats are better than dogs ', motion: 'This house prefers cats' });
    expect(created.roomId).toMatch(/^[a-z0-9]{10}$/);
    expect(created.hostToken.length).toBeGreaterThanOrEqual(16);
    const joined = opened(await ok(socket, 'room:join', { roomId: created.roomId, role: 'participant', name: 'Ada', token: created.hostToken }));
    expect(joined.me.role).toBe('host');
    expect(joined.snapshot.room).toMatchObject({ title: 'Cats are better than dogs', motion: 'This house prefers cats', hostId: joined.me.id });
    expect(joined.snapshot.seq).toBe(2);
  });

  it('accepts a room without a motion and refuses titles out of bounds', async () => {
    const socket = await connect(server.url);
    expect((await call(socket, 'room:create', { title: 'x' })).ok).toBe(true);
    for (const title of ['', '   ', 'x'.repeat(121)]) {
      const answer = await call(socket, 'room:create', { title });
      expect(answer.ok ? null : answer.error.code).toBe('INVALID_PAYLOAD');
    }
    const long = await call(socket, 'room:create', { title: 'ok', motion: 'm'.repeat(281) });
    expect(long.ok ? null : long.error.code).toBe('INVALID_PAYLOAD');
  });
});

describe('joining', () => {
  it('gives a snapshot with posts, parents, reactions, members and the last seq', async () => {
    const { host, roomId, hostId } = await openRoom(server.url);
    const top = await post(host, 'Opening statement');
    const reply = await post(host, 'A reply', top.id);
    await ok(host, 'reaction:set', { postId: top.id, emoji: '🔥', on: true });
    const { joined } = await joinAs(server.url, roomId, 'Bea');
    const { snapshot, me } = joined;
    expect(me).toMatchObject({ role: 'participant', name: 'Bea' });
    expect(snapshot.posts[reply.id]).toMatchObject({ parentId: top.id, body: 'A reply', authorId: hostId });
    expect(snapshot.posts[top.id].reactions['🔥']).toEqual([hostId]);
    expect(Object.values(snapshot.members).map((m) => m.name).sort()).toEqual(['Bea', 'Host']);
    expect(snapshot.seq).toBe(6);
  });

  it('keeps names unique in a room, ignoring case', async () => {
    const { roomId } = await openRoom(server.url);
    await joinAs(server.url, roomId, 'Marx');
    const other = await connect(server.url);
    const answer = await call(other, 'room:join', { roomId, role: 'participant', name: 'mARX' });
    expect(answer.ok ? null : answer.error.code).toBe('NAME_TAKEN');
    expect(answer.ok ? '' : answer.error.message).toMatch(/taken/);
  });

  it('recognises a returning browser by its token: same id, same name', async () => {
    const { roomId } = await openRoom(server.url);
    const first = await joinAs(server.url, roomId, 'Lenin');
    first.socket.disconnect();
    const again = await joinAs(server.url, roomId, 'Someone else', first.token);
    expect(again.id).toBe(first.id);
    expect(again.joined.me.name).toBe('Lenin');
    expect(Object.keys(again.joined.snapshot.members)).toHaveLength(2);
  });

  it('a host who comes back with the host token is still the host', async () => {
    const { host, roomId, hostToken, hostId } = await openRoom(server.url);
    host.disconnect();
    const back = await joinAs(server.url, roomId, null, hostToken);
    expect(back.joined.me).toMatchObject({ id: hostId, role: 'host', name: 'Host' });
  });

  it('lets a viewer watch without a name, and refuses a new participant without one', async () => {
    const { roomId } = await openRoom(server.url);
    const viewer = await joinAs(server.url, roomId, null);
    expect(viewer.joined.me).toMatchObject({ role: 'viewer', name: null });
    const nameless = await connect(server.url);
    const answer = await call(nameless, 'room:join', { roomId, role: 'participant' });
    expect(answer.ok ? null : answer.error.code).toBe('INVALID_PAYLOAD');
  });

  it('answers NOT_FOUND for an unknown room', async () => {
    const socket = await connect(server.url);
    const answer = await call(socket, 'room:join', { roomId: 'nosuchroom', role: 'viewer' });
    expect(answer.ok ? null : answer.error).toMatchObject({ code: 'NOT_FOUND', message: 'That room does not exist.' });
  });
});

describe('presence', () => {
  it('counts viewers and lists online participants on join, leave and disconnect', async () => {
    const { host, roomId, hostId } = await openRoom(server.url);
    const latest = () => host.presence.at(-1);
    const viewerA = await joinAs(server.url, roomId, null);
    const viewerB = await joinAs(server.url, roomId, null);
    const bea = await joinAs(server.url, roomId, 'Bea');
    await until(() => latest()?.viewers === 2 && latest()?.online.length === 2, 'two viewers, two online');
    expect(new Set(latest()!.online)).toEqual(new Set([hostId, bea.id]));
    viewerA.socket.disconnect();
    bea.socket.disconnect();
    await until(() => latest()?.viewers === 1 && latest()?.online.length === 1, 'one viewer, host online');
    // Joining another room leaves this one.
    const other = await openRoom(server.url, 'Another room');
    await ok(viewerB.socket, 'room:join', { roomId: other.roomId, role: 'viewer' });
    await until(() => latest()?.viewers === 0, 'no viewers');
  });

  it('a joiner sees who is here at once, not after the next recount', async () => {
    // Recounts at most once a minute: only the first join's recount happens within this test.
    const slow = await startTestServer({ presenceIntervalMs: 60_000 });
    try {
      const { host, roomId, hostId } = await openRoom(slow.url);
      await until(() => host.presence.length > 0, 'the first recount');
      const viewer = await joinAs(slow.url, roomId, null);
      await until(() => viewer.socket.presence.length > 0, 'presence right after joining');
      expect(viewer.socket.presence[0]!.online).toEqual([hostId]);
    } finally {
      disconnectAll();
      await slow.close();
    }
  });
});
