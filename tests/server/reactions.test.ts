import { describe, expect, it } from 'vitest';
import { REACTIONS } from '../../shared/limits.js';
import { call, ok, settle } from '../helpers/client.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';

const server = useTestServer();

describe('reactions', () => {
  it('offers at least six emoji and refuses others', async () => {
    expect(REACTIONS.length).toBeGreaterThanOrEqual(6);
    const { host } = await openRoom(server.url);
    const { id } = await post(host, 'react to me');
    const answer = await call(host, 'reaction:set', { postId: id, emoji: '💩', on: true });
    expect(answer.ok ? null : answer.error.code).toBe('INVALID_PAYLOAD');
  });

  it('counts one per person per emoji per post, right after any interleaving of toggles', async () => {
    const { host, roomId, hostId } = await openRoom(server.url);
    const { id } = await post(host, 'Stalin was a net good');
    const people = [{ socket: host, id: hostId }];
    for (const name of ['Ann', 'Ben', 'Cy', 'Di']) {
      const member = await joinAs(server.url, roomId, name);
      people.push({ socket: member.socket, id: member.id });
    }
    // Each person fires a random burst of on/off for each emoji, all at once; the last request wins.
    const expected = new Map<string, Set<string>>();
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const requests: Promise<unknown>[] = [];
    for (const emoji of REACTIONS) {
      expected.set(emoji, new Set());
      for (const person of people) {
        let on = false;
        for (let i = 0; i < 5; i++) {
          on = random() < 0.5;
          requests.push(call(person.socket, 'reaction:set', { postId: id, emoji, on }));
        }
        if (on) expected.get(emoji)!.add(person.id);
      }
    }
    // One socket's emits are handled in order, so each person's last request is their final state.
    await Promise.all(requests);
    const state = (await server.store.load(roomId))!;
    for (const emoji of REACTIONS) {
      expect(new Set(state.posts[id].reactions[emoji] ?? [])).toEqual(expected.get(emoji));
    }
    // A viewer folding the live events sees the same counts.
    const viewer = await joinAs(server.url, roomId, null);
    expect(viewer.joined.snapshot.posts[id].reactions).toEqual(state.posts[id].reactions);
  });

  it('a repeated "on" logs nothing', async () => {
    const { host, roomId } = await openRoom(server.url);
    const { id } = await post(host, 'x');
    const viewer = await joinAs(server.url, roomId, null);
    await ok(host, 'reaction:set', { postId: id, emoji: '👍', on: true });
    await ok(host, 'reaction:set', { postId: id, emoji: '👍', on: true });
    await ok(host, 'reaction:set', { postId: id, emoji: '👎', on: false });
    await settle();
    expect(viewer.socket.received.map((e) => e.type)).toEqual(['reaction.added']);
  });

  it('viewers cannot react; unknown posts are NOT_FOUND', async () => {
    const { host, roomId } = await openRoom(server.url);
    const { id } = await post(host, 'x');
    const viewer = await joinAs(server.url, roomId, null);
    const forbidden = await call(viewer.socket, 'reaction:set', { postId: id, emoji: '👍', on: true });
    expect(forbidden.ok ? null : forbidden.error.code).toBe('FORBIDDEN');
    const missing = await call(host, 'reaction:set', { postId: 'nosuchpost', emoji: '👍', on: true });
    expect(missing.ok ? null : missing.error.code).toBe('NOT_FOUND');
  });
});
