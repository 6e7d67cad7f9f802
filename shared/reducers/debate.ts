import type { RoomEvent } from '../room-events.js';
import type { RoomState } from '../room-state.js';
import { canBeKey, own } from '../own.js';

/** Sides, audience votes, "this changed my mind", phases. Returns false for events it does not handle. */
export function applyDebateEvent(state: RoomState, event: RoomEvent): boolean {
  switch (event.type) {
    case 'member.side': {
      const member = own(state.members, event.actorId);
      if (member) member.side = event.side;
      break;
    }
    case 'vote.opened':
      state.votes[event.vote] ??= { kind: event.vote, open: true, hideResults: event.hideResults, openedAt: event.at, closedAt: null, ballots: {}, tally: null };
      break;
    case 'vote.cast': {
      const vote = state.votes[event.vote];
      if (vote?.open && canBeKey(event.actorId)) vote.ballots[event.actorId] = event.choice;
      break;
    }
    case 'vote.closed': {
      const vote = state.votes[event.vote];
      if (vote?.open) {
        vote.open = false;
        vote.closedAt = event.at;
        vote.tally = { ...event.tally };
        if (event.paired) vote.paired = { before: { ...event.paired.before }, after: { ...event.paired.after }, voters: event.paired.voters };
      }
      break;
    }
    case 'mind.changed':
      if (own(state.posts, event.postId) && canBeKey(event.actorId)) state.mindChanges[event.actorId] = event.postId;
      break;
    case 'phase.changed':
      state.phase = { phase: event.phase, endsAt: event.endsAt, since: event.at };
      break;
    default:
      return false;
  }
  return true;
}
