import { isModAction, type RoomEvent } from '../room-events.js';
import type { Member, ModLogEntry, RoomState } from '../room-state.js';
import { conductDetail } from './member-record.js';
import { canBeKey, own } from '../own.js';

/** Moderation events: what they change, and the mod log entry each one leaves. */
export function applyModerationEvent(state: RoomState, event: RoomEvent): void {
  const post = 'postId' in event ? own(state.posts, event.postId) : undefined;
  const member = 'memberId' in event ? own(state.members, event.memberId) : undefined;
  switch (event.type) {
    case 'post.removed':
      if (post && !post.removed) {
        post.removed = { reason: event.reason, at: event.at, by: event.actorId };
        dropReports(state, post.id);
      }
      break;
    case 'post.restored':
      if (post?.removed) {
        post.removed = null;
        if (post.deletedAt === null) post.body = event.body;
      }
      break;
    case 'post.pinned':
      if (post) post.pinnedAt = event.at;
      break;
    case 'post.unpinned':
      if (post) post.pinnedAt = null;
      break;
    case 'thread.locked':
    case 'thread.unlocked':
      if (post) post.locked = event.type === 'thread.locked';
      break;
    case 'post.held':
      if (own(state.held, event.postId) || !canBeKey(event.postId)) break;
      state.held[event.postId] = {
        id: event.postId,
        parentId: event.parentId,
        authorId: event.actorId,
        body: event.body,
        term: event.term,
        createdAt: event.at,
        stance: event.parentId ? (event.stance ?? null) : null,
        ...(event.why ? { why: event.why } : {}),
        ...(event.quote ? { quote: { ...event.quote } } : {}),
      };
      break;
    case 'post.approved': {
      const held = own(state.held, event.postId);
      if (!held || own(state.posts, held.id)) break;
      delete state.held[held.id];
      state.posts[held.id] = {
        id: held.id,
        parentId: held.parentId,
        authorId: held.authorId,
        body: event.body,
        createdAt: held.createdAt,
        editedAt: null,
        deletedAt: null,
        removed: null,
        pinnedAt: null,
        locked: false,
        stance: held.stance,
        reactions: {},
        ...(held.quote ? { quote: { ...held.quote } } : {}),
      };
      state.postOrder.push(held.id);
      break;
    }
    case 'post.rejected':
      delete state.held[event.postId];
      break;
    case 'member.muted':
      if (member) {
        member.mutedUntil = event.until;
        member.muteReason = event.reason;
      }
      break;
    case 'member.unmuted':
      if (member) {
        member.mutedUntil = null;
        member.muteReason = '';
      }
      break;
    case 'member.banned':
      if (!member) break;
      if (event.addressKeys?.length) {
        const network = (state.network ??= { ofMember: {}, banned: {} });
        for (const key of event.addressKeys) network.banned[key] = { memberId: member.id, at: event.at };
      }
      member.banned = true;
      member.speaker = false;
      member.handRaised = false;
      if (event.removePosts) {
        for (const id of state.postOrder) {
          const theirs = state.posts[id];
          if (theirs.authorId === member.id && !theirs.removed) {
            theirs.removed = { reason: event.reason, at: event.at, by: event.actorId };
            dropReports(state, id);
          }
        }
        for (const held of Object.values(state.held)) if (held.authorId === member.id) delete state.held[held.id];
      }
      break;
    case 'member.unbanned':
      if (member) liftBan(state, member);
      break;
    case 'member.promoted':
    case 'member.demoted':
      if (member && member.role !== 'host') member.role = event.type === 'member.promoted' ? 'moderator' : 'participant';
      break;
    case 'hand.raised':
    case 'hand.lowered': {
      const raiser = own(state.members, event.actorId);
      if (raiser) raiser.handRaised = event.type === 'hand.raised';
      break;
    }
    case 'hand.resolved':
      if (member) {
        member.handRaised = false;
        if (event.approved) member.speaker = true;
      }
      break;
    case 'speaker.revoked':
      if (member) member.speaker = false;
      break;
    case 'room.settings':
      Object.assign(state.settings, event.settings);
      break;
    case 'room.blockedTerms':
      state.blockedTerms = event.terms.map((term) => ({ ...term }));
      break;
    case 'room.locked':
    case 'room.unlocked':
      if (state.status === 'closed') break;
      state.status = event.type === 'room.locked' ? 'locked' : 'open';
      state.statusReason = event.type === 'room.locked' ? event.reason : '';
      break;
    case 'room.closed':
      state.status = 'closed';
      state.statusReason = event.reason;
      break;
    case 'report.filed':
      if (post && !post.removed && !own(state.reports, event.reportId) && canBeKey(event.reportId)) {
        state.reports[event.reportId] = { id: event.reportId, postId: post.id, reporterId: event.actorId, reason: event.reason, at: event.at };
      }
      break;
    case 'report.dismissed':
      dropReports(state, event.postId);
      break;
  }
  if (isModAction(event)) state.modLog.push(modLogEntry(event));
}

/** An unban, or an accepted appeal of a ban: back in, and the networks the ban covered are free again. */
export function liftBan(state: RoomState, member: Member): void {
  member.banned = false;
  for (const [key, ban] of Object.entries(state.network?.banned ?? {})) if (ban.memberId === member.id) delete state.network!.banned[key];
}

function dropReports(state: RoomState, postId: string): void {
  for (const report of Object.values(state.reports)) if (report.postId === postId) delete state.reports[report.id];
}

function modLogEntry(event: Extract<RoomEvent, { type: ModLogEntry['action'] }>): ModLogEntry {
  const entry: ModLogEntry = { seq: event.seq, at: event.at, action: event.type, actorId: event.actorId };
  if ('postId' in event) entry.postId = event.postId;
  if ('memberId' in event) entry.memberId = event.memberId;
  if ('reason' in event && event.reason) entry.reason = event.reason;
  switch (event.type) {
    case 'member.muted':
      entry.detail = `until ${new Date(event.until).toISOString()}`;
      break;
    case 'member.banned':
      if (event.removePosts) entry.detail = 'and removed their posts';
      break;
    case 'hand.resolved':
      entry.detail = event.approved ? 'approved as a speaker' : 'request denied';
      break;
    case 'room.settings':
      entry.detail = describeSettings(event.settings);
      break;
    case 'member.warned':
    case 'appeal.accepted':
    case 'appeal.declined':
    case 'room.guard':
      entry.detail = conductDetail(event);
      break;
    case 'room.blockedTerms':
      // Not the count: the audience never sees the terms, and the entry must read the same for all.
      entry.detail = 'updated the blocked terms';
      break;
  }
  return entry;
}

function describeSettings(settings: Extract<RoomEvent, { type: 'room.settings' }>['settings']): string {
  const parts: string[] = [];
  if (settings.slowModeSeconds !== undefined) parts.push(settings.slowModeSeconds ? `slow mode ${settings.slowModeSeconds} s` : 'slow mode off');
  if (settings.postingMode) parts.push(settings.postingMode === 'speakers' ? 'approved speakers only' : 'everyone may post');
  if (settings.showModNames !== undefined) parts.push(settings.showModNames ? 'moderator names shown' : 'moderator names hidden');
  if (settings.publicExport !== undefined) parts.push(settings.publicExport ? 'anyone may export the transcript' : 'only moderators may export the transcript');
  if (settings.steelman !== undefined) parts.push(settings.steelman ? 'rebuttals may be confirmed as steelmanned' : 'steelman confirmations off');
  return parts.join(', ');
}
