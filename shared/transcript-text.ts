import type { Phase, Side } from './room-events.js';
import type { ModLogEntry, RoomState } from './room-state.js';

/** The words and numbers of a transcript: escaping, times in UTC, labels, mod log sentences. */

export const SIDE_NAMES: Record<Side, string> = { for: 'For', against: 'Against', undecided: 'Undecided' };
export const PHASE_NAMES: Record<Phase, string> = { opening: 'Opening', open: 'Open floor', closing: 'Closing', ended: 'Ended' };
export const STANCE_WORDS = { support: '✓ supports', rebut: '✗ rebuts', question: '? questions' } as const;

/** Text a person typed, safe inside a markdown line: it cannot start a heading, list, quote or link. */
export function inline(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/^#/, '\\#')
    .replace(/^([+-]|\d+[.)])(\s)/, '\\$1$2');
}

/** A post's opening words as plain text, for a heading: markdown marks, quotes and links dropped. */
export function opening(body: string, max = 72): string {
  const words = body
    .split('\n')
    .filter((line) => !/^\s*(>|```|~~~)/.test(line))
    .join(' ')
    .replace(/>!(.*?)!</g, '[spoiler]')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`~#>]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  // Its own quotation marks go: the heading puts the words in quotation marks of its own.
  const text = (words || body.replace(/\s+/g, ' ').trim()).replace(/^["“”‘’']+|["“”‘’']+$/g, '');
  return text.length <= max ? text : `${text.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** "6 Jan 2025" */
export function day(at: number): string {
  const d = new Date(at);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** Clock times in UTC, with the day when it is not the room's first day. */
export function clockFor(openedAt: number): (at: number) => string {
  const first = new Date(openedAt).toISOString().slice(0, 10);
  return (at) => {
    const d = new Date(at);
    const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    return d.toISOString().slice(0, 10) === first ? time : `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${time}`;
  };
}

export const percent = (share: number) => `${Math.round(share * 100)}%`;
export const points = (n: number) => `${n > 0.05 ? '+' : n < -0.05 ? '−' : '±'}${Math.abs(Math.round(n * 10) / 10).toFixed(1)} pts`;
export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "A moderator" where the audience may not see who acted (actorId ''). */
function actorName(state: RoomState, actorId: string): string {
  return actorId && state.members[actorId] ? `**${inline(state.members[actorId].name)}**` : 'A moderator';
}

function postBy(state: RoomState, postId: string | undefined, what = 'a post'): string {
  const post = postId ? state.posts[postId] : undefined;
  const author = post && state.members[post.authorId];
  return author ? `${what} by **${inline(author.name)}**` : what;
}

function person(state: RoomState, memberId: string | undefined): string {
  const member = memberId ? state.members[memberId] : undefined;
  return member ? `**${inline(member.name)}**` : 'someone';
}

/** One mod log entry as a sentence: who did what to which post or person, and why. */
export function modLogSentence(entry: ModLogEntry, state: RoomState, clock: (at: number) => string): string {
  const who = actorName(state, entry.actorId);
  const post = (verb: string, what?: string) => `${verb} ${postBy(state, entry.postId, what)}`;
  const member = (verb: string, after = '') => `${verb} ${person(state, entry.memberId)}${after}`;
  const what: Record<ModLogEntry['action'], () => string> = {
    'post.removed': () => post('removed'),
    'post.restored': () => post('restored'),
    'post.pinned': () => post('pinned'),
    'post.unpinned': () => post('unpinned'),
    'thread.locked': () => post('locked the replies under'),
    'thread.unlocked': () => post('reopened the replies under'),
    'post.approved': () => post('approved', 'a held post'),
    'post.rejected': () => post('rejected', 'a held post'),
    'report.dismissed': () => post('dismissed the reports on'),
    'member.muted': () => member('muted'),
    'member.unmuted': () => member('unmuted'),
    'member.banned': () => member('banned'),
    'member.unbanned': () => member('unbanned'),
    'member.promoted': () => member('made', ' a moderator'),
    'member.demoted': () => member('removed', ' as a moderator'),
    'hand.resolved': () => member('answered the raised hand of'),
    'speaker.revoked': () => member('took the floor back from'),
    'room.settings': () => 'changed the room settings',
    'room.blockedTerms': () => 'changed the blocked terms',
    'room.locked': () => 'locked the room',
    'room.unlocked': () => 'unlocked the room',
    'room.closed': () => 'closed the room',
    'member.warned': () => member('warned'),
    'appeal.accepted': () => member('accepted the appeal of'),
    'appeal.declined': () => member('declined the appeal of'),
    'room.guard': () => 'changed the room’s guard',
  };
  const detail = entry.detail ? ` (${inline(localDetail(entry.detail, clock))})` : '';
  const reason = entry.reason ? `: “${inline(entry.reason)}”` : '';
  return `${clock(entry.at)} · ${who} ${what[entry.action]()}${detail}${reason}`;
}

/** The reducer writes mutes as "until <ISO time>": the transcript's own clock reads better. */
function localDetail(detail: string, clock: (at: number) => string): string {
  const until = /^until (.+)$/.exec(detail);
  const at = until ? Date.parse(until[1]!) : Number.NaN;
  return Number.isNaN(at) ? detail : `until ${clock(at)} UTC`;
}
