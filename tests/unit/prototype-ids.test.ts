// Ids named after what every plain object inherits (`__proto__`, `constructor` …). The schema refuses
// them at the door; these check that nothing behind the door trusts the door: every lookup into the
// room's records is its own, and no event can write into Object.prototype.
import { afterEach, describe, expect, it } from 'vitest';
import { changedMind } from '../../shared/debate.js';
import { AppError } from '../../shared/errors.js';
import { actorOf, check } from '../../shared/permissions.js';
import { threadOf } from '../../shared/post-window.js';
import type { EventDraft } from '../../shared/room-events.js';
import { isThreadLocked } from '../../shared/room-state.js';
import { Id, INHERITED_NAMES } from '../../shared/schemas/common.js';
import { memberOrNotFound, postOrNotFound } from '../../server/handlers/session.js';
import { RoomBuilder } from '../helpers/room-builder.js';

const NAMES = [...INHERITED_NAMES];
const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();
const keysBefore = prototypeKeys();

afterEach(() => {
  // Whatever a test did, Object.prototype must be as it was (and clean for the tests after it).
  const added = prototypeKeys().filter((key) => !keysBefore.includes(key));
  for (const key of added) delete (Object.prototype as Record<string, unknown>)[key];
  expect(added).toEqual([]);
});

describe('the Id schema', () => {
  it.each(NAMES)('refuses %s', (name) => {
    const parsed = Id.safeParse(name);
    expect(parsed.success).toBe(false);
    // Shorter ones are refused for their length already.
    if (name.length >= 8) expect(parsed.error?.issues.map((issue) => issue.message)).toEqual(['That id is a reserved word; use another.']);
  });

  it('still takes ordinary ids, those that only start like one included', () => {
    for (const id of ['abcdefgh', 'constructor2', '__proto__x', 'toStringy']) expect(Id.safeParse(id).success).toBe(true);
  });
});

function room() {
  const b = new RoomBuilder();
  b.join('bea');
  b.post('p1', 'bea');
  b.add({ type: 'vote.opened', actorId: 'host', vote: 'initial', hideResults: false });
  return b;
}

describe('the reducer, given events that name inherited keys', () => {
  const drafts = (id: string): EventDraft[] => [
    { type: 'member.joined', actorId: id, name: 'Sneaky', role: 'participant' },
    { type: 'post.created', actorId: 'bea', postId: id, parentId: null, body: 'x' },
    { type: 'post.created', actorId: 'bea', postId: `${id}-r`, parentId: id, body: 'x' },
    { type: 'post.edited', actorId: 'bea', postId: id, body: 'polluted' },
    { type: 'post.deleted', actorId: 'bea', postId: id },
    { type: 'reaction.added', actorId: 'bea', postId: id, emoji: '👍' },
    { type: 'post.removed', actorId: 'host', postId: id, reason: 'polluted' },
    { type: 'post.pinned', actorId: 'host', postId: id },
    { type: 'thread.locked', actorId: 'host', postId: id },
    { type: 'post.held', actorId: 'bea', postId: id, parentId: null, body: 'polluted', term: 'x' },
    { type: 'post.approved', actorId: 'host', postId: id, body: 'polluted' },
    { type: 'member.muted', actorId: 'host', memberId: id, until: 1, reason: 'polluted' },
    { type: 'member.banned', actorId: 'host', memberId: id, reason: 'polluted', removePosts: true },
    { type: 'member.promoted', actorId: 'host', memberId: id },
    { type: 'hand.resolved', actorId: 'host', memberId: id, approved: true },
    { type: 'hand.raised', actorId: id },
    { type: 'report.filed', actorId: 'bea', reportId: id, postId: 'p1', reason: 'polluted' },
    { type: 'member.side', actorId: id, side: 'for' },
    { type: 'vote.cast', actorId: id, vote: 'initial', choice: 'for' },
    { type: 'mind.changed', actorId: id, postId: 'p1' },
  ];

  it.each(NAMES)('%s: nothing reaches Object.prototype and nothing throws', (name) => {
    const b = room();
    for (const draft of drafts(name)) b.add(draft);
    expect(({} as Record<string, unknown>).mutedUntil).toBeUndefined();
    expect(({} as Record<string, unknown>).banned).toBeUndefined();
    expect(({} as Record<string, unknown>).removed).toBeUndefined();
    expect(Object.getPrototypeOf(b.state.posts)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(b.state.members)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(b.state.votes.initial!.ballots)).toBe(Object.prototype);
  });
});

describe('lookups by such an id find nothing', () => {
  it.each(NAMES)('%s', (name) => {
    const { state } = room();
    expect(() => postOrNotFound(state, name)).toThrow(AppError);
    expect(() => memberOrNotFound(state, name)).toThrow(AppError);
    expect(actorOf(state, name).role).toBe('viewer');
    expect(threadOf(state, name)).toEqual([]);
    expect(isThreadLocked(state, name)).toBe(false);
    expect(changedMind(state, name)).toBe(false);
    // A moderator acting on a post whose author is "constructor" acts on nobody, not on Object.
    const orphan = { ...state.posts.p1, authorId: name };
    expect(check(actorOf(state, 'host'), 'post.remove', orphan)).toEqual({ ok: true });
  });
});
