// The replay store against the real server: the record loaded with room:history, kept up with live
// events, and read again the way the server now serves it when a later event redacts earlier text.
import { toRaw } from 'vue';
import { afterEach, describe, expect, it } from 'vitest';
import { storage } from '../../client/storage.js';
import { useReplayStore } from '../../client/stores/replay.js';
import { useRoomStore } from '../../client/stores/room.js';
import { connect, ok, until } from '../helpers/client.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { closeBrowsers, openBrowser } from '../helpers/store-browser.js';

const server = useTestServer();
afterEach(closeBrowsers);

async function watching(roomId: string) {
  openBrowser(server.url);
  const room = useRoomStore();
  const replay = useReplayStore();
  room.open(roomId);
  await room.join('viewer');
  await until(() => room.ready, 'joined');
  return { room, replay };
}

/** The room at every seq as a replay store shows it. */
function everyMoment(replay: ReturnType<typeof useReplayStore>): string[] {
  const moments: string[] = [];
  for (let seq = 1; seq <= replay.latest; seq++) {
    replay.seek(seq);
    moments.push(JSON.stringify(toRaw(replay.view)));
  }
  return moments;
}

describe('the replay store', () => {
  it('follows the room live, and a text removed later leaves every moment of it, as a fresh load would show', async () => {
    storage.clearMemory();
    const host = await connect(server.url);
    const { roomId, hostToken } = await ok(host, 'room:create', { title: 'Replay live', motion: 'This house replays' });
    await ok(host, 'room:join', { roomId, role: 'participant', name: 'Host', token: hostToken });
    await ok(host, 'post:create', { id: 'opening-post', parentId: null, body: 'Before anyone watched' });
    const bea = await connect(server.url);
    await ok(bea, 'room:join', { roomId, role: 'participant', name: 'Bea' });

    const first = await watching(roomId);
    await first.replay.open();
    expect(first.replay.status).toBe('ready');
    const loaded = first.replay.latest;
    expect(loaded).toBe((await server.store.load(roomId))!.seq);

    const { seq: said } = await ok(bea, 'post:create', { id: 'live-post-01', parentId: 'opening-post', body: 'Said while you watched' });
    await until(() => first.replay.latest === said, 'the live post in the record');
    first.replay.seek(said);
    expect(first.replay.view!.posts['live-post-01']!.body).toBe('Said while you watched');

    await ok(bea, 'post:create', { id: 'edited-post', parentId: null, body: 'First words' });
    await ok(bea, 'post:edit', { postId: 'edited-post', body: 'Second thoughts' });
    const { seq: removedAt } = await ok(host, 'mod:post', { action: 'remove', postId: 'live-post-01', reason: 'off topic' });
    await until(() => first.replay.latest === removedAt, 'the removal in the record');
    // The moment it was said, seen again: the public was served its text then, but may not be now.
    first.replay.seek(said);
    expect(first.replay.view!.posts['live-post-01']!.body).toBe('');
    const firstMoments = everyMoment(first.replay);
    for (const moment of firstMoments) {
      expect(moment).not.toContain('Said while you watched');
      expect(moment).not.toContain('First words');
    }

    // Someone who loads the record only now sees exactly the same room at every moment.
    const second = await watching(roomId);
    await second.replay.open();
    expect(everyMoment(second.replay)).toEqual(firstMoments);
  });

  it('loads the moderators’ record for a moderator, and returns to live', async () => {
    storage.clearMemory();
    const host = await connect(server.url);
    const { roomId, hostToken } = await ok(host, 'room:create', { title: 'Replay mods', motion: 'This house moderates' });
    await ok(host, 'room:join', { roomId, role: 'participant', name: 'Host', token: hostToken });
    const bea = await connect(server.url);
    await ok(bea, 'room:join', { roomId, role: 'participant', name: 'Bea' });
    await ok(bea, 'post:create', { id: 'removed-post', parentId: null, body: 'Moderators still read this' });
    await ok(host, 'mod:post', { action: 'remove', postId: 'removed-post', reason: 'test' });
    openBrowser(server.url);
    storage.setRoom(roomId, { token: hostToken, role: 'participant', host: true });
    const room = useRoomStore();
    const replay = useReplayStore();
    room.open(roomId);
    await until(() => room.ready, 'the host rejoined');
    await replay.open(3);
    expect(replay.active).toBe(true);
    replay.seek(replay.latest);
    expect(replay.view!.posts['removed-post']).toMatchObject({ body: 'Moderators still read this', removed: { reason: 'test' } });
    replay.live();
    expect(replay.active).toBe(false);
    expect(replay.view).toBeNull();
  });
});
