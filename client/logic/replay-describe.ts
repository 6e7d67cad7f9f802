import type { RoomEvent, Side } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import { describeEntry } from './moderation-log.js';
import { PHASE_NAMES } from './replay-moments.js';

const SIDES: Record<Side, string> = { for: 'For', against: 'Against', undecided: 'Undecided' };
const STANCES = { support: 'supporting', rebut: 'rebutting', question: 'questioning' } as const;
const VOTES = { initial: 'The opening vote', final: 'The final vote' } as const;

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const day = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

/** "18:31:05", with the day when it was not today. */
export function momentTime(at: number, now = Date.now()): string {
  const time = clock.format(at);
  return new Date(at).toDateString() === new Date(now).toDateString() ? time : `${day.format(at)}, ${time}`;
}

/** What one event did, as a sentence, read against the room right after it (`state`). */
export function describeEvent(event: RoomEvent, state: RoomState): string {
  const name = (id: string) => (id && state.members[id]?.name) || 'Someone';
  const who = name(event.actorId);
  const authorOf = (postId: string) => {
    const post = state.posts[postId] ?? state.held[postId];
    return post ? `${name(post.authorId)}’s post` : 'a post';
  };
  switch (event.type) {
    case 'room.opened':
      return 'The room opened.';
    case 'member.joined':
      return `${event.name} joined${event.role === 'host' ? ' as the host' : ''}.`;
    case 'post.created':
      return event.parentId
        ? `${who} replied to ${authorOf(event.parentId)}${event.stance ? `, ${STANCES[event.stance]} it` : ''}.`
        : `${who} started a thread.`;
    case 'post.edited':
      return `${who} edited a post.`;
    case 'post.deleted':
      return `${who} deleted a post.`;
    case 'reaction.added':
      return `${who} reacted ${event.emoji} to ${authorOf(event.postId)}.`;
    case 'reaction.removed':
      return `${who} took back a ${event.emoji} on ${authorOf(event.postId)}.`;
    case 'post.held':
      return 'A post was held for review.';
    case 'report.filed':
      return event.actorId ? `${who} reported ${authorOf(event.postId)}.` : `Someone reported ${authorOf(event.postId)}.`;
    case 'hand.raised':
      return `${who} raised a hand to speak.`;
    case 'hand.lowered':
      return `${who} lowered their hand.`;
    case 'member.side':
      return `${who} now stands ${event.side === 'undecided' ? 'undecided' : SIDES[event.side]}.`;
    case 'vote.opened':
      return `${VOTES[event.vote]} opened${event.hideResults ? ' (results hidden until it closes)' : ''}.`;
    case 'vote.cast':
      return event.choice ? `${who} voted ${SIDES[event.choice]} in ${VOTES[event.vote].toLowerCase()}.` : `${who} voted in ${VOTES[event.vote].toLowerCase()}.`;
    case 'vote.closed':
      return `${VOTES[event.vote]} closed: For ${event.tally.for}, Against ${event.tally.against}, Undecided ${event.tally.undecided}.`;
    case 'mind.changed':
      return `${who} changed their mind, thanks to ${authorOf(event.postId)}.`;
    case 'phase.changed':
      return `The debate moved to ${PHASE_NAMES[event.phase]}.`;
    default: {
      const entry = state.modLog.find((logged) => logged.seq === event.seq);
      if (!entry) return 'Something changed.';
      const line = describeEntry(entry, state);
      const object = line.object ? ` ${line.object.text}` : '';
      return `${line.who} ${line.before}${object}${line.after ? ` ${line.after}` : ''}${line.reason ? `: “${line.reason}”` : ''}.`;
    }
  }
}

/** The post an event is about, if any (to point at it in the thread). */
export function postOf(event: RoomEvent | null): string | null {
  return event && 'postId' in event && event.type !== 'post.held' && event.type !== 'report.filed' ? event.postId : null;
}
