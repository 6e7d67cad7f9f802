import { afterEach, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../shared/room-events.js';
import { disconnectAll, until } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';

let server: TestServer | null = null;
afterEach(async () => {
  disconnectAll();
  await server?.close();
  server = null;
});

/** The frames (one array of events each) a socket receives from now on. */
function frames(socket: { on(event: 'room:events', listener: (events: RoomEvent[]) => void): unknown }): RoomEvent[][] {
  const seen: RoomEvent[][] = [];
  socket.on('room:events', (events) => seen.push(events));
  return seen;
}

describe('coalescing (COALESCE_MS)', () => {
  it('sends the first event after a quiet spell at once, and gathers the ones after it into one frame', async () => {
    // Opening and joining are logged (and published) too, so a quiet spell of two windows is waited out here; had the first post
    // waited for the window, all three would share one frame.
    server = await startTestServer({ coalesceMs: 1_000 });
    const { host, roomId } = await openRoom(server.url);
    const viewer = await joinAs(server.url, roomId, null);
    const seen = frames(viewer.socket);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    seen.length = 0;
    const first = await post(host, 'first after quiet');
    const second = await post(host, 'second');
    const third = await post(host, 'third');
    await until(() => seen.length === 2, 'the first event alone, then the gathered frame');
    expect(seen.map((frame) => frame.map((e) => e.seq))).toEqual([[first.seq], [second.seq, third.seq]]);
  });

  it('without a window, each event goes out at once in a frame of its own turn', async () => {
    server = await startTestServer({ coalesceMs: 0 });
    const { host, roomId } = await openRoom(server.url);
    const viewer = await joinAs(server.url, roomId, null);
    const seen = frames(viewer.socket);
    const a = await post(host, 'a');
    await until(() => seen.length === 1, 'a');
    const b = await post(host, 'b');
    await until(() => seen.length === 2, 'b');
    expect(seen.map((frame) => frame.map((e) => e.seq))).toEqual([[a.seq], [b.seq]]);
  });
});
