import { describe, expect, it } from 'vitest';
import { isModAction, MOD_ACTIONS, type EventDraft, type RoomEventType } from '../../shared/room-events.js';
import { applyEvent, isThreadLocked, type ModLogEntry, type RoomState } from '../../shared/room-state.js';
import { redactState } from '../../shared/redact.js';
import { RoomBuilder, T0 } from '../helpers/room-builder.js';

/** host, mod1, alice, bob; alice's thread "root" ← "reply"; bob's post "other". */
function room() {
  const b = new RoomBuilder('host');
  b.moderator('mod1');
  b.join('alice');
  b.join('bob');
  b.post('root', 'alice', { body: 'the motion is wrong' });
  b.post('reply', 'bob', { parentId: 'root', body: 'no it is not' });
  b.post('other', 'bob', { body: 'something else' });
  return b;
}

describe('posts', () => {
  it('removal keeps the post in place with its reason, and drops its open reports only', () => {
    const b = room();
    b.add({ type: 'report.filed', actorId: 'alice', reportId: 'r1', postId: 'reply', reason: 'rude' });
    b.add({ type: 'report.filed', actorId: 'host', reportId: 'r2', postId: 'reply', reason: 'rude too' });
    b.add({ type: 'report.filed', actorId: 'alice', reportId: 'r3', postId: 'other', reason: 'spam' });
    const removed = b.add({ type: 'post.removed', actorId: 'mod1', postId: 'reply', reason: 'personal attack' });
    const post = b.postOf('reply');
    expect(post.removed).toEqual({ reason: 'personal attack', at: removed.at, by: 'mod1' });
    // Moderators still read it; the thread keeps its shape.
    expect(post.body).toBe('no it is not');
    expect(post.parentId).toBe('root');
    expect(b.state.postOrder).toEqual(['root', 'reply', 'other']);
    expect(Object.keys(b.state.reports)).toEqual(['r3']);
  });

  it('a second removal does not overwrite the first', () => {
    const b = room();
    const first = b.add({ type: 'post.removed', actorId: 'mod1', postId: 'reply', reason: 'first' });
    b.add({ type: 'post.removed', actorId: 'host', postId: 'reply', reason: 'second' });
    expect(b.postOf('reply').removed).toEqual({ reason: 'first', at: first.at, by: 'mod1' });
  });

  it('a report on a removed post is not filed', () => {
    const b = room();
    b.add({ type: 'post.removed', actorId: 'mod1', postId: 'reply', reason: 'x' });
    b.add({ type: 'report.filed', actorId: 'alice', reportId: 'r1', postId: 'reply', reason: 'rude' });
    expect(b.state.reports).toEqual({});
  });

  it('report.dismissed drops every open report on that post and no other', () => {
    const b = room();
    b.add({ type: 'report.filed', actorId: 'alice', reportId: 'r1', postId: 'reply', reason: 'a' });
    b.add({ type: 'report.filed', actorId: 'host', reportId: 'r2', postId: 'reply', reason: 'b' });
    b.add({ type: 'report.filed', actorId: 'alice', reportId: 'r3', postId: 'other', reason: 'c' });
    b.add({ type: 'report.dismissed', actorId: 'mod1', postId: 'reply' });
    expect(Object.keys(b.state.reports)).toEqual(['r3']);
    expect(b.postOf('reply').removed).toBeNull();
  });

  it('restore brings the body back from the event, even where the body was redacted to \'\'', () => {
    const b = room();
    b.add({ type: 'post.removed', actorId: 'mod1', postId: 'reply', reason: 'x' });
    // A public client's copy: the removed body never reached it.
    const publicCopy = structuredClone(redactState(b.state, 'public'));
    expect(publicCopy.posts.reply.body).toBe('');
    const restored = b.add({ type: 'post.restored', actorId: 'mod1', postId: 'reply', body: 'no it is not' });
    applyEvent(publicCopy, structuredClone(restored));
    for (const state of [publicCopy, b.state]) {
      expect(state.posts.reply.removed).toBeNull();
      expect(state.posts.reply.body).toBe('no it is not');
      expect(state.seq).toBe(restored.seq);
    }
  });

  it('restore of a post the author deleted leaves it deleted and blank', () => {
    const b = room();
    b.add({ type: 'post.removed', actorId: 'mod1', postId: 'reply', reason: 'x' });
    b.add({ type: 'post.deleted', actorId: 'bob', postId: 'reply' });
    b.add({ type: 'post.restored', actorId: 'mod1', postId: 'reply', body: 'no it is not' });
    expect(b.postOf('reply').removed).toBeNull();
    expect(b.postOf('reply').body).toBe('');
    expect(b.postOf('reply').deletedAt).not.toBeNull();
  });

  it('restore of a post that is not removed changes nothing', () => {
    const b = room();
    b.add({ type: 'post.restored', actorId: 'mod1', postId: 'reply', body: 'forged body' });
    expect(b.postOf('reply').body).toBe('no it is not');
  });

  it('a removed post takes no edits', () => {
    const b = room();
    b.add({ type: 'post.removed', actorId: 'mod1', postId: 'reply', reason: 'x' });
    b.add({ type: 'post.edited', actorId: 'bob', postId: 'reply', body: 'sneaky' });
    expect(b.postOf('reply').body).toBe('no it is not');
    expect(b.postOf('reply').editedAt).toBeNull();
  });

  it('pin and unpin', () => {
    const b = room();
    const pinned = b.add({ type: 'post.pinned', actorId: 'mod1', postId: 'other' });
    expect(b.postOf('other').pinnedAt).toBe(pinned.at);
    expect(b.postOf('root').pinnedAt).toBeNull();
    b.add({ type: 'post.unpinned', actorId: 'mod1', postId: 'other' });
    expect(b.postOf('other').pinnedAt).toBeNull();
  });

  it('thread lock and unlock: the post is locked, and so is everything beneath it', () => {
    const b = room();
    b.add({ type: 'thread.locked', actorId: 'mod1', postId: 'root' });
    expect(b.postOf('root').locked).toBe(true);
    expect(b.postOf('reply').locked).toBe(false);
    expect(isThreadLocked(b.state, 'reply')).toBe(true);
    expect(isThreadLocked(b.state, 'other')).toBe(false);
    b.add({ type: 'thread.unlocked', actorId: 'mod1', postId: 'root' });
    expect(b.postOf('root').locked).toBe(false);
    expect(isThreadLocked(b.state, 'reply')).toBe(false);
  });
});

describe('the review queue', () => {
  function held() {
    const b = room();
    const event = b.add({ type: 'post.held', actorId: 'alice', postId: 'h1', parentId: 'root', body: 'stalin was right', term: 'stalin' });
    return { b, heldAt: event.at };
  }

  it('a held post waits outside the thread', () => {
    const { b, heldAt } = held();
    expect(b.state.held.h1).toMatchObject({ id: 'h1', parentId: 'root', authorId: 'alice', body: 'stalin was right', term: 'stalin', createdAt: heldAt });
    expect(b.state.posts.h1).toBeUndefined();
    expect(b.state.postOrder).not.toContain('h1');
  });

  it('approved: enters the thread at the end of postOrder, with the body from the event and its original time', () => {
    const { b, heldAt } = held();
    // As a public client has it: the held body is blank until approval carries it.
    const publicCopy = structuredClone(redactState(b.state, 'public'));
    const approved = b.add({ type: 'post.approved', actorId: 'mod1', postId: 'h1', body: 'stalin was right' });
    applyEvent(publicCopy, structuredClone(approved));
    for (const state of [b.state, publicCopy]) {
      expect(state.held).toEqual({});
      expect(state.postOrder).toEqual(['root', 'reply', 'other', 'h1']);
      expect(state.posts.h1).toMatchObject({ id: 'h1', parentId: 'root', authorId: 'alice', body: 'stalin was right', createdAt: heldAt, removed: null, deletedAt: null });
    }
  });

  it('approved twice (a retry) enters the thread once', () => {
    const { b } = held();
    b.add({ type: 'post.approved', actorId: 'mod1', postId: 'h1', body: 'stalin was right' });
    b.add({ type: 'post.approved', actorId: 'mod1', postId: 'h1', body: 'stalin was right' });
    expect(b.state.postOrder.filter((id) => id === 'h1')).toHaveLength(1);
  });

  it('rejected: gone from the queue and never in the thread', () => {
    const { b } = held();
    b.add({ type: 'post.rejected', actorId: 'mod1', postId: 'h1', reason: 'not today' });
    expect(b.state.held).toEqual({});
    expect(b.state.posts.h1).toBeUndefined();
    expect(b.state.postOrder).not.toContain('h1');
    // A late approval of a rejected post does nothing.
    b.add({ type: 'post.approved', actorId: 'mod1', postId: 'h1', body: 'stalin was right' });
    expect(b.state.posts.h1).toBeUndefined();
  });
});

describe('people', () => {
  it('mute sets mutedUntil and the reason; unmute clears mutedUntil', () => {
    const b = room();
    const until = T0 + 3_600_000;
    b.add({ type: 'member.muted', actorId: 'mod1', memberId: 'alice', until, reason: 'calm down' });
    expect(b.member('alice')).toMatchObject({ mutedUntil: until, muteReason: 'calm down' });
    expect(b.member('bob').mutedUntil).toBeNull();
    b.add({ type: 'member.unmuted', actorId: 'mod1', memberId: 'alice' });
    expect(b.member('alice').mutedUntil).toBeNull();
  });

  it('ban with removePosts removes every post of theirs (with the ban reason) and their held posts, and nobody else\'s', () => {
    const b = room();
    b.post('bob2', 'bob', { parentId: 'root' });
    b.add({ type: 'post.held', actorId: 'bob', postId: 'bobHeld', parentId: null, body: 'x', term: 'x' });
    b.add({ type: 'post.held', actorId: 'alice', postId: 'aliceHeld', parentId: null, body: 'y', term: 'y' });
    b.add({ type: 'report.filed', actorId: 'alice', reportId: 'r1', postId: 'other', reason: 'spam' });
    b.add({ type: 'report.filed', actorId: 'bob', reportId: 'r2', postId: 'root', reason: 'meh' });
    const earlier = b.add({ type: 'post.removed', actorId: 'mod1', postId: 'reply', reason: 'earlier' });
    const ban = b.add({ type: 'member.banned', actorId: 'mod1', memberId: 'bob', reason: 'troll', removePosts: true });

    expect(b.member('bob')).toMatchObject({ banned: true, speaker: false, handRaised: false });
    expect(b.postOf('other').removed).toEqual({ reason: 'troll', at: ban.at, by: 'mod1' });
    expect(b.postOf('bob2').removed).toEqual({ reason: 'troll', at: ban.at, by: 'mod1' });
    // Already removed: keeps its own removal.
    expect(b.postOf('reply').removed).toEqual({ reason: 'earlier', at: earlier.at, by: 'mod1' });
    expect(b.postOf('root').removed).toBeNull();
    expect(Object.keys(b.state.held)).toEqual(['aliceHeld']);
    // Reports on their removed posts go; reports they filed on others' posts stay.
    expect(Object.keys(b.state.reports)).toEqual(['r2']);
    expect(b.state.postOrder).toEqual(['root', 'reply', 'other', 'bob2']);
  });

  it('ban without removePosts leaves their posts alone; unban lifts the ban', () => {
    const b = room();
    b.add({ type: 'hand.raised', actorId: 'bob' });
    b.add({ type: 'member.banned', actorId: 'mod1', memberId: 'bob', reason: 'troll', removePosts: false });
    expect(b.member('bob')).toMatchObject({ banned: true, handRaised: false });
    expect(b.postOf('other').removed).toBeNull();
    b.add({ type: 'member.unbanned', actorId: 'host', memberId: 'bob' });
    expect(b.member('bob').banned).toBe(false);
  });

  it('promote and demote; the host cannot be demoted (or promoted) by an event', () => {
    const b = room();
    b.add({ type: 'member.promoted', actorId: 'host', memberId: 'alice' });
    expect(b.member('alice').role).toBe('moderator');
    b.add({ type: 'member.demoted', actorId: 'host', memberId: 'alice' });
    expect(b.member('alice').role).toBe('participant');
    b.add({ type: 'member.demoted', actorId: 'mod1', memberId: 'host' });
    expect(b.member('host').role).toBe('host');
    b.add({ type: 'member.promoted', actorId: 'mod1', memberId: 'host' });
    expect(b.member('host').role).toBe('host');
  });

  it('raised hands: approved makes a speaker, denied does not; both lower the hand; revoked unmakes one', () => {
    const b = room();
    b.add({ type: 'hand.raised', actorId: 'alice' });
    b.add({ type: 'hand.raised', actorId: 'bob' });
    expect(b.member('alice').handRaised).toBe(true);
    b.add({ type: 'hand.resolved', actorId: 'mod1', memberId: 'alice', approved: true });
    b.add({ type: 'hand.resolved', actorId: 'mod1', memberId: 'bob', approved: false });
    expect(b.member('alice')).toMatchObject({ handRaised: false, speaker: true });
    expect(b.member('bob')).toMatchObject({ handRaised: false, speaker: false });
    b.add({ type: 'speaker.revoked', actorId: 'mod1', memberId: 'alice' });
    expect(b.member('alice').speaker).toBe(false);
  });

  it('a member lowers their own hand', () => {
    const b = room();
    b.add({ type: 'hand.raised', actorId: 'alice' });
    b.add({ type: 'hand.lowered', actorId: 'alice' });
    expect(b.member('alice').handRaised).toBe(false);
  });
});

describe('the room', () => {
  it('settings merge: each event changes only what it names', () => {
    const b = room();
    expect(b.state.settings).toEqual({ slowModeSeconds: 0, postingMode: 'everyone', showModNames: true });
    b.add({ type: 'room.settings', actorId: 'mod1', settings: { slowModeSeconds: 30 } });
    b.add({ type: 'room.settings', actorId: 'host', settings: { showModNames: false } });
    b.add({ type: 'room.settings', actorId: 'mod1', settings: { postingMode: 'speakers' } });
    expect(b.state.settings).toEqual({ slowModeSeconds: 30, postingMode: 'speakers', showModNames: false });
    b.add({ type: 'room.settings', actorId: 'mod1', settings: { slowModeSeconds: 0, postingMode: 'everyone' } });
    expect(b.state.settings).toEqual({ slowModeSeconds: 0, postingMode: 'everyone', showModNames: false });
  });

  it('blocked terms replace the list, copied from the event', () => {
    const b = room();
    const event = b.add({ type: 'room.blockedTerms', actorId: 'host', terms: [{ term: 'idiot', action: 'reject' }, { term: 'stalin', action: 'hold' }] });
    expect(b.state.blockedTerms).toEqual([{ term: 'idiot', action: 'reject' }, { term: 'stalin', action: 'hold' }]);
    if (event.type === 'room.blockedTerms') event.terms[0].term = 'changed later';
    expect(b.state.blockedTerms[0].term).toBe('idiot');
    b.add({ type: 'room.blockedTerms', actorId: 'host', terms: [] });
    expect(b.state.blockedTerms).toEqual([]);
  });

  it('lock and unlock', () => {
    const b = room();
    expect(b.state).toMatchObject({ status: 'open', statusReason: '' });
    b.add({ type: 'room.locked', actorId: 'mod1', reason: 'five minute break' });
    expect(b.state).toMatchObject({ status: 'locked', statusReason: 'five minute break' });
    b.add({ type: 'room.unlocked', actorId: 'mod1' });
    expect(b.state).toMatchObject({ status: 'open', statusReason: '' });
  });

  it.each([
    ['from open', [] as EventDraft[]],
    ['from locked', [{ type: 'room.locked', actorId: 'mod1', reason: 'break' }] as EventDraft[]],
  ])('closed is final (%s): neither unlock nor lock reopens it', (_, before) => {
    const b = room();
    for (const draft of before) b.add(draft);
    b.add({ type: 'room.closed', actorId: 'host', reason: 'the vote is in' });
    expect(b.state).toMatchObject({ status: 'closed', statusReason: 'the vote is in' });
    b.add({ type: 'room.unlocked', actorId: 'host' });
    expect(b.state).toMatchObject({ status: 'closed', statusReason: 'the vote is in' });
    b.add({ type: 'room.locked', actorId: 'host', reason: 'again' });
    expect(b.state).toMatchObject({ status: 'closed', statusReason: 'the vote is in' });
  });
});

describe('the mod log', () => {
  /**
   * Every moderation event and the room's other everyday events, in an order where each applies,
   * with the entry each should leave (null: none). A new moderation action must get a row here.
   */
  const oneOfEach: Partial<Record<RoomEventType, { draft: EventDraft; entry: Partial<ModLogEntry> | null }>> = {
    'member.joined': { draft: { type: 'member.joined', actorId: 'carol', name: 'carol', role: 'participant' }, entry: null },
    'post.created': { draft: { type: 'post.created', actorId: 'carol', postId: 'c1', parentId: null, body: 'hi' }, entry: null },
    'post.edited': { draft: { type: 'post.edited', actorId: 'carol', postId: 'c1', body: 'hello' }, entry: null },
    'reaction.added': { draft: { type: 'reaction.added', actorId: 'bob', postId: 'c1', emoji: '🔥' }, entry: null },
    'reaction.removed': { draft: { type: 'reaction.removed', actorId: 'bob', postId: 'c1', emoji: '🔥' }, entry: null },
    'report.filed': { draft: { type: 'report.filed', actorId: 'bob', reportId: 'r1', postId: 'c1', reason: 'meh' }, entry: null },
    'report.dismissed': { draft: { type: 'report.dismissed', actorId: 'mod1', postId: 'c1' }, entry: { action: 'report.dismissed', actorId: 'mod1', postId: 'c1' } },
    'post.removed': { draft: { type: 'post.removed', actorId: 'mod1', postId: 'c1', reason: 'rude' }, entry: { action: 'post.removed', actorId: 'mod1', postId: 'c1', reason: 'rude' } },
    'post.restored': { draft: { type: 'post.restored', actorId: 'host', postId: 'c1', body: 'hello' }, entry: { action: 'post.restored', actorId: 'host', postId: 'c1' } },
    'post.pinned': { draft: { type: 'post.pinned', actorId: 'mod1', postId: 'c1' }, entry: { action: 'post.pinned', actorId: 'mod1', postId: 'c1' } },
    'post.unpinned': { draft: { type: 'post.unpinned', actorId: 'mod1', postId: 'c1' }, entry: { action: 'post.unpinned', actorId: 'mod1', postId: 'c1' } },
    'thread.locked': { draft: { type: 'thread.locked', actorId: 'mod1', postId: 'root' }, entry: { action: 'thread.locked', actorId: 'mod1', postId: 'root' } },
    'thread.unlocked': { draft: { type: 'thread.unlocked', actorId: 'mod1', postId: 'root' }, entry: { action: 'thread.unlocked', actorId: 'mod1', postId: 'root' } },
    'post.held': { draft: { type: 'post.held', actorId: 'carol', postId: 'h1', parentId: null, body: 'bad', term: 'bad' }, entry: null },
    'post.approved': { draft: { type: 'post.approved', actorId: 'mod1', postId: 'h1', body: 'bad' }, entry: { action: 'post.approved', actorId: 'mod1', postId: 'h1' } },
    'post.rejected': { draft: { type: 'post.rejected', actorId: 'mod1', postId: 'h2', reason: 'no' }, entry: { action: 'post.rejected', actorId: 'mod1', postId: 'h2', reason: 'no' } },
    'post.deleted': { draft: { type: 'post.deleted', actorId: 'carol', postId: 'c1' }, entry: null },
    'member.muted': {
      draft: { type: 'member.muted', actorId: 'mod1', memberId: 'carol', until: Date.UTC(2025, 0, 6, 14, 5), reason: 'cool off' },
      entry: { action: 'member.muted', actorId: 'mod1', memberId: 'carol', reason: 'cool off', detail: 'until 2025-01-06T14:05:00.000Z' },
    },
    'member.unmuted': { draft: { type: 'member.unmuted', actorId: 'mod1', memberId: 'carol' }, entry: { action: 'member.unmuted', actorId: 'mod1', memberId: 'carol' } },
    'member.banned': {
      draft: { type: 'member.banned', actorId: 'mod1', memberId: 'carol', reason: 'spam', removePosts: true },
      entry: { action: 'member.banned', actorId: 'mod1', memberId: 'carol', reason: 'spam', detail: 'and removed their posts' },
    },
    'member.unbanned': { draft: { type: 'member.unbanned', actorId: 'host', memberId: 'carol' }, entry: { action: 'member.unbanned', actorId: 'host', memberId: 'carol' } },
    'member.promoted': { draft: { type: 'member.promoted', actorId: 'host', memberId: 'alice' }, entry: { action: 'member.promoted', actorId: 'host', memberId: 'alice' } },
    'member.demoted': { draft: { type: 'member.demoted', actorId: 'host', memberId: 'alice' }, entry: { action: 'member.demoted', actorId: 'host', memberId: 'alice' } },
    'hand.raised': { draft: { type: 'hand.raised', actorId: 'bob' }, entry: null },
    'hand.lowered': { draft: { type: 'hand.lowered', actorId: 'bob' }, entry: null },
    'hand.resolved': {
      draft: { type: 'hand.resolved', actorId: 'mod1', memberId: 'bob', approved: true },
      entry: { action: 'hand.resolved', actorId: 'mod1', memberId: 'bob', detail: 'approved as a speaker' },
    },
    'speaker.revoked': { draft: { type: 'speaker.revoked', actorId: 'mod1', memberId: 'bob' }, entry: { action: 'speaker.revoked', actorId: 'mod1', memberId: 'bob' } },
    'room.settings': {
      draft: { type: 'room.settings', actorId: 'mod1', settings: { slowModeSeconds: 30, postingMode: 'speakers' } },
      entry: { action: 'room.settings', actorId: 'mod1', detail: 'slow mode 30 s, approved speakers only' },
    },
    'room.blockedTerms': {
      draft: { type: 'room.blockedTerms', actorId: 'host', terms: [{ term: 'a', action: 'hold' }, { term: 'b', action: 'reject' }] },
      entry: { action: 'room.blockedTerms', actorId: 'host', detail: 'updated the blocked terms' },
    },
    'room.locked': { draft: { type: 'room.locked', actorId: 'mod1', reason: 'break' }, entry: { action: 'room.locked', actorId: 'mod1', reason: 'break' } },
    'room.unlocked': { draft: { type: 'room.unlocked', actorId: 'mod1' }, entry: { action: 'room.unlocked', actorId: 'mod1' } },
    'room.closed': { draft: { type: 'room.closed', actorId: 'host', reason: 'done' }, entry: { action: 'room.closed', actorId: 'host', reason: 'done' } },
    'member.warned': { draft: { type: 'member.warned', actorId: 'mod1', memberId: 'bob', reason: 'personal attacks' }, entry: { action: 'member.warned', actorId: 'mod1', memberId: 'bob', reason: 'personal attacks' } },
    'appeal.accepted': {
      draft: { type: 'appeal.accepted', actorId: 'host', appealId: 'appeal-01', memberId: 'bob', sanction: 'mute', reason: 'fair' },
      entry: { action: 'appeal.accepted', actorId: 'host', memberId: 'bob', reason: 'fair', detail: 'mute lifted' },
    },
    'appeal.declined': {
      draft: { type: 'appeal.declined', actorId: 'host', appealId: 'appeal-02', memberId: 'bob', sanction: 'ban', reason: 'no' },
      entry: { action: 'appeal.declined', actorId: 'host', memberId: 'bob', reason: 'no', detail: 'appeal of their ban declined' },
    },
    'room.guard': { draft: { type: 'room.guard', actorId: 'mod1', guard: { shield: false } }, entry: { action: 'room.guard', actorId: 'mod1', detail: 'shield mode off' } },
  };

  it('the table covers every MOD_ACTION', () => {
    const moderation = Object.entries(oneOfEach).filter(([, row]) => row!.entry).map(([type]) => type);
    expect(moderation.sort()).toEqual([...MOD_ACTIONS].sort());
  });

  it('every moderation event appends exactly one entry with the right action, ids and reason; other events append none', () => {
    const b = room();
    b.add({ type: 'post.held', actorId: 'bob', postId: 'h2', parentId: null, body: 'x', term: 'x' });
    for (const [type, row] of Object.entries(oneOfEach)) {
      const { draft, entry } = row!;
      const before = b.state.modLog.length;
      const event = b.add(draft);
      expect(isModAction(event), type).toBe(entry !== null);
      if (!entry) {
        expect(b.state.modLog.length, type).toBe(before);
        continue;
      }
      expect(b.state.modLog.length, type).toBe(before + 1);
      // Exactly these fields: no reason where the event had none, no postId on a member action, and so on.
      expect(b.state.modLog.at(-1), type).toEqual({ seq: event.seq, at: event.at, ...entry });
    }
  });

  it('entries carry no empty reason, and the detail of the less common events', () => {
    const b = room();
    const entryOf = (draft: EventDraft) => {
      b.add(draft);
      return b.state.modLog.at(-1)!;
    };
    expect(entryOf({ type: 'post.removed', actorId: 'mod1', postId: 'other', reason: '' })).not.toHaveProperty('reason');
    expect(entryOf({ type: 'member.banned', actorId: 'mod1', memberId: 'bob', reason: 'x', removePosts: false })).not.toHaveProperty('detail');
    expect(entryOf({ type: 'hand.resolved', actorId: 'mod1', memberId: 'alice', approved: false }).detail).toBe('request denied');
    expect(entryOf({ type: 'room.settings', actorId: 'host', settings: { slowModeSeconds: 0, postingMode: 'everyone', showModNames: false } }).detail).toBe(
      'slow mode off, everyone may post, moderator names hidden',
    );
    expect(entryOf({ type: 'room.blockedTerms', actorId: 'host', terms: [{ term: 'a', action: 'hold' }] }).detail).toBe('updated the blocked terms');
  });

  it('room.opened starts a fresh log', () => {
    const b = room();
    b.add({ type: 'room.locked', actorId: 'mod1', reason: 'x' });
    const reopened = applyEvent(b.state, { seq: 99, at: T0, actorId: 'h', type: 'room.opened', room: { ...b.state.room } });
    expect(reopened.modLog).toEqual([]);
  });
});

describe('the reducer is total', () => {
  function withoutSeq(state: RoomState) {
    const { seq: _seq, ...rest } = structuredClone(state);
    return rest;
  }

  // Events naming a post, held post or member the room does not have.
  const unknown: EventDraft[] = [
    { type: 'post.edited', actorId: 'alice', postId: 'nope', body: 'x' },
    { type: 'post.deleted', actorId: 'alice', postId: 'nope' },
    { type: 'reaction.added', actorId: 'alice', postId: 'nope', emoji: '👍' },
    { type: 'reaction.removed', actorId: 'alice', postId: 'nope', emoji: '👍' },
    { type: 'reaction.removed', actorId: 'alice', postId: 'root', emoji: '❤️' },
    { type: 'report.filed', actorId: 'alice', reportId: 'r9', postId: 'nope', reason: 'x' },
    { type: 'hand.raised', actorId: 'stranger' },
    { type: 'hand.lowered', actorId: 'stranger' },
    { type: 'member.joined', actorId: 'alice', name: 'impostor', role: 'host' },
  ];
  const unknownModeration: EventDraft[] = [
    { type: 'post.removed', actorId: 'mod1', postId: 'nope', reason: 'x' },
    { type: 'post.restored', actorId: 'mod1', postId: 'nope', body: 'x' },
    { type: 'post.pinned', actorId: 'mod1', postId: 'nope' },
    { type: 'post.unpinned', actorId: 'mod1', postId: 'nope' },
    { type: 'thread.locked', actorId: 'mod1', postId: 'nope' },
    { type: 'thread.unlocked', actorId: 'mod1', postId: 'nope' },
    { type: 'post.approved', actorId: 'mod1', postId: 'nope', body: 'x' },
    { type: 'post.rejected', actorId: 'mod1', postId: 'nope', reason: 'x' },
    { type: 'report.dismissed', actorId: 'mod1', postId: 'nope' },
    { type: 'member.muted', actorId: 'mod1', memberId: 'nobody', until: T0 + 1, reason: 'x' },
    { type: 'member.unmuted', actorId: 'mod1', memberId: 'nobody' },
    { type: 'member.banned', actorId: 'mod1', memberId: 'nobody', reason: 'x', removePosts: true },
    { type: 'member.unbanned', actorId: 'mod1', memberId: 'nobody' },
    { type: 'member.promoted', actorId: 'host', memberId: 'nobody' },
    { type: 'member.demoted', actorId: 'host', memberId: 'nobody' },
    { type: 'hand.resolved', actorId: 'mod1', memberId: 'nobody', approved: true },
    { type: 'speaker.revoked', actorId: 'mod1', memberId: 'nobody' },
  ];

  it.each(unknown.map((draft) => [draft.type, draft] as const))('%s about something unknown changes nothing but seq', (_, draft) => {
    const b = room();
    const before = withoutSeq(b.state);
    const event = b.add(draft);
    expect(b.state.seq).toBe(event.seq);
    expect(withoutSeq(b.state)).toEqual(before);
  });

  // Moderation events about something unknown still leave their one mod log entry (see the report:
  // room-state.ts says such an event "changes nothing").
  it.each(unknownModeration.map((draft) => [draft.type, draft] as const))('%s about something unknown changes nothing but seq and the mod log', (_, draft) => {
    const b = room();
    const { modLog, ...before } = withoutSeq(b.state);
    const event = b.add(draft);
    const { modLog: after, ...rest } = withoutSeq(b.state);
    expect(b.state.seq).toBe(event.seq);
    expect(rest).toEqual(before);
    expect(after).toHaveLength(modLog.length + 1);
  });

  it('an event type it has never heard of changes nothing but seq', () => {
    const b = room();
    const before = withoutSeq(b.state);
    // A newer server's event reaching an older client.
    applyEvent(b.state, { seq: 50, at: T0, actorId: 'host', type: 'room.renamed', title: 'x' } as never);
    expect(b.state.seq).toBe(50);
    expect(withoutSeq(b.state)).toEqual(before);
  });

  it('a log that does not start with room.opened is refused', () => {
    expect(() => applyEvent(null, { seq: 1, at: T0, actorId: 'x', type: 'post.deleted', postId: 'p' })).toThrow(/room.opened/);
  });

  it('folding the same log twice gives the same state', () => {
    const b = room();
    b.add({ type: 'post.removed', actorId: 'mod1', postId: 'reply', reason: 'x' });
    b.add({ type: 'member.banned', actorId: 'mod1', memberId: 'bob', reason: 'y', removePosts: true });
    expect(b.refold()).toEqual(b.refold());
    expect(b.refold()).toEqual(structuredClone(b.state));
  });
});
