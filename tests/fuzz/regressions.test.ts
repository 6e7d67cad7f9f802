import type { Ack } from '../../shared/ack.js';
import { describe, expect, it } from 'vitest';
import { call, until } from '../helpers/client.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';

/** Bugs the fuzz suites found, each pinned by the smallest case that shows it. */

const server = useTestServer();

describe('found by fuzzing', () => {
  // client-events (room:join): the watcher never heard a member.joined the log holds, so every
  // client in the room saw a seq gap and had to sync to fill it. Fixed on main by "One way to
  // append" (8aad6d5, room-join appends through ctx.log); this branch predates it.
  it('a member joining is broadcast to the room like every other logged event', async () => {
    const { roomId } = await openRoom(server.url);
    const watcher = await joinAs(server.url, roomId, null);
    const newcomer = await joinAs(server.url, roomId, 'Newcomer');
    await until(() => watcher.socket.received.length > 0, 'the watcher to hear the join', 2_000);
    expect(watcher.socket.received).toMatchObject([{ type: 'member.joined', actorId: newcomer.id, name: 'Newcomer', role: 'participant' }]);
  });

  // client-events (mod:post, mod:held, mod:member, room:posts): the room's tables are plain objects,
  // so an id named after something on Object.prototype found that something. The host could log
  // events naming no post or member (a "ban" of '__proto__'), and paging to one answered INTERNAL.
  it('refuses ids named after Object.prototype properties, logging nothing', async () => {
    const { host, roomId } = await openRoom(server.url);
    await post(host, 'a post');
    const before = await server.store.eventsSince(roomId, 0, 1_000);
    const cases: [string, (id: string) => unknown][] = [
      ['mod:post', (id) => ({ action: 'remove', postId: id, reason: 'x' })],
      ['mod:post', (id) => ({ action: 'lock', postId: id })],
      ['mod:held', (id) => ({ action: 'approve', postId: id })],
      ['mod:member', (id) => ({ action: 'ban', memberId: id })],
      ['mod:member', (id) => ({ action: 'approveSpeaker', memberId: id })],
      ['room:posts', (id) => ({ postId: id })],
      ['post:create', (id) => ({ id: 'a-fresh-post-id', parentId: id, body: 'hi' })],
    ];
    for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      for (const [event, payload] of cases) {
        const answer = (await call(host, event as never, payload(id))) as Ack<unknown>;
        expect(answer.ok ? null : answer.error.code, `${event} ${JSON.stringify(payload(id))}`).toBe('INVALID_PAYLOAD');
      }
    }
    expect(await server.store.eventsSince(roomId, 0, 1_000)).toEqual(before);
  });
});
