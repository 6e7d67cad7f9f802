import type { ErrorCode } from './errors.js';
import type { MemberRole } from './room-events.js';
import { isGone, isThreadLocked, type Member, type Post, type RoomState } from './room-state.js';
import { own } from './own.js';
import { appealable, effectiveSlowMode, newMemberWait, openAppealsOf } from './conduct.js';
import { restatementOf } from './common-ground-text.js';

/**
 * Who is acting: a member of the room, or a viewer (who may have an identity but no name). `room` and
 * `now` let the rule see mutes, slow mode, locks and the posting mode; actorOf() fills them in.
 */
export interface Actor {
  id: string | null;
  role: MemberRole | 'viewer';
  member?: Member;
  room?: RoomState;
  now?: number;
}

export type Action =
  | 'post.create'
  | 'post.reply'
  | 'post.edit'
  | 'post.delete'
  | 'reaction.set'
  | 'post.report'
  | 'hand.raise'
  | 'hand.lower'
  // The debate
  | 'side.set'
  | 'vote.cast'
  | 'mind.change'
  | 'vote.manage'
  | 'phase.set'
  // Moderation: on a post
  | 'post.remove'
  | 'post.restore'
  | 'post.pin'
  | 'thread.lock'
  // Moderation: on a person
  | 'member.mute'
  | 'member.ban'
  | 'member.promote'
  // Moderation: the room
  | 'queue.review'
  | 'hand.resolve'
  | 'room.settings'
  | 'room.lock'
  | 'room.blockedTerms'
  | 'room.modNames'
  | 'room.exports'
  | 'room.close'
  // Moderation in depth (issue 16): notes, warnings, appeals, the room's guard
  | 'member.note'
  | 'member.warn'
  | 'appeal.file'
  | 'appeal.review'
  | 'room.shield'
  | 'room.dampen'
  // Common ground (see the block at the end)
  | 'source.request'
  | 'steelman.confirm'
  | 'room.steelman';

export type Verdict = { ok: true } | { ok: false; code: ErrorCode; reason: string };

const allow: Verdict = { ok: true };
const deny = (reason: string, code: ErrorCode = 'FORBIDDEN'): Verdict => ({ ok: false, code, reason });

const POST_ACTIONS = new Set<Action>(['post.remove', 'post.restore', 'post.pin', 'thread.lock']);
const MEMBER_ACTIONS = new Set<Action>(['member.mute', 'member.ban', 'member.note', 'member.warn', 'appeal.review']);
const HOST_ONLY = new Set<Action>(['member.promote', 'room.close', 'room.blockedTerms', 'room.modNames', 'room.exports', 'vote.manage', 'phase.set', 'room.dampen', 'room.steelman']);
const MODERATION = new Set<Action>([...POST_ACTIONS, ...MEMBER_ACTIONS, ...HOST_ONLY, 'queue.review', 'hand.resolve', 'room.settings', 'room.lock', 'room.shield']);
/** Moderation a moderator may do to their own post. */
const ON_SELF = new Set<Action>(['post.pin', 'thread.lock']);

export function actorOf(state: RoomState, memberId: string | null, now = Date.now()): Actor {
  const member = memberId ? own(state.members, memberId) : undefined;
  return member ? { id: member.id, role: member.role, member, room: state, now } : { id: memberId, role: 'viewer', room: state, now };
}

export const isModerator = (actor: Pick<Actor, 'role'>) => actor.role === 'host' || actor.role === 'moderator';

/** The host: the one role that promotes, closes, sets automod, runs votes and phases (HOST_ONLY). */
export const isHost = (actor: Pick<Actor, 'role'> | null | undefined) => actor?.role === 'host';

/**
 * A moderator (or the host) who is not banned: who reads the moderators' view of a room. The
 * server serves that view by it (audienceOf) and the client shows moderation by it.
 */
export const isActiveModerator = (member: Pick<Member, 'role' | 'banned'> | null | undefined) => !!member && isModerator(member) && !member.banned;

export function isMuted(member: Member | undefined, now: number): boolean {
  return !!member?.mutedUntil && member.mutedUntil > now;
}

/**
 * The one authorization rule. The server enforces it on every write; the client asks it which
 * controls to show. A refusal carries an error code and a plain sentence a person can read.
 * `target` is the post or the member acted on.
 */
export function check(actor: Actor, action: Action, target?: Post | Member): Verdict {
  const room = actor.room;
  const now = actor.now ?? Date.now();
  // A banned person may still appeal their ban: the one thing they can do here.
  if (action === 'appeal.file') return checkAppealing(actor, now);
  if (actor.member?.banned) return deny('You are banned from this room.');
  if (room?.status === 'closed') return deny('This room is closed; it is read-only now.', 'ROOM_LOCKED');
  // The audience's own actions: anyone with an identity, viewers included, even in a locked room.
  if (action === 'post.report' || action === 'vote.cast' || action === 'mind.change') {
    if (actor.id === null) return deny('Join the room first.');
    if (action === 'vote.cast') return allow;
    if (!postTarget(target) || isGone(target)) return deny(action === 'post.report' ? 'That post is not there to report.' : 'That post is gone.');
    return allow;
  }
  if (action === 'source.request') return checkSourceRequest(actor, target);
  if (actor.role === 'viewer' || actor.id === null) return deny('Join the room as a participant to do that.');
  if (MODERATION.has(action)) return checkModeration(actor, action, target);

  const moderator = isModerator(actor);
  // Taking part: posting, replying, reacting, raising a hand, editing and deleting one's own posts.
  if (room?.status === 'locked' && !moderator) return deny('The room is locked; it is read-only for now.', 'ROOM_LOCKED');
  switch (action) {
    case 'post.create':
      return checkWriting(actor, now, 'post');
    case 'post.reply':
      if (!postTarget(target)) return deny('That post does not exist.');
      if (isGone(target)) return deny('That post is gone; you cannot reply to it.');
      return checkWriting(actor, now, 'reply', target);
    case 'reaction.set':
      if (isMuted(actor.member, now)) return deny(mutedSentence(actor.member!));
      if (!postTarget(target)) return deny('That post does not exist.');
      return isGone(target) ? deny('That post is gone.') : allow;
    case 'post.edit':
    case 'post.delete':
      if (!postTarget(target)) return deny('That post does not exist.');
      if (target.authorId !== actor.id) return deny('You can only change your own posts.');
      if (target.deletedAt !== null) return deny('That post was already deleted.');
      if (action === 'post.delete') return allow;
      if (target.removed) return deny('A moderator removed that post; it cannot be edited.');
      return checkWriting(actor, now, 'edit', target);
    case 'side.set':
      return allow;
    case 'steelman.confirm':
      return checkSteelman(actor, now, target);
    case 'hand.raise':
      if (moderator || actor.member?.speaker) return deny('You may already post.');
      return allow;
    case 'hand.lower':
      // Lowering one's own hand is a write like any other: not in a closed or locked room (above).
      return allow;
    default:
      return deny('That is not allowed.');
  }
}

/**
 * The rules for adding words to a place, which posting, replying and editing share: an edit can say
 * anything a new post could, so it is held to the same rules where the post stands. A muted person
 * does not edit; in approved-speakers-only mode only speakers (and moderators) edit; nothing in a
 * locked thread is edited, the locked post itself included; and under slow mode an edit counts as a
 * post (it waits as one, and the next post or edit waits after it; see the post.edited reducer),
 * since otherwise a slowed poster could post once and keep rewriting it. Moderators are exempt from
 * all but the mute, as they are for posting.
 */
function checkWriting(actor: Actor, now: number, what: 'post' | 'reply' | 'edit', place?: Post): Verdict {
  const room = actor.room;
  const moderator = isModerator(actor);
  const editing = what === 'edit';
  if (isMuted(actor.member, now)) return deny(mutedSentence(actor.member!));
  if (room && !moderator && room.settings.postingMode === 'speakers' && !actor.member?.speaker) {
    return deny(`Only approved speakers may ${editing ? 'edit posts' : 'post'} right now; raise your hand to ask.`);
  }
  if (place && room && !moderator && isThreadLocked(room, place.id)) {
    return deny(editing ? 'This thread is locked; its posts cannot be edited.' : 'This thread is locked; no new replies.', 'ROOM_LOCKED');
  }
  const newcomer = editing || moderator ? 0 : newMemberWait(room, actor.member, now);
  if (newcomer > 0) return deny(`New members can post after a while here: ${newcomer} min to go.`, 'RATE_LIMITED');
  const wait = slowModeWait(actor, now);
  if (wait > 0) return deny(`Slow mode is on: you can ${editing ? 'edit' : 'post'} again in ${wait} s.`, 'RATE_LIMITED');
  return allow;
}

export function can(actor: Actor, action: Action, target?: Post | Member): boolean {
  return check(actor, action, target).ok;
}

/** Seconds until slow mode lets this actor post (or edit) again (0: now). Moderators are exempt. */
export function slowModeWait(actor: Actor, now: number): number {
  const seconds = effectiveSlowMode(actor.room);
  const last = actor.member?.lastPostAt;
  if (!seconds || !last || isModerator(actor)) return 0;
  return Math.max(0, Math.ceil((last + seconds * 1000 - now) / 1000));
}

/** Moderators act on everyone but the host and each other; only the host promotes, closes, sets automod. */
function checkModeration(actor: Actor, action: Action, target?: Post | Member): Verdict {
  if (!isModerator(actor)) return deny('Only the host and moderators can do that.');
  if (HOST_ONLY.has(action) && !isHost(actor)) return deny('Only the host can do that.');
  const needsTarget = POST_ACTIONS.has(action) || MEMBER_ACTIONS.has(action) || action === 'member.promote';
  if (needsTarget && !target) return deny('There is nothing there to act on.');
  // The person acted on: a post's author, or the member named.
  const subject = postTarget(target) ? actor.room && own(actor.room.members, target.authorId) : target;
  if (!subject) return allow;
  if (subject.id === actor.id && !ON_SELF.has(action)) return deny('You cannot do that to yourself.');
  if (subject.role === 'host' && actor.role !== 'host') return deny('Moderators cannot act on the host.');
  if (subject.role === 'moderator' && actor.role === 'moderator' && subject.id !== actor.id) {
    return deny('Moderators cannot act on other moderators.');
  }
  if (action === 'appeal.review' && actor.role !== 'host' && actor.room) {
    const appeals = openAppealsOf(actor.room, subject.id);
    const theirOwn = appeals.length > 0 && appeals.every((appeal) => actor.room!.conduct?.sanctions[subject.id]?.[appeal.sanction]?.by === actor.id);
    if (theirOwn) return deny('You imposed this; another moderator or the host decides its appeal.');
  }
  return allow;
}

/** An appeal: only the person under a mute or ban in force, of their own sanction (a new identity has none to appeal). */
function checkAppealing(actor: Actor, now: number): Verdict {
  if (actor.room?.status === 'closed') return deny('This room is closed; it is read-only now.', 'ROOM_LOCKED');
  if (!actor.member || !actor.room) return deny('Only a member who was muted or banned here can appeal.');
  if (!appealable(actor.room, actor.member, now)) return deny('You have no mute or ban to appeal.');
  return allow;
}

function mutedSentence(member: Member): string {
  const time = new Date(member.mutedUntil!).toISOString().slice(11, 16);
  return `You are muted until ${time} UTC${member.muteReason ? ` (${member.muteReason})` : ''}.`;
}

function postTarget(target: Post | Member | undefined): target is Post {
  return !!target && 'authorId' in target;
}

// ---- Common ground (shared/common-ground.ts) -------------------------------------------------------

/** "Source requested": anyone with an identity, viewers included (like a report), once, on someone else's claim. */
function checkSourceRequest(actor: Actor, target?: Post | Member): Verdict {
  if (actor.id === null) return deny('Join the room first.');
  if (!postTarget(target) || isGone(target)) return deny('That post is gone.');
  if (target.authorId === actor.id) return deny('This is your own post: edit a link into it instead.');
  if (target.ground?.sourceGivenAt) return deny('Its author has already added a source.', 'CONFLICT');
  return allow;
}

/** "Yes, that's my view": the parent's author, on a rebuttal that opens by restating them, where the host allows it. */
function checkSteelman(actor: Actor, now: number, target?: Post | Member): Verdict {
  if (!actor.room?.settings.steelman) return deny('This room does not use "steelman before you rebut"; the host can turn it on.');
  if (isMuted(actor.member, now)) return deny(mutedSentence(actor.member!));
  if (!postTarget(target) || isGone(target)) return deny('That post is gone.');
  if (target.stance !== 'rebut' || restatementOf(target.body) === null) {
    return deny('Only a rebuttal that opens with “Your point, as I understand it:” can be confirmed.');
  }
  const parent = target.parentId ? own(actor.room.posts, target.parentId) : undefined;
  if (!parent || parent.authorId !== actor.id || target.authorId === actor.id) return deny('Only the author of the post it answers can confirm it.');
  return allow;
}
