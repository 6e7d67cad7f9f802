import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/ack.js';
import { call, connect, settle, type TestSocket } from '../helpers/client.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { moderationRequests, moderationScene, type Scene } from '../helpers/moderation-scene.js';

// One scene for every test: its sockets stay open until the end.
const server = useTestServer({}, { keepSockets: true });
let scene: Scene;
beforeAll(async () => {
  scene = await moderationScene(server.url);
});
afterEach(() => settle(50));

const send = (socket: TestSocket, event: string, payload: unknown) => call(socket, event as 'mod:post', payload) as Promise<Ack<unknown>>;

describe('nobody but moderators can moderate', () => {
  it('a participant, a viewer and a muted member each get FORBIDDEN for every action, and nothing changes', async () => {
    await settle();
    const before = await server.store.eventsSince(scene.roomId, 0, 10_000);
    const seen = scene.viewer.socket.received.length;
    const tried: string[] = [];
    for (const who of ['participant', 'viewer', 'muted'] as const) {
      for (const request of moderationRequests(scene)) {
        const answer = await send(scene[who].socket, request.event, request.payload);
        expect(answer.ok ? 'ok' : answer.error.code, `${who}: ${request.name}`).toBe('FORBIDDEN');
        tried.push(`${who}: ${request.name}`);
      }
    }
    expect(tried).toHaveLength(3 * moderationRequests(scene).length);
    await settle();
    expect(await server.store.eventsSince(scene.roomId, 0, 10_000)).toEqual(before);
    expect(scene.viewer.socket.received).toHaveLength(seen);
  });

  it('a banned person cannot get back in to try anything', async () => {
    expect(scene.banned.socket.connected).toBe(false);
    const again = await connect(server.url);
    const join = await call(again, 'room:join', { roomId: scene.roomId, role: 'participant', token: scene.banned.token });
    expect(join.ok ? null : join.error).toMatchObject({ code: 'FORBIDDEN', message: 'You were banned from this room.' });
    const asViewer = await call(again, 'room:join', { roomId: scene.roomId, role: 'viewer', token: scene.banned.token });
    expect(asViewer.ok ? null : asViewer.error.code).toBe('FORBIDDEN');
    for (const request of moderationRequests(scene)) {
      const answer = await send(again, request.event, request.payload);
      expect(answer.ok, request.name).toBe(false);
    }
  });

  it('a moderator cannot act on the host, on another moderator, or do what only the host may', async () => {
    const before = (await server.store.load(scene.roomId))!.seq;
    const mod = scene.mod.socket;
    const onHost = [
      { event: 'mod:post', payload: { action: 'remove', postId: scene.posts.host, reason: 'nope' } },
      { event: 'mod:post', payload: { action: 'pin', postId: scene.posts.host } },
      { event: 'mod:post', payload: { action: 'lock', postId: scene.posts.host } },
      { event: 'mod:member', payload: { action: 'mute', memberId: scene.host.id, minutes: 5 } },
      { event: 'mod:member', payload: { action: 'ban', memberId: scene.host.id } },
      { event: 'mod:member', payload: { action: 'demote', memberId: scene.host.id } },
    ];
    const onModerator = [
      { event: 'mod:post', payload: { action: 'remove', postId: scene.posts.mod2, reason: 'nope' } },
      { event: 'mod:member', payload: { action: 'mute', memberId: scene.mod2.id, minutes: 5 } },
      { event: 'mod:member', payload: { action: 'ban', memberId: scene.mod2.id } },
      { event: 'mod:member', payload: { action: 'demote', memberId: scene.mod2.id } },
    ];
    const hostOnly = [
      { event: 'mod:member', payload: { action: 'promote', memberId: scene.participant.id } },
      { event: 'mod:room', payload: { action: 'close', reason: 'mine now' } },
      { event: 'mod:room', payload: { action: 'blockedTerms', terms: [] } },
      { event: 'mod:room', payload: { action: 'settings', settings: { showModNames: false } } },
    ];
    for (const { event, payload } of [...onHost, ...onModerator, ...hostOnly]) {
      const answer = await send(mod, event, payload);
      expect(answer.ok ? 'ok' : answer.error.code, JSON.stringify(payload)).toBe('FORBIDDEN');
    }
    const onHostAnswer = await send(mod, 'mod:member', { action: 'ban', memberId: scene.host.id });
    expect(onHostAnswer.ok ? '' : onHostAnswer.error.message).toBe('Moderators cannot act on the host.');
    expect((await server.store.load(scene.roomId))!.seq).toBe(before);
  });
});
