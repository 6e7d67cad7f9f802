import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { disconnectAll, until } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { joinAs, openRoom } from '../server/fixtures.js';

/** Bugs the fuzz suites found, each pinned by the smallest case that shows it. */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(disconnectAll);
afterAll(() => server.close());

describe('found by fuzzing', () => {
  // client-events (room:join): the watcher never heard a member.joined the log holds, so every
  // client in the room saw a seq gap and had to sync to fill it.
  it('a member joining is broadcast to the room like every other logged event', async () => {
    const { roomId } = await openRoom(server.url);
    const watcher = await joinAs(server.url, roomId, null);
    const newcomer = await joinAs(server.url, roomId, 'Newcomer');
    await until(() => watcher.socket.received.length > 0, 'the watcher to hear the join', 2_000);
    expect(watcher.socket.received).toMatchObject([{ type: 'member.joined', actorId: newcomer.id, name: 'Newcomer', role: 'participant' }]);
  });
});
