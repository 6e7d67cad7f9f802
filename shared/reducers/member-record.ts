import { conductLimits, emptyConduct, type ClosedReport, type Conduct } from '../conduct.js';
import type { EventOf, RoomEvent } from '../room-events.js';
import type { RoomState } from '../room-state.js';
import { canBeKey, own } from '../own.js';
import { liftBan } from './moderation.js';

/**
 * What the room remembers of each person's conduct (shared/conduct.ts): notes, warnings, the mute or ban
 * in force and its appeal, what became of reports, the guard, and counts for the record panel. Runs
 * before the other reducers on every event, so it sees the reports a removal is about to drop.
 */
export function applyConductEvent(state: RoomState, event: RoomEvent): void {
  switch (event.type) {
    case 'post.created':
      if (!own(state.posts, event.postId) && canBeKey(event.postId)) count(state, event.actorId);
      break;
    case 'post.approved': {
      const held = own(state.held, event.postId);
      if (held && !own(state.posts, held.id)) count(state, held.authorId);
      break;
    }
    case 'member.side':
      if (own(state.members, event.actorId)) keepLast(bucket(conduct(state).sides, event.actorId), { side: event.side, at: event.at }, conductLimits.sidesKept);
      break;
    case 'post.removed': {
      const post = own(state.posts, event.postId);
      if (post && !post.removed) closeReports(state, [post.id], 'acted', event.reason, event.at);
      break;
    }
    case 'member.banned':
      if (!own(state.members, event.memberId)) break;
      sanctionsOf(state, event.memberId).ban = { seq: event.seq, at: event.at, by: event.actorId, reason: event.reason };
      if (event.removePosts) {
        const theirs = state.postOrder.filter((id) => state.posts[id]?.authorId === event.memberId && !state.posts[id]!.removed);
        closeReports(state, theirs, 'acted', event.reason, event.at);
      }
      break;
    case 'report.dismissed':
      closeReports(state, [event.postId], 'dismissed', event.reason ?? '', event.at);
      break;
    case 'member.muted':
      if (own(state.members, event.memberId)) sanctionsOf(state, event.memberId).mute = { seq: event.seq, at: event.at, by: event.actorId, reason: event.reason };
      break;
    case 'member.unmuted':
    case 'member.unbanned':
      lift(state, event.memberId, event.type === 'member.unmuted' ? 'mute' : 'ban', event);
      break;
    case 'member.noted':
      if (own(state.members, event.memberId) && canBeKey(event.noteId)) {
        keepLast(bucket(conduct(state).notes, event.memberId), { id: event.noteId, by: event.actorId, at: event.at, text: event.note }, conductLimits.notesPerMember);
      }
      break;
    case 'member.warned':
      if (own(state.members, event.memberId)) {
        keepLast(bucket(conduct(state).warnings, event.memberId), { seq: event.seq, at: event.at, by: event.actorId, reason: event.reason }, conductLimits.warningsKept);
      }
      break;
    case 'appeal.filed':
      if (own(state.members, event.actorId) && canBeKey(event.appealId) && !own(conduct(state).appeals, event.appealId)) {
        conduct(state).appeals[event.appealId] = {
          id: event.appealId,
          memberId: event.actorId,
          sanction: event.sanction,
          sanctionSeq: event.sanctionSeq,
          text: event.text,
          at: event.at,
          status: 'open',
          decidedBy: '',
          decidedAt: null,
          reason: '',
        };
      }
      break;
    case 'appeal.accepted':
    case 'appeal.declined': {
      const appeal = own(conduct(state).appeals, event.appealId);
      if (appeal && appeal.status === 'open') Object.assign(appeal, { status: event.type === 'appeal.accepted' ? 'accepted' : 'declined', decidedBy: event.actorId, decidedAt: event.at, reason: event.reason });
      // Lifted from the event itself: audiences that never held the appeal (the public) lift it too.
      if (event.type === 'appeal.accepted') lift(state, event.memberId, event.sanction, event);
      break;
    }
    case 'room.guard': {
      const guard = conduct(state).guard;
      if (event.guard.shield !== undefined && event.guard.shield !== guard.shield) guard.shieldSince = event.guard.shield ? event.at : null;
      Object.assign(guard, event.guard);
      break;
    }
  }
}

/** Ends a mute or ban, whichever way (unmute, unban, an accepted appeal); an open appeal of it is then settled as lifted. */
function lift(state: RoomState, memberId: string, kind: 'mute' | 'ban', event: RoomEvent): void {
  const member = own(state.members, memberId);
  if (!member) return;
  if (kind === 'mute') {
    member.mutedUntil = null;
    member.muteReason = '';
  } else liftBan(state, member);
  const record = state.conduct;
  if (!record) return;
  const sanctions = own(record.sanctions, memberId);
  if (sanctions) delete sanctions[kind];
  for (const appeal of Object.values(record.appeals)) {
    if (appeal.memberId === memberId && appeal.sanction === kind && appeal.status === 'open') {
      Object.assign(appeal, { status: 'accepted', decidedBy: event.actorId, decidedAt: event.at });
    }
  }
}

function closeReports(state: RoomState, postIds: string[], outcome: ClosedReport['outcome'], publicReason: string, at: number): void {
  const on = new Set(postIds);
  const closing = Object.values(state.reports).filter((report) => on.has(report.postId));
  if (closing.length === 0) return;
  const closed = conduct(state).reportsClosed;
  for (const report of closing) closed.push({ ...report, outcome, publicReason, decidedAt: at });
  if (closed.length > conductLimits.reportsClosedKept) closed.splice(0, closed.length - conductLimits.reportsClosedKept);
}

function count(state: RoomState, memberId: string): void {
  if (!own(state.members, memberId)) return;
  const posted = conduct(state).posted;
  posted[memberId] = (own(posted, memberId) ?? 0) + 1;
}

const conduct = (state: RoomState): Conduct => (state.conduct ??= emptyConduct());

/** One member's list in a record of lists (notes, warnings, sides), made on first use. */
function bucket<T>(record: Record<string, T[]>, key: string): T[] {
  return own(record, key) ?? (record[key] = []);
}

function sanctionsOf(state: RoomState, memberId: string): Conduct['sanctions'][string] {
  const record = conduct(state).sanctions;
  return own(record, memberId) ?? (record[memberId] = {});
}

function keepLast<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

/** The mod log's detail for the conduct actions. */
export function conductDetail(event: EventOf<'member.warned' | 'appeal.accepted' | 'appeal.declined' | 'room.guard'>): string | undefined {
  switch (event.type) {
    case 'member.warned':
      return undefined;
    case 'appeal.accepted':
      return `${event.sanction} lifted`;
    case 'appeal.declined':
      return `appeal of their ${event.sanction} declined`;
    case 'room.guard':
      return describeGuard(event.guard);
  }
}

function describeGuard(guard: EventOf<'room.guard'>['guard']): string {
  const parts: string[] = [];
  if (guard.shield !== undefined) {
    parts.push(guard.shield ? "shield mode on: new members' posts held, slow mode, strict blocked terms, new participants paused" : 'shield mode off');
  }
  if (guard.newMemberMinutes !== undefined) parts.push(guard.newMemberMinutes ? `new members post after ${guard.newMemberMinutes} min` : 'no wait for new members');
  if (guard.newMemberHeldPosts !== undefined) {
    parts.push(guard.newMemberHeldPosts ? `first ${guard.newMemberHeldPosts} ${guard.newMemberHeldPosts === 1 ? 'post' : 'posts'} of new members held` : "new members' posts not held");
  }
  return parts.join('; ');
}
