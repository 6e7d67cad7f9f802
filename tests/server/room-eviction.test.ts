import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, disconnectAll, ok, settle, until } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';

/** Short, so sweeps come every few ms: what is asserted is who stays, never how soon. */
const IDLE_MS = 40;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ roomIdleEvictMs: IDLE_MS });
});
afterEach(disconnectAll);
afterAll(() => server.close());

const held = (roomId: string) => server.store.holds!(roomId);

describe('idle rooms leave memory', () => {
  it('a room with a socket in it stays; once its last socket leaves it goes, and a join brings it back as it was', async () => {
    const { host, roomId } = await openRoom(server.url);
    await post(host, 'Stays while someone watches');
    const { roomId: empty } = await ok(await connect(server.url), 'room:create', { title: 'Nobody here' });
    const { socket: viewer, joined: before } = await joinAs(server.url, roomId, null);

    await until(() => !held(empty), 'the empty room to be evicted');
    // Many sweeps later, the watched room is still held.
    await settle(IDLE_MS * 8);
    expect(held(roomId)).toBe(true);

    host.disconnect();
    await settle(IDLE_MS * 4);
    expect(held(roomId)).toBe(true);
    viewer.disconnect();
    await until(() => !held(roomId), 'the room to be evicted once empty');

    const { joined: after } = await joinAs(server.url, roomId, null);
    expect(after.snapshot).toEqual(before.snapshot);
    expect(held(roomId)).toBe(true);
  });

  it('writes into an evicted room land on the whole room, and every socket hears them', async () => {
    const { host, roomId, hostToken } = await openRoom(server.url);
    const first = await post(host, 'Before the room went idle');
    host.disconnect();
    await until(() => !held(roomId), 'the room to be evicted');

    const { socket: again } = await joinAs(server.url, roomId, 'Host', hostToken);
    const { socket: viewer } = await joinAs(server.url, roomId, null);
    const reply = await post(again, 'After it came back', first.id);
    expect(reply.seq).toBe(first.seq + 1);
    await until(() => viewer.received.some((event) => event.seq === reply.seq), 'the viewer to hear the reply');
    const { joined } = await joinAs(server.url, roomId, null);
    expect(joined.snapshot.posts[reply.id]).toMatchObject({ parentId: first.id, body: 'After it came back' });
    expect(joined.snapshot.seq).toBe(reply.seq);
  });
});
