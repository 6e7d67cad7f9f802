import { describe, expect, it } from 'vitest';
import { findBlockedTerm } from '../../shared/automod.js';
import { blockedTermIn, findBlockedTermStrict } from '../../shared/automod-strict.js';
import { effectiveSlowMode, guardHolds, joinPaused, newMemberWait, SHIELD_SLOW_SECONDS } from '../../shared/conduct.js';
import { actorOf, check, type Action } from '../../shared/permissions.js';
import { redactEvent, redactState } from '../../shared/redact.js';
import { redactApplied } from '../../shared/redact-applied.js';
import { countGround } from '../../shared/common-ground.js';
import { foldEvents } from '../../shared/room-state.js';
import { RoomBuilder, T0 } from '../helpers/room-builder.js';

/** A room with a host, two moderators, a participant who posts, a reporter, a muted and a banned member. */
function room() {
  const b = new RoomBuilder('host');
  b.moderator('mod1');
  b.moderator('mod2');
  for (const id of ['alice', 'rep', 'muted', 'banned']) b.join(id);
  b.post('p-alice', 'alice', { body: 'alice speaks' });
  b.add({ type: 'report.filed', actorId: 'rep', reportId: 'report-001', postId: 'p-alice', reason: 'insult' });
  b.add({ type: 'member.muted', actorId: 'mod1', memberId: 'muted', until: b.clock + 3_600_000, reason: 'cool off' });
  b.add({ type: 'member.banned', actorId: 'mod1', memberId: 'banned', reason: 'troll', removePosts: false });
  return b;
}

describe('the conduct reducer', () => {
  it('keeps notes (moderators only), warnings, and the mute or ban in force, with the seq an appeal names', () => {
    const b = room();
    b.add({ type: 'member.noted', actorId: 'mod1', memberId: 'alice', noteId: 'note-0001', note: 'seen before' });
    const warned = b.add({ type: 'member.warned', actorId: 'mod1', memberId: 'alice', reason: 'personal attacks' });
    const c = b.state.conduct!;
    expect(c.notes.alice).toEqual([{ id: 'note-0001', by: 'mod1', at: expect.any(Number), text: 'seen before' }]);
    expect(c.warnings.alice).toEqual([{ seq: warned.seq, at: warned.at, by: 'mod1', reason: 'personal attacks' }]);
    expect(c.sanctions.muted?.mute?.reason).toBe('cool off');
    expect(c.sanctions.banned?.ban?.reason).toBe('troll');
    expect(b.state.modLog.at(-1)).toMatchObject({ action: 'member.warned', memberId: 'alice', reason: 'personal attacks' });
  });

  it('an accepted appeal lifts the mute (or the ban) even for an audience that never held the appeal', () => {
    const b = room();
    const muteSeq = b.state.conduct!.sanctions.muted!.mute!.seq;
    b.add({ type: 'appeal.filed', actorId: 'muted', appealId: 'appeal-001', sanction: 'mute', sanctionSeq: muteSeq, text: 'I was quoting' });
    expect(b.state.conduct!.appeals['appeal-001']).toMatchObject({ status: 'open', memberId: 'muted', text: 'I was quoting' });
    b.add({ type: 'appeal.accepted', actorId: 'mod2', appealId: 'appeal-001', memberId: 'muted', sanction: 'mute', reason: 'fair' });
    expect(b.state.members.muted!.mutedUntil).toBeNull();
    expect(b.state.conduct!.appeals['appeal-001']).toMatchObject({ status: 'accepted', decidedBy: 'mod2', reason: 'fair' });
    expect(b.state.conduct!.sanctions.muted?.mute).toBeUndefined();
    const banSeq = b.state.conduct!.sanctions.banned!.ban!.seq;
    b.add({ type: 'appeal.filed', actorId: 'banned', appealId: 'appeal-002', sanction: 'ban', sanctionSeq: banSeq, text: 'not a troll' });
    b.add({ type: 'appeal.declined', actorId: 'mod2', appealId: 'appeal-002', memberId: 'banned', sanction: 'ban', reason: 'it was trolling' });
    expect(b.state.members.banned!.banned).toBe(true);
    b.add({ type: 'appeal.accepted', actorId: 'mod2', appealId: 'appeal-002', memberId: 'banned', sanction: 'ban', reason: '' });
    // Declined stays declined; but the public, folding the same log without the appeal, ends the same way.
    const publicFold = foldEvents(b.events.map((e) => redactEvent(structuredClone(e), b.state, 'public')))!;
    expect(publicFold.members.muted!.mutedUntil).toBeNull();
    expect(publicFold.members.banned!.banned).toBe(b.state.members.banned!.banned);
    expect(b.state.modLog.filter((e) => e.action.startsWith('appeal.')).map((e) => e.action)).toEqual(['appeal.accepted', 'appeal.declined', 'appeal.accepted']);
  });

  it('a ban lifted by an accepted appeal counts the person’s reactions for their side again (common ground)', () => {
    const b = room();
    b.add({ type: 'member.unbanned', actorId: 'mod1', memberId: 'banned' });
    b.add({ type: 'member.side', actorId: 'banned', side: 'for' });
    b.add({ type: 'reaction.added', actorId: 'banned', postId: 'p-alice', emoji: '👍' });
    b.add({ type: 'member.banned', actorId: 'mod1', memberId: 'banned', reason: 'troll', removePosts: false });
    expect(b.postOf('p-alice').ground?.up.for).toBe(0);
    const banSeq = b.state.conduct!.sanctions.banned!.ban!.seq;
    b.add({ type: 'appeal.filed', actorId: 'banned', appealId: 'appeal-003', sanction: 'ban', sanctionSeq: banSeq, text: 'not a troll' });
    b.add({ type: 'appeal.accepted', actorId: 'mod2', appealId: 'appeal-003', memberId: 'banned', sanction: 'ban', reason: '' });
    expect(b.state.members.banned!.banned).toBe(false);
    expect(b.postOf('p-alice').ground?.up).toEqual(countGround(b.state, b.postOf('p-alice')).up);
    expect(b.postOf('p-alice').ground?.up.for).toBe(1);
  });

  it('records what became of each report: acted on with the removal reason, or dismissed with the reason given', () => {
    const b = room();
    b.post('p-two', 'alice');
    b.add({ type: 'report.filed', actorId: 'rep', reportId: 'report-002', postId: 'p-two', reason: 'spam' });
    b.add({ type: 'post.removed', actorId: 'mod1', postId: 'p-alice', reason: 'Personal attack' });
    b.add({ type: 'report.dismissed', actorId: 'mod1', postId: 'p-two', reason: 'Not spam' });
    expect(b.state.conduct!.reportsClosed.map((r) => [r.id, r.reporterId, r.outcome, r.publicReason])).toEqual([
      ['report-001', 'rep', 'acted', 'Personal attack'],
      ['report-002', 'rep', 'dismissed', 'Not spam'],
    ]);
    expect(b.state.reports).toEqual({});
  });

  it('counts posts that entered the thread, and keeps the guard with when shield mode went up', () => {
    const b = room();
    b.add({ type: 'room.guard', actorId: 'host', guard: { newMemberHeldPosts: 2, newMemberMinutes: 5 } });
    const up = b.add({ type: 'room.guard', actorId: 'mod1', guard: { shield: true } });
    expect(b.state.conduct!.posted.alice).toBe(1);
    expect(b.state.conduct!.guard).toEqual({ newMemberHeldPosts: 2, newMemberMinutes: 5, shield: true, shieldSince: up.at });
    expect(b.state.modLog.at(-1)!.detail).toMatch(/^shield mode on/);
    b.add({ type: 'room.guard', actorId: 'mod1', guard: { shield: false } });
    expect(b.state.conduct!.guard.shieldSince).toBeNull();
  });
});

describe('the guard', () => {
  it('new-member dampening: a wait after joining, then the first N posts held', () => {
    const b = room();
    b.add({ type: 'room.guard', actorId: 'host', guard: { newMemberMinutes: 10, newMemberHeldPosts: 2 } });
    const newcomer = b.join('newbie');
    const soon = newcomer.joinedAt + 60_000;
    expect(newMemberWait(b.state, newcomer, soon)).toBe(9);
    expect(check(actorOf(b.state, 'newbie', soon), 'post.create')).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect(check(actorOf(b.state, 'mod2', soon), 'post.create').ok).toBe(true);
    const later = newcomer.joinedAt + 11 * 60_000;
    expect(check(actorOf(b.state, 'newbie', later), 'post.create').ok).toBe(true);
    expect(guardHolds(b.state, newcomer)).toBe('new');
    b.post('n1', 'newbie', { at: later });
    b.post('n2', 'newbie', { at: later + 100_000 });
    expect(guardHolds(b.state, b.member('newbie'))).toBeNull();
    expect(guardHolds(b.state, b.member('alice'))).toBe('new'); // one post so far: still under two
  });

  it('shield mode: new members held, slow mode at least 30 s, no new participants, strict terms', () => {
    const b = room();
    expect(effectiveSlowMode(b.state)).toBe(0);
    expect(joinPaused(b.state)).toBeNull();
    b.add({ type: 'room.guard', actorId: 'mod1', guard: { shield: true } });
    expect(effectiveSlowMode(b.state)).toBe(SHIELD_SLOW_SECONDS);
    expect(joinPaused(b.state)).toMatch(/Shield mode is on/);
    const raider = b.join('raider');
    expect(guardHolds(b.state, raider)).toBe('shield');
    // Joined long before the raid: not new.
    expect(guardHolds({ ...b.state, conduct: { ...b.state.conduct!, guard: { ...b.state.conduct!.guard, shieldSince: T0 + 3_600_000 } } }, b.member('alice'))).toBeNull();
    b.add({ type: 'room.blockedTerms', actorId: 'host', terms: [{ term: 'idiot', action: 'reject' }] });
    expect(findBlockedTerm('what an xidiotx', b.state.blockedTerms)).toBeNull();
    expect(blockedTermIn(b.state, 'what an xidiotx')?.term).toBe('idiot');
    expect(findBlockedTermStrict('i.d.1.o.t', b.state.blockedTerms)?.term).toBe('idiot');
  });
});

const ROLES = { host: 'host', moderator: 'mod1', participant: 'alice', muted: 'muted', banned: 'banned', viewer: 'nobody' } as const;
type Who = keyof typeof ROLES;

describe('who may do what (the shared rule)', () => {
  const matrix: Record<Exclude<Action, never> & ('member.note' | 'member.warn' | 'appeal.review' | 'room.shield' | 'room.dampen'), Who[]> = {
    'member.note': ['host', 'moderator'],
    'member.warn': ['host', 'moderator'],
    'appeal.review': ['host', 'moderator'],
    'room.shield': ['host', 'moderator'],
    'room.dampen': ['host'],
  };
  for (const [action, allowed] of Object.entries(matrix) as [Action, Who[]][]) {
    it(`${action}: ${allowed.join(', ')} only`, () => {
      const b = room();
      const onMember = action === 'room.shield' || action === 'room.dampen' ? undefined : b.member(action === 'appeal.review' ? 'muted' : 'rep');
      for (const [who, id] of Object.entries(ROLES) as [Who, string][]) {
        expect(check(actorOf(b.state, id, b.clock), action, onMember).ok, `${who} ${action}`).toBe(allowed.includes(who));
      }
    });
  }

  it('nobody notes, warns or decides the appeal of themselves, the host, or (as a moderator) another moderator', () => {
    const b = room();
    for (const action of ['member.note', 'member.warn', 'appeal.review'] as Action[]) {
      expect(check(actorOf(b.state, 'mod1', b.clock), action, b.member('mod1')).ok).toBe(false);
      expect(check(actorOf(b.state, 'mod1', b.clock), action, b.member('host')).ok).toBe(false);
      expect(check(actorOf(b.state, 'mod1', b.clock), action, b.member('mod2')).ok).toBe(false);
      expect(check(actorOf(b.state, 'host', b.clock), action, b.member('mod2')).ok).toBe(true);
    }
  });

  it('the moderator who imposed a mute does not decide its appeal; another moderator or the host does', () => {
    const b = room();
    b.add({ type: 'appeal.filed', actorId: 'muted', appealId: 'appeal-001', sanction: 'mute', sanctionSeq: b.state.conduct!.sanctions.muted!.mute!.seq, text: 'please' });
    expect(check(actorOf(b.state, 'mod1', b.clock), 'appeal.review', b.member('muted'))).toMatchObject({ ok: false, reason: expect.stringMatching(/another moderator/) });
    expect(check(actorOf(b.state, 'mod2', b.clock), 'appeal.review', b.member('muted')).ok).toBe(true);
    expect(check(actorOf(b.state, 'host', b.clock), 'appeal.review', b.member('muted')).ok).toBe(true);
  });

  it('appeal.file: only someone under a mute or ban in force, the banned included; not a fresh identity, not once the mute ended', () => {
    const b = room();
    const now = b.clock;
    expect(check(actorOf(b.state, 'muted', now), 'appeal.file').ok).toBe(true);
    expect(check(actorOf(b.state, 'banned', now), 'appeal.file').ok).toBe(true);
    expect(check(actorOf(b.state, 'alice', now), 'appeal.file').ok).toBe(false);
    expect(check(actorOf(b.state, 'fresh-identity', now), 'appeal.file').ok).toBe(false);
    expect(check(actorOf(b.state, 'muted', now + 2 * 3_600_000), 'appeal.file').ok).toBe(false);
    // And the banned may still do nothing else.
    expect(check(actorOf(b.state, 'banned', now), 'post.report', b.postOf('p-alice')).ok).toBe(false);
  });
});

describe('redaction', () => {
  it('the public state has no notes, no reporters or report reasons, no appeal texts; a note event is an empty husk', () => {
    const b = room();
    const noted = b.add({ type: 'member.noted', actorId: 'mod1', memberId: 'alice', noteId: 'note-0001', note: 'SECRET NOTE' });
    b.add({ type: 'appeal.filed', actorId: 'muted', appealId: 'appeal-001', sanction: 'mute', sanctionSeq: b.state.conduct!.sanctions.muted!.mute!.seq, text: 'SECRET APPEAL' });
    b.add({ type: 'report.dismissed', actorId: 'mod1', postId: 'p-alice', reason: 'fine' });
    const served = redactState(b.state, 'public');
    const text = JSON.stringify(served);
    for (const secret of ['SECRET NOTE', 'SECRET APPEAL', 'insult', 'note-0001']) expect(text).not.toContain(secret);
    expect(served.conduct!.reportsClosed[0]).toMatchObject({ outcome: 'dismissed', publicReason: 'fine', reporterId: '' });
    expect(redactEvent(noted, b.state, 'public')).toEqual({ ...noted, actorId: '', memberId: '', noteId: '', note: '' });
    expect(redactState(b.state, 'moderators').conduct!.notes.alice![0]!.text).toBe('SECRET NOTE');
    // The public fold of the public log is the public state.
    const fold = b.refold((e) => redactEvent(e, b.state, 'public'));
    expect(JSON.parse(JSON.stringify(fold.conduct))).toEqual(JSON.parse(JSON.stringify(served.conduct)));
  });

  it('hiding moderator names hides them in sanctions, warnings and appeal decisions too, live and in snapshots', () => {
    const b = room();
    b.add({ type: 'member.warned', actorId: 'mod1', memberId: 'alice', reason: 'x' });
    const live = redactState(b.state, 'public');
    const hide = b.add({ type: 'room.settings', actorId: 'host', settings: { showModNames: false } });
    const applied = foldEvents([structuredClone(hide)], structuredClone(live))!;
    redactApplied(applied, [hide], 'public');
    expect(applied.conduct!.warnings.alice![0]!.by).toBe('');
    expect(applied.conduct!.sanctions.muted!.mute!.by).toBe('');
    expect(redactState(b.state, 'public').conduct).toEqual(applied.conduct);
  });
});
