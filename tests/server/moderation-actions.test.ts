import { nanoid } from 'nanoid';
import { describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/ack.js';
import type { Written } from '../../shared/events.js';
import { call, connect, disconnectAll, ok, settle, until, type TestSocket } from '../helpers/client.js';
import { eventsOf, opened } from '../helpers/snapshot.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';
import { moderationRequests, moderationScene } from '../helpers/moderation-scene.js';

let clock = Date.parse('2026-11-27T12:00:00Z');
const server = useTestServer({ now: () => clock }, { perTest: true });

const send = (socket: TestSocket, event: string, payload: unknown) => call(socket, event as 'mod:post', payload) as Promise<Ack<Written>>;

describe('every moderation action', () => {
  it('is one logged event that a viewer receives in the broadcast, and enters the mod log', async () => {
    const count = moderationRequests(await moderationScene(server.url)).length;
    for (let i = 0; i < count; i++) {
      // A fresh scene per action, so each one is valid when the host does it.
      const scene = await moderationScene(server.url);
      const request = moderationRequests(scene)[i];
      const answer = await send(scene.host.socket, request.event, request.payload);
      expect(answer.ok, `${request.name}: ${JSON.stringify(answer)}`).toBe(true);
      if (!answer.ok) continue;
      await until(() => scene.viewer.socket.received.some((e) => e.seq === answer.data.seq), `${request.name} live`);
      const state = (await server.store.load(scene.roomId))!;
      expect(state.modLog.at(-1)?.seq, request.name).toBe(answer.data.seq);
      disconnectAll();
    }
  }, 60_000);
});

describe('removing and restoring posts', () => {
  it('shows a tombstone with the reason; only moderators still get the text, and restore brings it back', async () => {
    const { host, roomId, hostToken } = await openRoom(server.url);
    const author = await joinAs(server.url, roomId, 'Author');
    const { id } = await post(author.socket, 'you are an alt account, admit it');
    const viewer = await joinAs(server.url, roomId, null);
    await ok(host, 'mod:post', { action: 'remove', postId: id, reason: 'personal attack' });
    await until(() => viewer.socket.received.some((e) => e.type === 'post.removed'), 'removal live');
    expect(viewer.socket.received.find((e) => e.type === 'post.removed')).toMatchObject({ postId: id, reason: 'personal attack' });

    const lateViewer = await joinAs(server.url, roomId, null);
    expect(lateViewer.joined.snapshot.posts[id]).toMatchObject({ body: '', removed: { reason: 'personal attack' } });
    expect(JSON.stringify(lateViewer.joined.snapshot)).not.toContain('alt account');
    const synced = eventsOf(await ok(lateViewer.socket, 'room:sync', { since: 0 }));
    expect(synced.some((e) => e.type === 'post.created' && e.postId === id)).toBe(true);
    expect(JSON.stringify(synced)).not.toContain('alt account');
    const mod = opened(await ok(host, 'room:join', { roomId, role: 'participant', token: hostToken }));
    expect(mod.snapshot.posts[id].body).toBe('you are an alt account, admit it');

    await ok(host, 'mod:post', { action: 'restore', postId: id });
    await until(() => lateViewer.socket.received.some((e) => e.type === 'post.restored'), 'restore live');
    expect(lateViewer.socket.received.find((e) => e.type === 'post.restored')).toMatchObject({ body: 'you are an alt account, admit it' });
  });

  it('pinned posts are marked, and a locked thread takes no new replies beneath it', async () => {
    const { host, roomId } = await openRoom(server.url);
    const bea = await joinAs(server.url, roomId, 'Bea');
    const top = await post(bea.socket, 'top');
    const child = await post(bea.socket, 'child', top.id);
    await ok(host, 'mod:post', { action: 'pin', postId: top.id });
    await ok(host, 'mod:post', { action: 'lock', postId: top.id });
    const refused = await call(bea.socket, 'post:create', { id: nanoid(), parentId: child.id, body: 'deep reply' });
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'ROOM_LOCKED', message: 'This thread is locked; no new replies.' });
    expect((await call(bea.socket, 'post:create', { id: nanoid(), parentId: null, body: 'elsewhere is fine' })).ok).toBe(true);
    const state = (await server.store.load(roomId))!;
    expect(state.posts[top.id].pinnedAt).not.toBeNull();
  });
});

describe('people', () => {
  it('a ban closes every socket of that person at once, removes their posts if asked, and a rejoin is refused', async () => {
    const { host, roomId } = await openRoom(server.url);
    const troll = await joinAs(server.url, roomId, 'Troll');
    const secondTab = await connect(server.url);
    await ok(secondTab, 'room:join', { roomId, role: 'participant', token: troll.token });
    const { id } = await post(troll.socket, 'insults');
    const ended: unknown[] = [];
    troll.socket.on('session:ended', (why) => ended.push(why));
    const closed = Promise.all([troll.socket, secondTab].map((s) => new Promise((resolve) => s.once('disconnect', resolve))));
    await ok(host, 'mod:member', { action: 'ban', memberId: troll.id, reason: 'insults', removePosts: true });
    await closed;
    expect(ended).toEqual([{ reason: 'banned', message: 'You were banned from this room: insults' }]);
    const state = (await server.store.load(roomId))!;
    expect(state.posts[id].removed).toMatchObject({ reason: 'insults' });
    const again = await connect(server.url);
    const rejoin = await call(again, 'room:join', { roomId, role: 'participant', token: troll.token });
    expect(rejoin.ok ? null : rejoin.error.code).toBe('FORBIDDEN');
    await ok(host, 'mod:member', { action: 'unban', memberId: troll.id });
    expect((await call(again, 'room:join', { roomId, role: 'participant', token: troll.token })).ok).toBe(true);
  });

  it('a mute stops posting and reacting until it ends, on the server’s clock', async () => {
    const { host, roomId } = await openRoom(server.url);
    const bea = await joinAs(server.url, roomId, 'Bea');
    const { id } = await post(host, 'react to this');
    await ok(host, 'mod:member', { action: 'mute', memberId: bea.id, minutes: 10, reason: 'cool off' });
    const state = (await server.store.load(roomId))!;
    expect(state.members[bea.id].mutedUntil).toBe(clock + 10 * 60_000);
    const refused = await call(bea.socket, 'post:create', { id: nanoid(), parentId: null, body: 'let me speak' });
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'FORBIDDEN', message: 'You are muted until 12:10 UTC (cool off).' });
    expect((await call(bea.socket, 'reaction:set', { postId: id, emoji: '👎', on: true })).ok).toBe(false);
    clock += 10 * 60_000 - 1;
    expect((await call(bea.socket, 'post:create', { id: nanoid(), parentId: null, body: 'now?' })).ok).toBe(false);
    clock += 1;
    expect((await call(bea.socket, 'post:create', { id: nanoid(), parentId: null, body: 'now.' })).ok).toBe(true);
  });

  it('promotion moves a member’s sockets to the moderators’ view', async () => {
    const { host, roomId } = await openRoom(server.url);
    const bea = await joinAs(server.url, roomId, 'Bea');
    let refreshed = 0;
    bea.socket.on('session:refresh', () => refreshed++);
    await ok(host, 'mod:room', { action: 'blockedTerms', terms: [{ term: 'tankie', action: 'hold' }] });
    await ok(host, 'mod:member', { action: 'promote', memberId: bea.id });
    await until(() => refreshed === 1, 'refresh');
    const again = opened(await ok(bea.socket, 'room:join', { roomId, role: 'participant', token: bea.token }));
    expect(again.me.role).toBe('moderator');
    expect(again.snapshot.blockedTerms).toEqual([{ term: 'tankie', action: 'hold' }]);
  });
});

describe('the room', () => {
  it('slow mode spaces a participant’s posts; moderators are exempt; it ends when switched off', async () => {
    const { host, roomId } = await openRoom(server.url);
    const bea = await joinAs(server.url, roomId, 'Bea');
    await ok(host, 'mod:room', { action: 'settings', settings: { slowModeSeconds: 30 } });
    await post(bea.socket, 'first');
    clock += 29_000;
    const early = await call(bea.socket, 'post:create', { id: nanoid(), parentId: null, body: 'second' });
    expect(early.ok ? null : early.error).toMatchObject({ code: 'RATE_LIMITED', message: 'Slow mode is on: you can post again in 1 s.' });
    await post(host, 'hosts are exempt');
    await post(host, 'twice');
    clock += 1_000;
    await post(bea.socket, 'second, on time');
  });

  it('approved speakers only: others raise a hand, a moderator approves, then they may post', async () => {
    const { host, roomId } = await openRoom(server.url);
    const bea = await joinAs(server.url, roomId, 'Bea');
    await ok(host, 'mod:room', { action: 'settings', settings: { postingMode: 'speakers' } });
    const refused = await call(bea.socket, 'post:create', { id: nanoid(), parentId: null, body: 'may I?' });
    expect(refused.ok ? '' : refused.error.message).toMatch(/raise your hand/);
    await ok(bea.socket, 'hand:set', { raised: true });
    expect((await server.store.load(roomId))!.members[bea.id].handRaised).toBe(true);
    await ok(host, 'mod:member', { action: 'approveSpeaker', memberId: bea.id });
    await post(bea.socket, 'thank you');
  });

  it('a locked room is read-only for participants; a closed room for everyone, for good', async () => {
    const { host, roomId } = await openRoom(server.url);
    const bea = await joinAs(server.url, roomId, 'Bea');
    await ok(host, 'mod:room', { action: 'lock', reason: 'break' });
    const locked = await call(bea.socket, 'post:create', { id: nanoid(), parentId: null, body: 'hello?' });
    expect(locked.ok ? null : locked.error.code).toBe('ROOM_LOCKED');
    await post(host, 'moderators may still speak');
    await ok(host, 'mod:room', { action: 'unlock' });
    await post(bea.socket, 'back');
    await ok(host, 'mod:room', { action: 'close', reason: 'the end' });
    for (const socket of [bea.socket, host]) {
      const closed = await call(socket, 'post:create', { id: nanoid(), parentId: null, body: 'after the end' });
      expect(closed.ok ? null : closed.error.code).toBe('ROOM_LOCKED');
    }
    expect((await call(host, 'mod:room', { action: 'unlock' })).ok).toBe(false);
  });

  it('automod rejects or holds blocked words, letter substitutions included; held posts wait for review', async () => {
    const { host, roomId } = await openRoom(server.url);
    const bea = await joinAs(server.url, roomId, 'Bea');
    const viewer = await joinAs(server.url, roomId, null);
    await ok(host, 'mod:room', {
      action: 'blockedTerms',
      terms: [{ term: 'idiot', action: 'reject' }, { term: 'tankie', action: 'hold' }],
    });
    const rejected = await call(bea.socket, 'post:create', { id: nanoid(), parentId: null, body: 'what an 1D10T' });
    expect(rejected.ok ? null : rejected.error).toMatchObject({ code: 'BLOCKED_TERM', message: 'This room does not allow “idiot”; please rephrase.' });
    expect((await call(bea.socket, 'post:create', { id: nanoid(), parentId: null, body: 'idiotic is a different word' })).ok).toBe(true);
    const heldId = nanoid();
    const held = await ok(bea.socket, 'post:create', { id: heldId, parentId: null, body: 'typical T@NKIE take' });
    expect(held.held).toBe(true);
    await until(() => viewer.socket.received.some((e) => e.type === 'post.held'), 'held live');
    expect(JSON.stringify(viewer.socket.received)).not.toContain('T@NKIE');
    expect(JSON.stringify(viewer.socket.received)).not.toContain('tankie');
    const queue = (await server.store.load(roomId))!.held[heldId];
    expect(queue).toMatchObject({ body: 'typical T@NKIE take', term: 'tankie' });
    await ok(host, 'mod:held', { postId: heldId, action: 'approve', reason: '' });
    await until(() => viewer.socket.received.some((e) => e.type === 'post.approved'), 'approval live');
    expect(viewer.socket.received.find((e) => e.type === 'post.approved')).toMatchObject({ body: 'typical T@NKIE take' });
  });

  it('reports: anyone may report; moderators see who and why, others only that a report exists', async () => {
    const { host, roomId, hostToken } = await openRoom(server.url);
    const bea = await joinAs(server.url, roomId, 'Bea');
    const viewer = await joinAs(server.url, roomId, null);
    const { id } = await post(bea.socket, 'everybody you know is cia');
    await ok(viewer.socket, 'report:create', { postId: id, reason: 'conspiracy bait' });
    await ok(viewer.socket, 'report:create', { postId: id, reason: 'again' });
    const state = (await server.store.load(roomId))!;
    expect(Object.values(state.reports)).toHaveLength(1);
    const bob = await joinAs(server.url, roomId, null);
    const report = Object.values(bob.joined.snapshot.reports)[0];
    expect(report).toMatchObject({ postId: id, reporterId: '', reason: '' });
    const hostView = opened(await ok(host, 'room:join', { roomId, role: 'participant', token: hostToken }));
    expect(Object.values(hostView.snapshot.reports)[0]).toMatchObject({ reporterId: viewer.id, reason: 'conspiracy bait' });
    await ok(host, 'mod:reports', { postId: id });
    expect(Object.values((await server.store.load(roomId))!.reports)).toHaveLength(0);
  });

  it('the mod log is public; the host decides whether moderators’ names show', async () => {
    const { host, roomId, hostId } = await openRoom(server.url);
    const bea = await joinAs(server.url, roomId, 'Bea');
    const { id } = await post(bea.socket, 'meh');
    await ok(host, 'mod:post', { action: 'pin', postId: id });
    const viewer = await joinAs(server.url, roomId, null);
    expect(viewer.joined.snapshot.modLog.at(-1)).toMatchObject({ action: 'post.pinned', postId: id, actorId: hostId });
    await ok(host, 'mod:room', { action: 'settings', settings: { showModNames: false } });
    await ok(host, 'mod:post', { action: 'remove', postId: id, reason: 'meh' });
    await settle();
    expect(viewer.socket.received.find((e) => e.type === 'post.removed')?.actorId).toBe('');
    const late = await joinAs(server.url, roomId, null);
    expect(late.joined.snapshot.modLog.map((entry) => entry.actorId)).toEqual(['', '', '']);
    expect(late.joined.snapshot.posts[id].removed?.by).toBe('');
  });
});
