// The client stores against the real server (startTestServer): a real Socket.IO client socket per
// "browser", the real embedded store, real disconnects. Another member is a raw test socket.
import { afterEach, describe, expect, it } from 'vitest';
import { storage } from '../../client/storage.js';
import { useConnectionStore } from '../../client/stores/connection.js';
import { useRoomStore } from '../../client/stores/room.js';
import { connect, ok, until } from '../helpers/client.js';
import { startTestServer } from '../helpers/server.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { closeBrowsers, openBrowser } from '../helpers/store-browser.js';

const server = useTestServer();
afterEach(closeBrowsers);

function browser() {
  const socket = openBrowser(server.url);
  return { socket, room: useRoomStore(), connection: useConnectionStore() };
}

async function hostedRoom() {
  const host = await connect(server.url);
  const { roomId, hostToken } = await ok(host, 'room:create', { title: 'Live test', motion: 'This house tests' });
  await ok(host, 'room:join', { roomId, role: 'participant', name: 'Host', token: hostToken });
  return { host, roomId };
}

describe('client stores against the real server', () => {
  it('joins, follows live posts and shows my own post once', async () => {
    storage.clearMemory();
    const { host, roomId } = await hostedRoom();
    const { room } = browser();
    room.open(roomId);
    expect(room.phase).toBe('joining'); // the room opens watching, before anything is asked
    await room.join('participant', 'Bea');
    expect(room.state?.room.motion).toBe('This house tests');
    expect(Object.values(room.state!.members).map((m) => m.name).sort()).toEqual(['Bea', 'Host']);

    await ok(host, 'post:create', { id: 'host-post-0001', parentId: null, body: 'Opening statement' });
    await until(() => !!room.state?.posts['host-post-0001'], 'the host post live');

    const mine = room.submitPost('A reply', 'host-post-0001');
    expect(room.pending).toHaveLength(1);
    await until(() => room.pending.length === 0, 'my post confirmed');
    expect(room.state?.postOrder).toEqual(['host-post-0001', mine.id]);
    expect(room.childIndex.get('host-post-0001')?.map((i) => i.id)).toEqual([mine.id]);

    await room.setReaction('host-post-0001', '👍', true);
    await until(() => room.state?.posts['host-post-0001'].reactions['👍']?.length === 1, 'the reaction');
    const server_ = await server.store.load(roomId);
    expect(room.state?.seq).toBe(server_!.seq);
    room.leave();
  });

  it('a taken name is refused with NAME_TAKEN', async () => {
    storage.clearMemory();
    const { roomId } = await hostedRoom();
    const { room } = browser();
    room.open(roomId);
    await expect(room.join('participant', 'host')).rejects.toMatchObject({ code: 'NAME_TAKEN' });
    expect(room.phase).toBe('joined'); // still watching the room
    expect(room.joinError?.code).toBe('NAME_TAKEN');
    room.leave();
  });

  it('after a dropped connection: re-joins, catches up, sends what was written offline, nothing twice', async () => {
    storage.clearMemory();
    const { host, roomId } = await hostedRoom();
    const { socket, room, connection } = browser();
    room.open(roomId);
    await room.join('participant', 'Cy');
    await until(() => connection.status === 'connected', 'connected');
    const first = room.submitPost('before the drop', null);
    await until(() => room.pending.length === 0, 'first post');

    // Drop the transport (as a network loss would) and keep it down while the room moves on.
    socket.io.reconnection(false);
    socket.io.engine.close();
    await until(() => !socket.connected, 'the disconnect');
    expect(connection.status).not.toBe('connected');
    for (let i = 0; i < 3; i++) await ok(host, 'post:create', { id: `missed-post-${i}0000`, parentId: null, body: `missed ${i}` });
    await ok(host, 'post:edit', { postId: 'missed-post-00000', body: 'missed 0, edited' });
    const offline = room.submitPost('written offline', first.id);
    const offline2 = room.submitPost('also offline', null);
    await new Promise((r) => setTimeout(r, 100));
    expect(room.pending.map((p) => p.status)).toEqual(['sending', 'sending']);

    socket.io.reconnection(true);
    socket.connect();
    await until(() => room.pending.length === 0 && room.ready, 'catch-up and the offline posts', 8_000);

    const truth = (await server.store.load(roomId))!;
    expect(room.state?.seq).toBe(truth.seq);
    expect(room.state?.postOrder).toEqual(truth.postOrder);
    expect(new Set(room.state?.postOrder).size).toBe(room.state?.postOrder.length);
    expect(room.state?.posts['missed-post-00000'].body).toBe('missed 0, edited');
    expect(truth.postOrder.filter((id) => id === offline.id || id === offline2.id)).toHaveLength(2);
    expect(room.childIndex.get(first.id)?.map((i) => i.id)).toEqual([offline.id]);
    room.leave();
  });

  it('a big room arrives as a window: earlier threads page in, and a reply to an unloaded thread brings its thread', async () => {
    storage.clearMemory();
    const { host, roomId } = await hostedRoom();
    const total = 260;
    for (let i = 0; i < total; i++) await ok(host, 'post:create', { id: `root-${String(i).padStart(4, '0')}`, parentId: null, body: `root ${i}` });
    const { room } = browser();
    room.open(roomId);
    await room.join('viewer');
    expect(room.olderThreads).toBe(true);
    const windowed = room.state!.postOrder.length;
    expect(windowed).toBeLessThan(total);
    expect(room.state?.posts['root-0000']).toBeUndefined();

    // A live reply to a thread outside the window: fetched with its thread, never shown as top level.
    await ok(host, 'post:create', { id: 'late-reply-01', parentId: 'root-0000', body: 'late' });
    await until(() => !!room.state?.posts['root-0000'], 'the old thread to be fetched');
    expect(room.childIndex.get(null)?.some((i) => i.id === 'late-reply-01')).toBe(false);
    expect(room.childIndex.get('root-0000')?.map((i) => i.id)).toEqual(['late-reply-01']);

    while (room.olderThreads) await room.loadOlder();
    const truth = (await server.store.load(roomId))!;
    expect(room.state?.postOrder).toEqual(truth.postOrder);
    expect(room.childIndex.get(null)).toHaveLength(total);
    room.leave();
  });

  it('a host token kept from room:create makes the browser the host on its first join', async () => {
    storage.clearMemory();
    const creator = await connect(server.url);
    const { roomId, hostToken } = await ok(creator, 'room:create', { title: 'Mine' });
    const { room } = browser();
    const { useSessionStore } = await import('../../client/stores/session.js');
    const session = useSessionStore();
    session.rememberHost(roomId, hostToken);
    room.open(roomId);
    await until(() => room.ready, 'watching'); // the host sees the room first, then picks a name
    expect(session.me?.role).toBe('viewer');
    await room.join('participant', 'Hostess');
    expect(session.me?.role).toBe('host');
    expect(storage.room(roomId)).toMatchObject({ token: hostToken, role: 'participant', host: true });
    room.leave();
  });
});
