import type { ModLogEntry, RoomState } from '../../shared/room-state.js';

/** What a mod log line acts on: a post (linked) or a person. */
export interface LogObject {
  text: string;
  postId?: string;
  memberId?: string;
}

/** A mod log entry as a sentence: "<who> <before> <object> <after>", then the reason and detail. */
export interface LogLine {
  seq: number;
  at: number;
  who: string;
  before: string;
  object?: LogObject;
  after?: string;
  reason?: string;
  detail?: string;
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayAndClock = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "14:05" in the reader's own time zone; with the day when it is not today. */
export function formatClock(at: number, now = Date.now()): string {
  return new Date(at).toDateString() === new Date(now).toDateString() ? clock.format(at) : dayAndClock.format(at);
}

/** The moderator who acted, or "A moderator" where the host hides names (actorId ''). */
export function moderatorName(state: RoomState, actorId: string): string {
  return (actorId && state.members[actorId]?.name) || 'A moderator';
}

function postObject(state: RoomState, postId: string | undefined, what = 'a post'): LogObject | undefined {
  if (!postId) return undefined;
  const post = state.posts[postId];
  const author = post ? state.members[post.authorId]?.name : undefined;
  return { text: author ? `${what} by ${author}` : what, postId };
}

function memberObject(state: RoomState, memberId: string | undefined): LogObject | undefined {
  if (!memberId) return undefined;
  return { text: state.members[memberId]?.name ?? 'someone', memberId };
}

/** The reducer writes "until <ISO time>": the reader wants their own clock. */
function localDetail(entry: ModLogEntry, now: number): string | undefined {
  const until = entry.detail?.match(/^until (.+)$/);
  if (until) {
    const at = Date.parse(until[1]);
    if (!Number.isNaN(at)) return `until ${formatClock(at, now)}`;
  }
  return entry.detail;
}

export function describeEntry(entry: ModLogEntry, state: RoomState, now = Date.now()): LogLine {
  const base = { seq: entry.seq, at: entry.at, who: moderatorName(state, entry.actorId), reason: entry.reason, detail: localDetail(entry, now) };
  const post = (before: string, what?: string, after?: string): LogLine => ({ ...base, before, object: postObject(state, entry.postId, what), after });
  const person = (before: string, after?: string): LogLine => ({ ...base, before, object: memberObject(state, entry.memberId), after });
  switch (entry.action) {
    case 'post.removed':
      return post('removed');
    case 'post.restored':
      return post('restored');
    case 'post.pinned':
      return post('pinned');
    case 'post.unpinned':
      return post('unpinned');
    case 'thread.locked':
      return post('locked the replies under');
    case 'thread.unlocked':
      return post('reopened the replies under');
    case 'post.approved':
      return post('approved', 'a held post');
    case 'post.rejected':
      return post('rejected', 'a held post');
    case 'report.dismissed':
      return post('dismissed the reports on');
    case 'member.muted':
      return person('muted');
    case 'member.unmuted':
      return person('unmuted');
    case 'member.banned':
      return person('banned');
    case 'member.unbanned':
      return person('unbanned');
    case 'member.promoted':
      return person('made', 'a moderator');
    case 'member.demoted':
      return person('removed', 'as a moderator');
    case 'hand.resolved':
      return entry.detail === 'approved as a speaker'
        ? { ...person('approved', 'as a speaker'), detail: undefined }
        : { ...person('declined the request to speak from'), detail: undefined };
    case 'speaker.revoked':
      return person('withdrew speaking rights from');
    case 'room.settings':
      return { ...base, before: 'changed the room settings' };
    case 'room.blockedTerms':
      return { ...base, before: 'updated the blocked terms', detail: undefined };
    case 'room.locked':
      return { ...base, before: 'locked the room' };
    case 'room.unlocked':
      return { ...base, before: 'unlocked the room' };
    case 'room.closed':
      return { ...base, before: 'closed the room' };
    case 'member.warned':
      return person('warned');
    case 'appeal.accepted':
      return person('accepted the appeal of');
    case 'appeal.declined':
      return person('declined the appeal of');
    case 'room.guard':
      return { ...base, before: 'changed the room’s guard' };
  }
}

/** The whole line as plain text (for tests and titles). */
export function lineText(line: LogLine): string {
  const parts = [line.who, line.before, line.object?.text, line.after].filter(Boolean).join(' ');
  return `${parts}${line.detail ? ` (${line.detail})` : ''}${line.reason ? `: ${line.reason}` : ''}`;
}
