// Quote-reply by reference: a reply names the post it quotes (and where in it), never copies its text,
// so removing or deleting that post leaves its words nowhere a reader is served them.
import { describe, expect, it } from 'vitest';
import { call, connect, ok, until } from '../helpers/client.js';
import { eventsOf, snapshotOf } from '../helpers/snapshot.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';

const server = useTestServer();

const SECRET = 'The treasurer takes bribes';

describe('quote-reply', () => {
  it('is logged as a reference; once the quoted post is removed, no viewer, late joiner or catch-up is served its text', async () => {
    const { host, roomId } = await openRoom(server.url);
    const bea = await joinAs(server.url, roomId, 'Bea');
    const viewer = await joinAs(server.url, roomId, null);
    const quoted = await post(bea.socket, `${SECRET}, everyone knows.`);
    await ok(host, 'post:create', { id: 'reply-quote01', parentId: quoted.id, body: 'Source?', quote: { postId: quoted.id, start: 0, end: SECRET.length } });
    await until(() => viewer.socket.received.some((e) => e.type === 'post.created' && e.postId === 'reply-quote01'), 'the reply, live');
    const live = viewer.socket.received.find((e) => e.type === 'post.created' && e.postId === 'reply-quote01')!;
    expect(live).toMatchObject({ body: 'Source?', quote: { postId: quoted.id, start: 0, end: SECRET.length } });

    await ok(host, 'mod:post', { action: 'remove', postId: quoted.id, reason: 'Unfounded' });
    const late = await connect(server.url);
    const snapshot = snapshotOf((await ok(late, 'room:join', { roomId, role: 'viewer' })).start).snapshot;
    expect(snapshot.posts['reply-quote01'].quote).toEqual({ postId: quoted.id, start: 0, end: SECRET.length });
    expect(JSON.stringify(snapshot)).not.toContain('treasurer');
    const catchUp = await ok(late, 'room:sync', { since: 0 });
    expect(JSON.stringify(eventsOf(catchUp))).not.toContain('treasurer');
    // Moderators still read it.
    expect(JSON.stringify(eventsOf(await ok(host, 'room:sync', { since: 0 })))).toContain('treasurer');
  });

  it('refuses a quote of any post but the one replied to, a part outside its text, and half a range', async () => {
    const { host, roomId } = await openRoom(server.url);
    const first = await post(host, 'First');
    const second = await post(host, 'Second post');
    const refused = async (payload: object) => {
      const answer = await call(host, 'post:create', { id: `q-${Math.random().toString(36).slice(2, 10)}`, body: 'x', ...payload });
      return answer.ok ? 'stored' : answer.error.code;
    };
    expect(await refused({ parentId: second.id, quote: { postId: first.id } })).toBe('INVALID_PAYLOAD');
    expect(await refused({ parentId: null, quote: { postId: first.id } })).toBe('INVALID_PAYLOAD');
    expect(await refused({ parentId: second.id, quote: { postId: second.id, start: 3, end: 99 } })).toBe('INVALID_PAYLOAD');
    expect(await refused({ parentId: second.id, quote: { postId: second.id, start: 5, end: 5 } })).toBe('INVALID_PAYLOAD');
    expect(await refused({ parentId: second.id, quote: { postId: second.id, start: 2 } })).toBe('INVALID_PAYLOAD');
    expect(await refused({ parentId: second.id, quote: { postId: second.id, text: 'Second' } })).toBe('INVALID_PAYLOAD');
    expect(await refused({ parentId: second.id, quote: { postId: second.id, start: 0, end: 6 } })).toBe('stored');
    const state = (await server.store.load(roomId))!;
    expect(state.postOrder).toHaveLength(3);
  });

  it('a held quote-reply keeps its quote when a moderator approves it', async () => {
    const { host, roomId } = await openRoom(server.url);
    await ok(host, 'mod:room', { action: 'blockedTerms', terms: [{ term: 'tankie', action: 'hold' }] });
    const top = await post(host, 'Opening statement');
    const bea = await joinAs(server.url, roomId, 'Bea');
    const held = await ok(bea.socket, 'post:create', { id: 'held-quote01', parentId: top.id, body: 'Spoken like a tankie', quote: { postId: top.id } });
    expect(held.held).toBe(true);
    await ok(host, 'mod:held', { postId: 'held-quote01', action: 'approve', reason: '' });
    const state = (await server.store.load(roomId))!;
    expect(state.posts['held-quote01'].quote).toEqual({ postId: top.id });
  });
});
