// A banned person is never online: not even when the ban lands while one of their tabs is joining.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../server/store/embedded.js';
import type { RoomStore } from '../../server/store/room-store.js';
import { call, connect, disconnectAll, ok, settle, until } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { joinAs, openRoom } from '../helpers/fixtures.js';

/**
 * The embedded store, with a way to hold one `load` after it has read the state (a slow read). Loads
 * return a copy, as the Redis store's do (the embedded store hands out its live object).
 */
function holdableStore(store: RoomStore) {
  let hold: { reached: () => void; release: Promise<void> } | null = null;
  const holdable: RoomStore = {
    load: async (roomId) => {
      const state = structuredClone(await store.load(roomId));
      const held = hold;
      if (held) {
        hold = null;
        held.reached();
        await held.release;
      }
      return state;
    },
    append: (roomId, decide) => store.append(roomId, decide),
    eventsSince: (roomId, since, limit) => store.eventsSince(roomId, since, limit),
    epoch: (roomId) => store.epoch(roomId),
    close: () => store.close(),
  };
  /** The next load reads, then waits until the returned release() is called. */
  function holdNextLoad() {
    let release!: () => void;
    let reached!: () => void;
    const read = new Promise<void>((resolve) => (reached = resolve));
    hold = { reached, release: new Promise<void>((resolve) => (release = resolve)) };
    return { read, release };
  }
  return { holdable, holdNextLoad };
}

let server: TestServer;
let dataDir: string;
let holdNextLoad: ReturnType<typeof holdableStore>['holdNextLoad'];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'debate-presence-'));
  const store = holdableStore(await openEmbeddedStore({ dataDir }));
  holdNextLoad = store.holdNextLoad;
  server = await startTestServer({ store: store.holdable });
});
afterEach(disconnectAll);
afterAll(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('presence and bans', () => {
  it('a ban that lands while a tab of theirs is joining: that join is refused, and they are never counted online', async () => {
    const { host, roomId, hostId } = await openRoom(server.url);
    const bea = await joinAs(server.url, roomId, 'Bea');
    await until(() => !!host.presence.at(-1)?.online.includes(bea.id), 'Bea online');

    // A second tab of Bea's joins; its first read of the room happens before the ban.
    const tab = await connect(server.url);
    const held = holdNextLoad();
    const joining = call(tab, 'room:join', { roomId, role: 'participant', token: bea.token });
    await held.read;
    await ok(host, 'mod:member', { action: 'ban', memberId: bea.id, reason: 'spam', removePosts: false });
    held.release();

    const answer = await joining;
    expect(answer.ok ? 'joined' : answer.error.code).toBe('FORBIDDEN');
    await settle(200);
    const latest = host.presence.at(-1)!;
    expect(latest.online).toEqual([hostId]);
    // Nor does that tab follow the room any more.
    const before = tab.received.length;
    await ok(host, 'post:create', { id: 'after-the-ban-1', parentId: null, body: 'Moving on' });
    await settle();
    expect(tab.received.length).toBe(before);
  });
});
