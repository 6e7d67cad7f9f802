import { redactState } from '../../shared/redact.js';
import { describe, expect, it } from 'vitest';
import { limits } from '../../shared/limits.js';
import { LogFollower } from '../../shared/log-follower.js';
import { call, connect, ok, until } from '../helpers/client.js';
import { eventsOf, snapshotOf } from '../helpers/snapshot.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';

const server = useTestServer();

describe('the room log', () => {
  it('numbers every change 1, 2, 3 … and broadcasts in order', async () => {
    const { host, roomId } = await openRoom(server.url);
    const viewer = await joinAs(server.url, roomId, null);
    const { id } = await post(host, 'one');
    await ok(host, 'reaction:set', { postId: id, emoji: '🤔', on: true });
    await ok(host, 'post:edit', { postId: id, body: 'one, edited' });
    await ok(host, 'post:delete', { postId: id });
    await until(() => viewer.socket.received.length === 4, 'four events');
    expect(viewer.socket.received.map((e) => [e.seq, e.type])).toEqual([
      [3, 'post.created'],
      [4, 'reaction.added'],
      [5, 'post.edited'],
      [6, 'post.deleted'],
    ]);
  });

  it('sync since N returns exactly the missed events, which fold to the server’s state', async () => {
    const { host, roomId } = await openRoom(server.url);
    const viewer = await joinAs(server.url, roomId, null);
    const follower = new LogFollower(viewer.joined.snapshot);
    viewer.socket.disconnect();
    for (let i = 0; i < 20; i++) await post(host, `missed ${i}`);
    const back = await connect(server.url);
    await ok(back, 'room:join', { roomId, role: 'viewer', token: viewer.token });
    const synced = await ok(back, 'room:sync', { since: follower.seq });
    const events = eventsOf(synced);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => follower.seq + 1 + i));
    follower.receiveAll(events);
    // The server's state as any audience is served it (it alone keeps where members connect from).
    expect(follower.state).toEqual(redactState((await server.store.load(roomId))!, 'moderators'));
  });

  it('a returning client joins with `since` and gets just the missed events, redacted like a sync', async () => {
    const { host, roomId } = await openRoom(server.url);
    const author = await joinAs(server.url, roomId, 'Author');
    const viewer = await joinAs(server.url, roomId, null);
    const follower = new LogFollower(viewer.joined.snapshot);
    viewer.socket.disconnect();
    const missed = [];
    for (let i = 0; i < 5; i++) missed.push(await post(author.socket, `missed ${i}`));
    await ok(host, 'mod:post', { action: 'remove', postId: missed[0].id, reason: 'spam' });
    const back = await connect(server.url);
    const rejoined = await ok(back, 'room:join', { roomId, role: 'viewer', token: viewer.token, since: follower.seq });
    expect(rejoined.me.id).toBe(viewer.id);
    const missedEvents = eventsOf(rejoined.start);
    expect(missedEvents.map((e) => e.seq)).toEqual(Array.from({ length: 6 }, (_, i) => follower.seq + 1 + i));
    expect(JSON.stringify(missedEvents)).not.toContain('missed 0');
    follower.receiveAll(missedEvents);
    expect(follower.state).toEqual(snapshotOf((await ok(await connect(server.url), 'room:join', { roomId, role: 'viewer' })).start).snapshot);
    // Too far behind (or ahead): the snapshot instead.
    const ahead = await ok(await connect(server.url), 'room:join', { roomId, role: 'viewer', token: viewer.token, since: 1_000_000 });
    expect(snapshotOf(ahead.start).snapshot.seq).toBe(follower.seq);
  });

  it('sends a snapshot when the gap is too large, or the client is ahead', async () => {
    const { host, roomId } = await openRoom(server.url);
    const viewer = await joinAs(server.url, roomId, null);
    const far = Array.from({ length: limits.syncMaxEvents + 5 }, (_, i) => post(host, `flood ${i}`));
    await Promise.all(far);
    const synced = await ok(viewer.socket, 'room:sync', { since: 2 });
    expect(synced.kind).toBe('snapshot');
    expect(snapshotOf(synced).snapshot.seq).toBe(2 + far.length);
    const ahead = await ok(viewer.socket, 'room:sync', { since: 1_000_000 });
    expect(ahead.kind).toBe('snapshot');
  });

  it('refuses sync before joining', async () => {
    const socket = await connect(server.url);
    const answer = await call(socket, 'room:sync', { since: 0 });
    expect(answer.ok ? null : answer.error.code).toBe('NOT_JOINED');
  });
});
