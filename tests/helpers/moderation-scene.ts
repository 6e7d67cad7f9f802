import { nanoid } from 'nanoid';
import { ok, type TestSocket } from './client.js';
import { joinAs, openRoom, post } from './fixtures.js';

/**
 * A room with everything a moderation action can act on: a moderator, a target participant with a
 * post, a removed post, a pinned post, a locked thread, a held post, a reported post, a muted and a
 * banned member, a second moderator, a raised hand; and the people who will try things: a
 * participant, a viewer, a muted participant. The clock is whatever the server uses.
 */
export async function moderationScene(url: string) {
  const { host, roomId, hostId, hostToken } = await openRoom(url);
  const join = (name: string | null) => joinAs(url, roomId, name);
  const mod = await join('Mod');
  const mod2 = await join('Mod Two');
  const target = await join('Target');
  const participant = await join('Participant');
  const muted = await join('Muted');
  const banned = await join('Banned');
  const demotable = await join('Demotable');
  const hand = await join('Hand');
  const viewer = await join(null);
  for (const member of [mod, mod2, demotable]) await ok(host, 'mod:member', { action: 'promote', memberId: member.id });
  // Rejoin the moderators so their sockets read as moderators from the start.
  await ok(mod.socket, 'room:join', { roomId, role: 'participant', token: mod.token });
  const targetPost = await post(target.socket, 'a post to act on');
  const hostPost = await post(host, 'the host speaks');
  const mod2Post = await post(mod2.socket, 'another moderator speaks');
  const removed = await post(target.socket, 'removed already');
  await ok(host, 'mod:post', { action: 'remove', postId: removed.id, reason: 'spam' });
  const pinned = await post(target.socket, 'pinned already');
  await ok(host, 'mod:post', { action: 'pin', postId: pinned.id });
  const locked = await post(target.socket, 'locked already');
  await ok(host, 'mod:post', { action: 'lock', postId: locked.id });
  await ok(host, 'mod:room', { action: 'blockedTerms', terms: [{ term: 'tankie', action: 'hold' }, { term: 'idiot', action: 'reject' }] });
  const heldId = nanoid();
  await ok(target.socket, 'post:create', { id: heldId, parentId: null, body: 'you tankie' });
  const heldId2 = nanoid();
  await ok(target.socket, 'post:create', { id: heldId2, parentId: null, body: 'another tankie' });
  const reported = await post(target.socket, 'report me');
  await ok(participant.socket, 'report:create', { postId: reported.id, reason: 'insult' });
  await ok(host, 'mod:member', { action: 'mute', memberId: muted.id, minutes: 30, reason: 'cool off' });
  await ok(host, 'mod:member', { action: 'mute', memberId: target.id, minutes: 5, reason: '' });
  await ok(host, 'mod:member', { action: 'ban', memberId: banned.id, reason: 'alt account', removePosts: false });
  await ok(hand.socket, 'hand:set', { raised: true });
  const speaker = hand;
  return {
    roomId,
    host: { socket: host, id: hostId, token: hostToken },
    mod,
    mod2,
    target,
    participant,
    muted,
    banned,
    demotable,
    hand,
    speaker,
    viewer,
    posts: { target: targetPost.id, host: hostPost.id, mod2: mod2Post.id, removed: removed.id, pinned: pinned.id, locked: locked.id, reported: reported.id },
    held: [heldId, heldId2],
  };
}
export type Scene = Awaited<ReturnType<typeof moderationScene>>;

/** Every moderation request, each valid for the host in a fresh scene. */
export function moderationRequests(scene: Scene): { name: string; event: string; payload: Record<string, unknown> }[] {
  const p = scene.posts;
  return [
    { name: 'remove a post', event: 'mod:post', payload: { action: 'remove', postId: p.target, reason: 'off topic' } },
    { name: 'restore a post', event: 'mod:post', payload: { action: 'restore', postId: p.removed } },
    { name: 'pin a post', event: 'mod:post', payload: { action: 'pin', postId: p.target } },
    { name: 'unpin a post', event: 'mod:post', payload: { action: 'unpin', postId: p.pinned } },
    { name: 'lock a thread', event: 'mod:post', payload: { action: 'lock', postId: p.target } },
    { name: 'unlock a thread', event: 'mod:post', payload: { action: 'unlock', postId: p.locked } },
    { name: 'approve a held post', event: 'mod:held', payload: { action: 'approve', postId: scene.held[0] } },
    { name: 'reject a held post', event: 'mod:held', payload: { action: 'reject', postId: scene.held[1] } },
    { name: 'dismiss reports', event: 'mod:reports', payload: { postId: p.reported } },
    { name: 'mute', event: 'mod:member', payload: { action: 'mute', memberId: scene.participant.id, minutes: 10 } },
    { name: 'unmute', event: 'mod:member', payload: { action: 'unmute', memberId: scene.target.id } },
    { name: 'ban', event: 'mod:member', payload: { action: 'ban', memberId: scene.target.id, removePosts: true } },
    { name: 'unban', event: 'mod:member', payload: { action: 'unban', memberId: scene.banned.id } },
    { name: 'promote', event: 'mod:member', payload: { action: 'promote', memberId: scene.target.id } },
    { name: 'demote', event: 'mod:member', payload: { action: 'demote', memberId: scene.demotable.id } },
    { name: 'approve a speaker', event: 'mod:member', payload: { action: 'approveSpeaker', memberId: scene.hand.id } },
    { name: 'deny a speaker', event: 'mod:member', payload: { action: 'denySpeaker', memberId: scene.hand.id } },
    { name: 'slow mode', event: 'mod:room', payload: { action: 'settings', settings: { slowModeSeconds: 30 } } },
    { name: 'speakers only', event: 'mod:room', payload: { action: 'settings', settings: { postingMode: 'speakers' } } },
    { name: 'hide moderator names', event: 'mod:room', payload: { action: 'settings', settings: { showModNames: false } } },
    { name: 'blocked terms', event: 'mod:room', payload: { action: 'blockedTerms', terms: [{ term: 'stalinist', action: 'hold' }] } },
    { name: 'lock the room', event: 'mod:room', payload: { action: 'lock', reason: 'too heated' } },
    { name: 'close the room', event: 'mod:room', payload: { action: 'close', reason: 'debate over' } },
    // Moderation in depth (notes are not mod log entries: tests/server/conduct.test.ts)
    { name: 'warn', event: 'mod:conduct', payload: { action: 'warn', memberId: scene.participant.id, reason: 'personal attacks' } },
    { name: 'shield mode', event: 'mod:guard', payload: { shield: true } },
    { name: 'new-member dampening', event: 'mod:guard', payload: { newMemberMinutes: 5, newMemberHeldPosts: 2 } },
  ];
}

export type Sock = TestSocket;
