import { describe, expect, it } from 'vitest';
import { actorOf, can, check, isActiveModerator, isHost, type Action, type Actor, type Verdict } from '../../shared/permissions.js';
import { audienceOf } from '../../server/handlers/room-read.js';
import type { Member, Post } from '../../shared/room-state.js';
import { RoomBuilder } from '../helpers/room-builder.js';

/** Every moderation action check() knows, and what it is aimed at. */
const MODERATION_ACTIONS = {
  'post.remove': 'post',
  'post.restore': 'post',
  'post.pin': 'post',
  'thread.lock': 'post',
  'member.mute': 'member',
  'member.ban': 'member',
  'member.promote': 'member',
  'queue.review': 'room',
  'hand.resolve': 'member',
  'room.settings': 'room',
  'room.lock': 'room',
  'room.blockedTerms': 'room',
  'room.modNames': 'room',
  'room.close': 'room',
} as const satisfies Partial<Record<Action, 'post' | 'member' | 'room'>>;
type ModerationAction = keyof typeof MODERATION_ACTIONS;
const ALL_MODERATION = Object.keys(MODERATION_ACTIONS) as ModerationAction[];
const HOST_ONLY: ModerationAction[] = ['member.promote', 'room.close', 'room.blockedTerms', 'room.modNames'];
const MODERATOR_LEVEL = ALL_MODERATION.filter((action) => !HOST_ONLY.includes(action));
const TAKING_PART: Action[] = ['post.create', 'post.reply', 'post.edit', 'post.delete', 'reaction.set', 'post.report', 'hand.raise', 'hand.lower'];
const EVERY_ACTION: Action[] = [...TAKING_PART, ...ALL_MODERATION];

const NOW = Date.UTC(2025, 0, 6, 13, 0, 0);
const LATER = NOW + 365 * 24 * 3600_000;

/**
 * A room with a host, two moderators, participants, a muted one, a banned one and a banned moderator,
 * each with a post of their own (p-<id>), built from real events.
 */
function room() {
  const b = new RoomBuilder('host');
  for (const id of ['mod1', 'mod2', 'modBanned']) b.moderator(id);
  for (const id of ['alice', 'bob', 'muted', 'banned']) b.join(id);
  for (const id of ['host', 'mod1', 'mod2', 'modBanned', 'alice', 'bob', 'muted', 'banned']) b.post(`p-${id}`, id);
  b.add({ type: 'member.muted', actorId: 'host', memberId: 'muted', until: LATER, reason: 'cool off' });
  b.add({ type: 'member.banned', actorId: 'host', memberId: 'banned', reason: 'spam', removePosts: false });
  b.add({ type: 'member.banned', actorId: 'host', memberId: 'modBanned', reason: 'rogue', removePosts: false });
  return b;
}

/** The target a moderation action aims at `subject`: their post, or the member themselves. */
function targetOn(b: RoomBuilder, action: ModerationAction, subjectId: string): Post | Member {
  return MODERATION_ACTIONS[action] === 'post' ? b.postOf(`p-${subjectId}`) : b.member(subjectId);
}

const actor = (b: RoomBuilder, id: string | null, now = NOW): Actor => actorOf(b.state, id, now);

function expectRefused(verdict: Verdict, code: string) {
  expect(verdict).toMatchObject({ ok: false, code });
  if (!verdict.ok) expect(verdict.reason).toMatch(/\w+.*\.$/);
}

describe('moderation: who may act on whom (every action)', () => {
  const b = room();

  const outsiders: [string, string | null][] = [
    ['a participant', 'alice'],
    ['a viewer with an identity', 'viewer-1'],
    ['a viewer without an identity', null],
    ['a muted participant', 'muted'],
    ['a banned participant', 'banned'],
    ['a banned moderator', 'modBanned'],
  ];
  for (const [who, id] of outsiders) {
    it.each(ALL_MODERATION)(`${who} may not %s`, (action) => {
      const verdict = check(actor(b, id), action, targetOn(b, action, 'bob'));
      expectRefused(verdict, 'FORBIDDEN');
      expect(can(actor(b, id), action, targetOn(b, action, 'bob'))).toBe(false);
    });
  }

  it.each(ALL_MODERATION)('a moderator may not %s aimed at the host', (action) => {
    expectRefused(check(actor(b, 'mod1'), action, targetOn(b, action, 'host')), 'FORBIDDEN');
  });

  it.each(ALL_MODERATION)('a moderator may not %s aimed at another moderator', (action) => {
    expectRefused(check(actor(b, 'mod1'), action, targetOn(b, action, 'mod2')), 'FORBIDDEN');
  });

  it.each(MODERATOR_LEVEL)('a moderator may %s aimed at a participant', (action) => {
    expect(check(actor(b, 'mod1'), action, targetOn(b, action, 'alice'))).toEqual({ ok: true });
    expect(check(actor(b, 'mod1'), action, targetOn(b, action, 'muted'))).toEqual({ ok: true });
    expect(check(actor(b, 'mod1'), action, targetOn(b, action, 'banned'))).toEqual({ ok: true });
  });

  it.each(HOST_ONLY)('a moderator may not %s (host only), even aimed at a participant', (action) => {
    const verdict = check(actor(b, 'mod1'), action, targetOn(b, action, 'alice'));
    expectRefused(verdict, 'FORBIDDEN');
    expect(!verdict.ok && verdict.reason).toMatch(/host/i);
  });

  it.each(ALL_MODERATION)('the host may %s aimed at a participant and at a moderator', (action) => {
    expect(check(actor(b, 'host'), action, targetOn(b, action, 'alice'))).toEqual({ ok: true });
    expect(check(actor(b, 'host'), action, targetOn(b, action, 'mod1'))).toEqual({ ok: true });
    expect(check(actor(b, 'host'), action, targetOn(b, action, 'modBanned'))).toEqual({ ok: true });
  });

  describe('room-wide actions with no target', () => {
    const roomWide = ALL_MODERATION.filter((action) => MODERATION_ACTIONS[action] === 'room');
    it.each(roomWide)('%s: host yes, moderator only if not host-only, participant and viewer no', (action) => {
      expect(check(actor(b, 'host'), action)).toEqual({ ok: true });
      if (HOST_ONLY.includes(action)) expectRefused(check(actor(b, 'mod1'), action), 'FORBIDDEN');
      else expect(check(actor(b, 'mod1'), action)).toEqual({ ok: true });
      expectRefused(check(actor(b, 'alice'), action), 'FORBIDDEN');
      expectRefused(check(actor(b, 'viewer-1'), action), 'FORBIDDEN');
    });

    it.each(['post.remove', 'post.restore', 'post.pin', 'thread.lock', 'member.mute', 'member.ban', 'member.promote'] as const)(
      '%s needs something to act on',
      (action) => {
        expectRefused(check(actor(b, 'host'), action), 'FORBIDDEN');
        expectRefused(check(actor(b, 'mod1'), action), 'FORBIDDEN');
      },
    );
  });

  describe('nobody acts on themselves', () => {
    it.each(['host', 'mod1', 'alice'])('%s cannot mute or ban themselves', (id) => {
      for (const action of ['member.mute', 'member.ban'] as const) {
        expectRefused(check(actor(b, id), action, b.member(id)), 'FORBIDDEN');
      }
    });

    it('the host cannot promote (or demote) themselves', () => {
      expectRefused(check(actor(b, 'host'), 'member.promote', b.member('host')), 'FORBIDDEN');
    });

    it('a moderator may pin and lock their own post but not remove or restore it', () => {
      const own = b.postOf('p-mod1');
      expect(check(actor(b, 'mod1'), 'post.pin', own)).toEqual({ ok: true });
      expect(check(actor(b, 'mod1'), 'thread.lock', own)).toEqual({ ok: true });
      expectRefused(check(actor(b, 'mod1'), 'post.remove', own), 'FORBIDDEN');
      expectRefused(check(actor(b, 'mod1'), 'post.restore', own), 'FORBIDDEN');
    });
  });

  it('a demoted moderator loses moderation at once', () => {
    const d = room();
    d.add({ type: 'member.demoted', actorId: 'host', memberId: 'mod1' });
    expectRefused(check(actor(d, 'mod1'), 'post.remove', d.postOf('p-alice')), 'FORBIDDEN');
    expect(check(actor(d, 'mod2'), 'member.mute', d.member('mod1'))).toEqual({ ok: true });
  });
});

describe('taking part: mutes (fake clock)', () => {
  const UNTIL = NOW + 10 * 60_000;
  function mutedRoom() {
    const b = new RoomBuilder('host');
    b.join('alice');
    b.join('bob');
    b.post('p-bob', 'bob');
    b.post('p-alice', 'alice');
    b.add({ type: 'member.muted', actorId: 'host', memberId: 'alice', until: UNTIL, reason: 'heated' });
    return b;
  }
  const speaking: [Action, (b: RoomBuilder) => Post | undefined][] = [
    ['post.create', () => undefined],
    ['post.reply', (b) => b.postOf('p-bob')],
    ['reaction.set', (b) => b.postOf('p-bob')],
    ['post.edit', (b) => b.postOf('p-alice')],
  ];

  it.each(speaking)('a muted member may not %s until the mute ends, and may exactly when it does', (action, target) => {
    const b = mutedRoom();
    for (const now of [NOW, UNTIL - 60_000, UNTIL - 1]) {
      const verdict = check(actorOf(b.state, 'alice', now), action, target(b));
      expectRefused(verdict, 'FORBIDDEN');
      expect(!verdict.ok && verdict.reason).toMatch(/muted until 13:10 UTC \(heated\)/);
    }
    expect(check(actorOf(b.state, 'alice', UNTIL), action, target(b))).toEqual({ ok: true });
    expect(check(actorOf(b.state, 'alice', UNTIL + 1), action, target(b))).toEqual({ ok: true });
    // The mute is someone else's business: bob is unaffected.
    expect(check(actorOf(b.state, 'bob', NOW), 'post.create')).toEqual({ ok: true });
  });

  it('an unmute lets them speak again at once', () => {
    const b = mutedRoom();
    b.add({ type: 'member.unmuted', actorId: 'host', memberId: 'alice' });
    expect(check(actorOf(b.state, 'alice', NOW), 'post.create')).toEqual({ ok: true });
  });

  it('a muted member may still delete their own post', () => {
    const b = mutedRoom();
    expect(check(actorOf(b.state, 'alice', NOW), 'post.delete', b.postOf('p-alice'))).toEqual({ ok: true });
  });
});

describe('taking part: slow mode (fake clock)', () => {
  const N = 30;
  const t = Date.UTC(2025, 0, 6, 14, 0, 0);
  function slowRoom() {
    const b = new RoomBuilder('host');
    b.moderator('mod1');
    b.join('alice');
    b.join('bob');
    b.post('p-bob', 'bob', { at: t - 3_600_000 });
    b.add({ type: 'room.settings', actorId: 'host', settings: { slowModeSeconds: N } });
    b.post('p-alice', 'alice', { at: t });
    b.post('p-mod1', 'mod1', { at: t });
    b.post('p-host', 'host', { at: t });
    return b;
  }

  it.each(['post.create', 'post.reply'] as const)('%s: refused at t + N s − 1 ms, allowed at t + N s', (action) => {
    const b = slowRoom();
    const target = action === 'post.reply' ? b.postOf('p-bob') : undefined;
    const early = check(actorOf(b.state, 'alice', t + N * 1000 - 1), action, target);
    expect(early).toEqual({ ok: false, code: 'RATE_LIMITED', reason: expect.stringMatching(/\b1 s\b/) });
    expect(check(actorOf(b.state, 'alice', t + N * 1000), action, target)).toEqual({ ok: true });
  });

  it('the refusal says how many seconds are left', () => {
    const b = slowRoom();
    const verdict = check(actorOf(b.state, 'alice', t + 10_000), 'post.create');
    expect(verdict).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect(!verdict.ok && verdict.reason).toMatch(/\b20 s\b/);
    const sooner = check(actorOf(b.state, 'alice', t + 1), 'post.create');
    expect(!sooner.ok && sooner.reason).toMatch(/\b30 s\b/);
  });

  it('counts from each member\'s own last post', () => {
    const b = slowRoom();
    // bob last posted an hour ago.
    expect(check(actorOf(b.state, 'bob', t + 1), 'post.create')).toEqual({ ok: true });
  });

  it('moderators and the host are exempt', () => {
    const b = slowRoom();
    expect(check(actorOf(b.state, 'mod1', t + 1), 'post.create')).toEqual({ ok: true });
    expect(check(actorOf(b.state, 'host', t + 1), 'post.reply', b.postOf('p-bob'))).toEqual({ ok: true });
  });

  it('reactions are not slowed', () => {
    const b = slowRoom();
    expect(check(actorOf(b.state, 'alice', t + 1), 'reaction.set', b.postOf('p-bob'))).toEqual({ ok: true });
  });

  it('turning slow mode off lifts the wait', () => {
    const b = slowRoom();
    b.add({ type: 'room.settings', actorId: 'host', settings: { slowModeSeconds: 0 } });
    expect(check(actorOf(b.state, 'alice', t + 1), 'post.create')).toEqual({ ok: true });
  });
});

describe('taking part: approved speakers only', () => {
  function speakersRoom() {
    const b = new RoomBuilder('host');
    b.moderator('mod1');
    b.join('alice');
    b.join('bob');
    b.post('p-host', 'host');
    b.add({ type: 'room.settings', actorId: 'host', settings: { postingMode: 'speakers' } });
    b.add({ type: 'hand.raised', actorId: 'bob' });
    b.add({ type: 'hand.resolved', actorId: 'mod1', memberId: 'bob', approved: true });
    return b;
  }

  it.each(['post.create', 'post.reply'] as const)('%s: a non-speaker is told to raise a hand', (action) => {
    const b = speakersRoom();
    const verdict = check(actorOf(b.state, 'alice', NOW), action, b.postOf('p-host'));
    expectRefused(verdict, 'FORBIDDEN');
    expect(!verdict.ok && verdict.reason).toMatch(/raise your hand/i);
  });

  it.each(['post.create', 'post.reply'] as const)('%s: speakers, moderators and the host may', (action) => {
    const b = speakersRoom();
    for (const id of ['bob', 'mod1', 'host']) expect(check(actorOf(b.state, id, NOW), action, b.postOf('p-host'))).toEqual({ ok: true });
  });

  it('a non-speaker may raise a hand; a speaker or moderator need not', () => {
    const b = speakersRoom();
    expect(check(actorOf(b.state, 'alice', NOW), 'hand.raise')).toEqual({ ok: true });
    expectRefused(check(actorOf(b.state, 'bob', NOW), 'hand.raise'), 'FORBIDDEN');
    expectRefused(check(actorOf(b.state, 'mod1', NOW), 'hand.raise'), 'FORBIDDEN');
  });

  it('a denied hand or a revoked speaker cannot post', () => {
    const b = speakersRoom();
    b.add({ type: 'hand.raised', actorId: 'alice' });
    b.add({ type: 'hand.resolved', actorId: 'mod1', memberId: 'alice', approved: false });
    b.add({ type: 'speaker.revoked', actorId: 'mod1', memberId: 'bob' });
    expectRefused(check(actorOf(b.state, 'alice', NOW), 'post.create'), 'FORBIDDEN');
    expectRefused(check(actorOf(b.state, 'bob', NOW), 'post.create'), 'FORBIDDEN');
  });

  it('back to everyone: anyone may post again', () => {
    const b = speakersRoom();
    b.add({ type: 'room.settings', actorId: 'host', settings: { postingMode: 'everyone' } });
    expect(check(actorOf(b.state, 'alice', NOW), 'post.create')).toEqual({ ok: true });
  });
});

describe('taking part: locked threads', () => {
  function lockedThread() {
    const b = new RoomBuilder('host');
    b.moderator('mod1');
    b.join('alice');
    b.join('bob');
    b.post('root', 'alice');
    b.post('child', 'bob', { parentId: 'root' });
    b.post('grandchild', 'alice', { parentId: 'child' });
    b.post('elsewhere', 'bob');
    b.post('elsewhere-child', 'alice', { parentId: 'elsewhere' });
    b.add({ type: 'thread.locked', actorId: 'mod1', postId: 'root' });
    return b;
  }

  it.each(['root', 'child', 'grandchild'])('a participant may not reply to %s, anywhere beneath the lock', (id) => {
    const b = lockedThread();
    const verdict = check(actorOf(b.state, 'bob', NOW), 'post.reply', b.postOf(id));
    expectRefused(verdict, 'ROOM_LOCKED');
    expect(!verdict.ok && verdict.reason).toMatch(/locked/i);
  });

  it.each(['root', 'child', 'grandchild'])('moderators and the host may still reply to %s', (id) => {
    const b = lockedThread();
    expect(check(actorOf(b.state, 'mod1', NOW), 'post.reply', b.postOf(id))).toEqual({ ok: true });
    expect(check(actorOf(b.state, 'host', NOW), 'post.reply', b.postOf(id))).toEqual({ ok: true });
  });

  it('other threads and new top-level posts are open', () => {
    const b = lockedThread();
    expect(check(actorOf(b.state, 'bob', NOW), 'post.reply', b.postOf('elsewhere-child'))).toEqual({ ok: true });
    expect(check(actorOf(b.state, 'bob', NOW), 'post.create')).toEqual({ ok: true });
  });

  it('a lock in the middle locks below it, not above it', () => {
    const b = lockedThread();
    b.add({ type: 'thread.unlocked', actorId: 'mod1', postId: 'root' });
    b.add({ type: 'thread.locked', actorId: 'mod1', postId: 'child' });
    expect(check(actorOf(b.state, 'bob', NOW), 'post.reply', b.postOf('root'))).toEqual({ ok: true });
    expectRefused(check(actorOf(b.state, 'bob', NOW), 'post.reply', b.postOf('grandchild')), 'ROOM_LOCKED');
  });

  it('unlocking opens replies again', () => {
    const b = lockedThread();
    b.add({ type: 'thread.unlocked', actorId: 'mod1', postId: 'root' });
    expect(check(actorOf(b.state, 'bob', NOW), 'post.reply', b.postOf('grandchild'))).toEqual({ ok: true });
  });
});

describe('taking part: a locked room', () => {
  function lockedRoom() {
    const b = new RoomBuilder('host');
    b.moderator('mod1');
    b.join('alice');
    b.post('p-alice', 'alice');
    b.post('p-mod1', 'mod1');
    b.add({ type: 'room.locked', actorId: 'mod1', reason: 'break' });
    return b;
  }
  const participantActions: [Action, string | undefined][] = [
    ['post.create', undefined],
    ['post.reply', 'p-mod1'],
    ['reaction.set', 'p-mod1'],
    ['post.edit', 'p-alice'],
    ['post.delete', 'p-alice'],
    ['hand.raise', undefined],
  ];

  it.each(participantActions)('a participant may not %s (ROOM_LOCKED)', (action, target) => {
    const b = lockedRoom();
    expectRefused(check(actorOf(b.state, 'alice', NOW), action, target ? b.postOf(target) : undefined), 'ROOM_LOCKED');
  });

  it('moderators and the host still post, reply and react', () => {
    const b = lockedRoom();
    for (const id of ['mod1', 'host']) {
      expect(check(actorOf(b.state, id, NOW), 'post.create')).toEqual({ ok: true });
      expect(check(actorOf(b.state, id, NOW), 'post.reply', b.postOf('p-alice'))).toEqual({ ok: true });
      expect(check(actorOf(b.state, id, NOW), 'reaction.set', b.postOf('p-alice'))).toEqual({ ok: true });
    }
    expect(check(actorOf(b.state, 'mod1', NOW), 'post.remove', b.postOf('p-alice'))).toEqual({ ok: true });
  });

  it('unlocking lets participants take part again', () => {
    const b = lockedRoom();
    b.add({ type: 'room.unlocked', actorId: 'mod1' });
    expect(check(actorOf(b.state, 'alice', NOW), 'post.create')).toEqual({ ok: true });
  });
});

describe('a closed room', () => {
  function closedRoom() {
    const b = new RoomBuilder('host');
    b.moderator('mod1');
    b.join('alice');
    b.join('bob');
    for (const id of ['host', 'mod1', 'alice', 'bob']) b.post(`p-${id}`, id);
    b.add({ type: 'room.closed', actorId: 'host', reason: 'debate over' });
    return b;
  }
  /** What each action would be aimed at, chosen so that the action would be allowed in an open room where it can be. */
  function targetFor(b: RoomBuilder, action: Action, id: string | null): Post | Member | undefined {
    if (action === 'post.edit' || action === 'post.delete') return b.postOf(id && b.state.posts[`p-${id}`] ? `p-${id}` : 'p-bob');
    if (action.startsWith('member.') || action === 'hand.resolve') return b.member('bob');
    if (action.startsWith('post.') && action !== 'post.create') return b.postOf('p-bob');
    if (action === 'thread.lock' || action === 'reaction.set') return b.postOf('p-bob');
    return undefined;
  }

  for (const id of ['host', 'mod1', 'alice', 'viewer-1', null]) {
    it.each(EVERY_ACTION)(`refuses ${id ?? 'an anonymous viewer'} %s with ROOM_LOCKED`, (action) => {
      const b = closedRoom();
      const verdict = check(actorOf(b.state, id, NOW), action, targetFor(b, action, id));
      expectRefused(verdict, 'ROOM_LOCKED');
      expect(!verdict.ok && verdict.reason).toMatch(/closed/i);
    });
  }

  it('the same actions were allowed to the host before the close', () => {
    const b = new RoomBuilder('host');
    b.moderator('mod1');
    b.join('alice');
    b.join('bob');
    for (const id of ['host', 'mod1', 'alice', 'bob']) b.post(`p-${id}`, id);
    const allowed = EVERY_ACTION.filter((action) => action !== 'hand.raise').filter((action) => can(actorOf(b.state, 'host', NOW), action, targetFor(b, action, 'host')));
    expect(allowed).toEqual(EVERY_ACTION.filter((action) => action !== 'hand.raise'));
  });
});

describe('reports', () => {
  function reportRoom() {
    const b = new RoomBuilder('host');
    b.moderator('mod1');
    b.join('alice');
    b.join('bob');
    b.post('live', 'bob');
    b.post('removed', 'bob');
    b.post('deleted', 'bob');
    b.add({ type: 'post.removed', actorId: 'mod1', postId: 'removed', reason: 'off topic' });
    b.add({ type: 'post.deleted', actorId: 'bob', postId: 'deleted' });
    return b;
  }

  it('participants and viewers with an identity may report a post', () => {
    const b = reportRoom();
    for (const id of ['alice', 'viewer-1', 'mod1', 'host']) expect(check(actorOf(b.state, id, NOW), 'post.report', b.postOf('live'))).toEqual({ ok: true });
  });

  it('a viewer without an identity may not', () => {
    const b = reportRoom();
    expectRefused(check(actorOf(b.state, null, NOW), 'post.report', b.postOf('live')), 'FORBIDDEN');
  });

  it('a banned member may not', () => {
    const b = reportRoom();
    b.add({ type: 'member.banned', actorId: 'host', memberId: 'alice', reason: 'abuse', removePosts: false });
    expectRefused(check(actorOf(b.state, 'alice', NOW), 'post.report', b.postOf('live')), 'FORBIDDEN');
  });

  it.each(['removed', 'deleted'])('nobody may report a %s post', (id) => {
    const b = reportRoom();
    for (const who of ['alice', 'viewer-1', 'mod1', 'host']) expectRefused(check(actorOf(b.state, who, NOW), 'post.report', b.postOf(id)), 'FORBIDDEN');
  });

  it('a report needs a post', () => {
    const b = reportRoom();
    expectRefused(check(actorOf(b.state, 'alice', NOW), 'post.report'), 'FORBIDDEN');
    expectRefused(check(actorOf(b.state, 'alice', NOW), 'post.report', b.member('bob')), 'FORBIDDEN');
  });
});

describe('editing and deleting', () => {
  function postsRoom() {
    const b = new RoomBuilder('host');
    b.moderator('mod1');
    b.join('alice');
    b.join('bob');
    b.post('mine', 'alice');
    b.post('theirs', 'bob');
    b.post('gone', 'alice');
    b.post('deleted', 'alice');
    b.add({ type: 'post.removed', actorId: 'mod1', postId: 'gone', reason: 'rude' });
    b.add({ type: 'post.deleted', actorId: 'alice', postId: 'deleted' });
    return b;
  }

  it('the author may edit and delete their own post', () => {
    const b = postsRoom();
    expect(check(actorOf(b.state, 'alice', NOW), 'post.edit', b.postOf('mine'))).toEqual({ ok: true });
    expect(check(actorOf(b.state, 'alice', NOW), 'post.delete', b.postOf('mine'))).toEqual({ ok: true });
  });

  it.each(['alice', 'mod1', 'host'])('%s may not edit or delete someone else\'s post', (id) => {
    const b = postsRoom();
    expectRefused(check(actorOf(b.state, id, NOW), 'post.edit', b.postOf('theirs')), 'FORBIDDEN');
    expectRefused(check(actorOf(b.state, id, NOW), 'post.delete', b.postOf('theirs')), 'FORBIDDEN');
  });

  it('a viewer may not edit or delete anything', () => {
    const b = postsRoom();
    expectRefused(check(actorOf(b.state, 'viewer-1', NOW), 'post.edit', b.postOf('theirs')), 'FORBIDDEN');
    expectRefused(check(actorOf(b.state, null, NOW), 'post.delete', b.postOf('theirs')), 'FORBIDDEN');
  });

  it('a removed post cannot be edited by its author', () => {
    const b = postsRoom();
    const verdict = check(actorOf(b.state, 'alice', NOW), 'post.edit', b.postOf('gone'));
    expectRefused(verdict, 'FORBIDDEN');
    expect(!verdict.ok && verdict.reason).toMatch(/removed/i);
  });

  it('a deleted post cannot be edited or deleted again', () => {
    const b = postsRoom();
    expectRefused(check(actorOf(b.state, 'alice', NOW), 'post.edit', b.postOf('deleted')), 'FORBIDDEN');
    expectRefused(check(actorOf(b.state, 'alice', NOW), 'post.delete', b.postOf('deleted')), 'FORBIDDEN');
  });

  it('nobody replies or reacts to a removed or deleted post', () => {
    const b = postsRoom();
    for (const id of ['gone', 'deleted']) {
      expectRefused(check(actorOf(b.state, 'bob', NOW), 'post.reply', b.postOf(id)), 'FORBIDDEN');
      expectRefused(check(actorOf(b.state, 'bob', NOW), 'reaction.set', b.postOf(id)), 'FORBIDDEN');
    }
  });

  it('viewers cannot post or react at all', () => {
    const b = postsRoom();
    for (const id of ['viewer-1', null]) {
      expectRefused(check(actorOf(b.state, id, NOW), 'post.create'), 'FORBIDDEN');
      expectRefused(check(actorOf(b.state, id, NOW), 'reaction.set', b.postOf('mine')), 'FORBIDDEN');
    }
  });
});

// An edit can say anything a new post could: it is held to the rules of posting where the post stands.
describe('editing obeys the rules of posting in that place', () => {
  const t = Date.UTC(2025, 0, 6, 14, 0, 0);
  function editRoom() {
    const b = new RoomBuilder('host');
    b.moderator('mod1');
    b.join('alice');
    b.join('bob');
    b.post('p-alice', 'alice', { at: t - 3_600_000 });
    b.post('p-mod1', 'mod1', { at: t - 3_600_000 });
    b.post('root', 'bob', { at: t - 3_600_000 });
    b.post('reply', 'alice', { parentId: 'root', at: t - 3_600_000 });
    return b;
  }
  const edit = (b: RoomBuilder, who: string, postId: string, now = t) => check(actorOf(b.state, who, now), 'post.edit', b.postOf(postId));

  it('a muted member may not edit', () => {
    const b = editRoom();
    b.add({ type: 'member.muted', actorId: 'host', memberId: 'alice', until: t + 60_000, reason: 'heated' });
    expect(edit(b, 'alice', 'p-alice')).toMatchObject({ ok: false, code: 'FORBIDDEN', reason: expect.stringMatching(/muted/) });
    expect(edit(b, 'alice', 'p-alice', t + 60_000)).toEqual({ ok: true });
  });

  it('in approved-speakers-only mode, only speakers and moderators edit', () => {
    const b = editRoom();
    b.add({ type: 'room.settings', actorId: 'host', settings: { postingMode: 'speakers' } });
    const verdict = edit(b, 'alice', 'p-alice');
    expectRefused(verdict, 'FORBIDDEN');
    expect(!verdict.ok && verdict.reason).toMatch(/approved speakers may edit posts.*raise your hand/i);
    expect(edit(b, 'mod1', 'p-mod1')).toEqual({ ok: true });
    b.add({ type: 'hand.raised', actorId: 'alice' });
    b.add({ type: 'hand.resolved', actorId: 'mod1', memberId: 'alice', approved: true });
    expect(edit(b, 'alice', 'p-alice')).toEqual({ ok: true });
  });

  it.each(['root', 'reply'])('in a locked thread nothing is edited: not %s', (postId) => {
    const b = editRoom();
    b.add({ type: 'thread.locked', actorId: 'mod1', postId: 'root' });
    const author = b.postOf(postId).authorId;
    const verdict = edit(b, author, postId);
    expectRefused(verdict, 'ROOM_LOCKED');
    expect(!verdict.ok && verdict.reason).toMatch(/locked; its posts cannot be edited/);
    // Elsewhere, editing goes on.
    expect(edit(b, 'alice', 'p-alice')).toEqual({ ok: true });
  });

  it('under slow mode an edit waits like a post, and counts as one', () => {
    const b = editRoom();
    b.add({ type: 'room.settings', actorId: 'host', settings: { slowModeSeconds: 30 } });
    b.post('fresh', 'alice', { at: t });
    expect(edit(b, 'alice', 'fresh', t + 10_000)).toMatchObject({ ok: false, code: 'RATE_LIMITED', reason: expect.stringMatching(/edit again in 20 s/) });
    expect(edit(b, 'alice', 'fresh', t + 30_000)).toEqual({ ok: true });
    b.add({ type: 'post.edited', actorId: 'alice', postId: 'fresh', body: 'better', at: t + 30_000 });
    expect(b.member('alice').lastPostAt).toBe(t + 30_000);
    expect(check(actorOf(b.state, 'alice', t + 40_000), 'post.create')).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect(edit(b, 'alice', 'fresh', t + 40_000)).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect(edit(b, 'mod1', 'p-mod1', t + 40_000)).toEqual({ ok: true });
  });

  it('deleting one\'s own post stays allowed under all of them', () => {
    const b = editRoom();
    b.add({ type: 'room.settings', actorId: 'host', settings: { slowModeSeconds: 30, postingMode: 'speakers' } });
    b.add({ type: 'thread.locked', actorId: 'mod1', postId: 'root' });
    b.add({ type: 'member.muted', actorId: 'host', memberId: 'alice', until: t + 60_000, reason: 'heated' });
    expect(check(actorOf(b.state, 'alice', t), 'post.delete', b.postOf('reply'))).toEqual({ ok: true });
  });
});

describe('lowering a hand', () => {
  it('is a write like raising one: not for viewers, not in a locked or closed room', () => {
    const b = new RoomBuilder('host');
    b.join('alice');
    b.add({ type: 'hand.raised', actorId: 'alice' });
    expect(check(actorOf(b.state, 'alice', NOW), 'hand.lower')).toEqual({ ok: true });
    expectRefused(check(actorOf(b.state, 'viewer-1', NOW), 'hand.lower'), 'FORBIDDEN');
    b.add({ type: 'room.locked', actorId: 'host', reason: 'break' });
    expectRefused(check(actorOf(b.state, 'alice', NOW), 'hand.lower'), 'ROOM_LOCKED');
    b.add({ type: 'room.closed', actorId: 'host', reason: 'done' });
    expectRefused(check(actorOf(b.state, 'alice', NOW), 'hand.lower'), 'ROOM_LOCKED');
  });
});

describe('who is a moderator, who is the host: one answer for both sides', () => {
  it('a banned moderator is no longer one, on the client and in what the server serves', () => {
    const b = room();
    const ids = ['host', 'mod1', 'modBanned', 'alice', 'banned', 'nobody'];
    const members = ids.map((id) => b.state.members[id]);
    expect(members.map((member) => isActiveModerator(member))).toEqual([true, true, false, false, false, false]);
    expect(ids.map((id) => audienceOf(b.state, id))).toEqual(['moderators', 'moderators', 'public', 'public', 'public', 'public']);
    expect(ids.map((id) => isHost(actor(b, id)))).toEqual([true, false, false, false, false, false]);
    // What the host alone may do is what isHost says.
    expect(ids.map((id) => can(actor(b, id), 'room.close'))).toEqual(ids.map((id) => isHost(actor(b, id))));
  });
});
