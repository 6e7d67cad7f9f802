import { nanoid } from 'nanoid';
import { describe, expect, it } from 'vitest';
import type { ClientEventName } from '../../shared/events.js';
import { call, connect, ok, settle } from '../helpers/client.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';

const server = useTestServer();

const notObjects = [null, 'a string', 42, true, [], [{ title: 'x' }]];

/** Payloads that each break one rule of the event's schema. */
function badPayloads(postId: string): Record<ClientEventName, unknown[]> {
  const body = 'fine body';
  return {
    'room:create': [{}, { title: 7 }, { title: 'ok', extra: 1 }, { title: 'ok', motion: 5 }, { title: 'a\u0000b' }],
    'room:join': [
      { roomId: 'short', role: 'viewer' },
      { roomId: 'nosuchroom', role: 'admin' },
      { roomId: 'nosuchroom', role: 'participant', name: 'x'.repeat(33) },
      { roomId: 'nosuchroom', role: 'participant', name: '   ' },
      { roomId: 'nosuchroom', role: 'viewer', token: 'short' },
      { roomId: '../../etc/passwd', role: 'viewer' },
    ],
    'room:posts': [{}, { before: 'yesterday' }, { postId: 'x' }, { before: null, postId }],
    'room:sync': [{}, { since: -1 }, { since: 1.5 }, { since: '3' }, { since: 0, extra: true }],
    'room:history': [{}, { from: -1 }, { from: 0.5 }, { from: '0' }, { from: 0, limit: 0 }, { from: 0, limit: 1e9 }, { from: 0, extra: 1 }],
    'post:create': [
      { id: nanoid(), parentId: null },
      { id: nanoid(), parentId: null, body: '' },
      { id: nanoid(), parentId: null, body: ' \n ' },
      { id: nanoid(), parentId: null, body: 'x'.repeat(10_001) },
      { id: 'bad id!', parentId: null, body },
      { id: nanoid(), parentId: 12, body },
      { id: nanoid(), parentId: null, body, authorId: 'someone' },
      { id: nanoid(), parentId: null, body, stance: 'support' },
      { id: nanoid(), parentId: postId, body, stance: 'agree' },
    ],
    'post:edit': [{ postId, body: '' }, { postId }, { postId, body: 'x'.repeat(10_001) }, { postId: 5, body }],
    'post:delete': [{}, { postId: '' }, { postId, because: 'x' }],
    'reaction:set': [
      { postId, emoji: '👍' },
      { postId, emoji: '👍', on: 'yes' },
      { postId, emoji: 'thumbs', on: true },
      { postId, emoji: '👍', on: true, count: 100 },
    ],
    'report:create': [{ postId }, { postId, reason: '' }, { postId, reason: 'x'.repeat(281) }, { postId, reason: 'spam', anonymous: true }],
    'hand:set': [{}, { raised: 'yes' }, { raised: true, extra: 1 }],
    'mod:post': [
      { postId, action: 'remove' },
      { postId, action: 'remove', reason: '   ' },
      { postId, action: 'explode' },
      { action: 'pin' },
      { postId, action: 'pin', reason: 'extra field' },
    ],
    'mod:held': [{ postId }, { postId, action: 'maybe' }, { postId: 'x', action: 'approve' }],
    'mod:reports': [{}, { postId: 3 }, { postId, action: 'dismiss' }],
    'mod:member': [
      { memberId: postId, action: 'mute' },
      { memberId: postId, action: 'mute', minutes: 0 },
      { memberId: postId, action: 'mute', minutes: 1e9 },
      { memberId: postId, action: 'ban', removePosts: 'all' },
      { memberId: postId, action: 'crown' },
      { action: 'unban' },
    ],
    'mod:room': [
      { action: 'settings', settings: {} },
      { action: 'settings', settings: { slowModeSeconds: -1 } },
      { action: 'settings', settings: { postingMode: 'nobody' } },
      { action: 'settings', settings: { colour: 'red' } },
      { action: 'blockedTerms', terms: [{ term: '', action: 'reject' }] },
      { action: 'blockedTerms', terms: [{ term: 'ok', action: 'shadowban' }] },
      { action: 'blockedTerms', terms: [{ term: '<script>', action: 'hold' }] },
      { action: 'blockedTerms', terms: Array.from({ length: 201 }, () => ({ term: 'x', action: 'hold' })) },
      { action: 'demolish' },
    ],
    'side:set': [{}, { side: 'sideways' }, { side: 'for', extra: 1 }],
    'vote:manage': [{ action: 'open' }, { action: 'open', vote: 'third' }, { action: 'close', vote: 'final', hideResults: true }, { action: 'rig', vote: 'final' }],
    'vote:cast': [{ vote: 'initial' }, { vote: 'initial', choice: 'maybe' }, { vote: 'initial', choice: 'for', weight: 2 }],
    // Whose ballots is the socket's session, never the payload's.
    'vote:mine': [{ memberId: postId }, { vote: 'initial' }],
    'mind:changed': [{}, { postId: 'x' }, { postId, because: 'x' }],
    'phase:set': [{ phase: 'overtime' }, { phase: 'open', minutes: 0 }, { phase: 'open', minutes: 2.5 }, { phase: 'open', minutes: 100_000 }],
    'typing:set': [{ typing: true }, { parentId: null }, { parentId: null, typing: 'yes' }],
    'mod:conduct': [
      { action: 'note', memberId: postId },
      { action: 'note', memberId: postId, note: '   ' },
      { action: 'note', memberId: postId, note: 'x'.repeat(501) },
      { action: 'warn', memberId: postId, reason: '' },
      { action: 'shadowban', memberId: postId },
    ],
    'mod:appeal': [{ appealId: postId, action: 'decline', reason: '' }, { appealId: postId, action: 'overturn' }, { appealId: 'x', action: 'accept' }],
    'mod:guard': [{}, { shield: 'on' }, { newMemberMinutes: -1 }, { newMemberHeldPosts: 1e6 }, { slowModeSeconds: 10 }],
    'appeal:create': [
      { sanctionSeq: 1 },
      { sanctionSeq: 0, text: 'please' },
      { sanctionSeq: 1, text: ' ' },
      { sanctionSeq: 1, text: 'x'.repeat(501) },
      { sanctionSeq: 1, text: 'please', roomId: 'abcdefgh12' },
    ],
    // Whose standing is the socket's session, or a room and a token together.
    'room:standing': [{ memberId: postId }, { roomId: 'abcdefgh12' }, { token: 'x'.repeat(24) }],
    'mod:reviewing': [{}, { item: 'the post' }, { item: 'post:x' }, { item: 3 }],
    'source:request': [{}, { postId: 'x' }, { postId, count: 5 }],
    'steelman:confirm': [{}, { postId: 'x' }, { postId, as: 'someone' }],
  };
}

describe('bad input', () => {
  it('answers INVALID_PAYLOAD with issues for every event, changes nothing, broadcasts nothing', async () => {
    const { host, roomId } = await openRoom(server.url);
    const { id } = await post(host, 'target');
    const viewer = await joinAs(server.url, roomId, null);
    await settle();
    const before = await server.store.eventsSince(roomId, 0, 1_000);
    const seen = viewer.socket.received.length;

    for (const [event, payloads] of Object.entries(badPayloads(id)) as [ClientEventName, unknown[]][]) {
      for (const payload of [...payloads, ...notObjects]) {
        const answer = await call(host, event, payload);
        expect(answer.ok, `${event} ${JSON.stringify(payload)?.slice(0, 80)}`).toBe(false);
        if (answer.ok) continue;
        expect(answer.error.code, `${event} ${JSON.stringify(payload)?.slice(0, 80)}`).toBe('INVALID_PAYLOAD');
        expect(answer.error.message).toMatch(/^That request is not valid/);
        expect(answer.error.issues?.length).toBeGreaterThan(0);
      }
    }
    await settle();
    expect(await server.store.eventsSince(roomId, 0, 1_000)).toEqual(before);
    expect(viewer.socket.received).toHaveLength(seen);
    // Still up and still the same room.
    expect((await call(host, 'post:create', { id: nanoid(), parentId: null, body: 'still here' })).ok).toBe(true);
  });

  it('says which field is wrong in a plain sentence', async () => {
    const socket = await connect(server.url);
    const answer = await call(socket, 'room:create', { title: 'x'.repeat(200) });
    expect(answer.ok ? null : answer.error).toMatchObject({
      code: 'INVALID_PAYLOAD',
      message: 'That request is not valid (title: At most 120 characters.).',
      issues: [{ path: 'title', message: 'At most 120 characters.' }],
    });
  });

  it('refuses writes before joining with NOT_JOINED', async () => {
    const socket = await connect(server.url);
    const answer = await call(socket, 'post:create', { id: nanoid(), parentId: null, body: 'hi' });
    expect(answer.ok ? null : answer.error.code).toBe('NOT_JOINED');
  });

  it('survives events without an ack, unknown events and frames over the size limit', async () => {
    const rude = await connect(server.url);
    (rude as unknown as { emit(e: string, ...a: unknown[]): void }).emit('room:create', { title: 'no ack' });
    (rude as unknown as { emit(e: string, ...a: unknown[]): void }).emit('no:such:event', { x: 1 });
    (rude as unknown as { emit(e: string, ...a: unknown[]): void }).emit('post:create');
    const huge = await connect(server.url);
    const closed = new Promise((resolve) => huge.once('disconnect', resolve));
    huge.emit('room:create', { title: 'x'.repeat(1_000_000) }, () => {});
    await closed;
    const fine = await connect(server.url);
    expect((await ok(fine, 'room:create', { title: 'after all that' })).roomId).toHaveLength(10);
  });

  it('meters writes: a flood gets RATE_LIMITED with a sentence, and nothing past the limit is stored', async () => {
    const limited = await (await import('../helpers/server.js')).startTestServer({ writeRate: { burst: 5, perSecond: 1 } });
    try {
      const { host, roomId } = await openRoom(limited.url);
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => call(host, 'post:create', { id: nanoid(), parentId: null, body: `flood ${i}` })),
      );
      const refused = answers.filter((a) => !a.ok);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0].ok ? null : refused[0].error).toMatchObject({ code: 'RATE_LIMITED' });
      expect(refused[0].ok ? '' : refused[0].error.message).toMatch(/too fast/);
      const state = (await limited.store.load(roomId))!;
      expect(state.postOrder).toHaveLength(answers.filter((a) => a.ok).length);
    } finally {
      await limited.close();
    }
  });
});
