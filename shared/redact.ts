import { isModAction, type RoomEvent } from './room-events.js';
import type { RoomState } from './room-state.js';
import { redactConduct, redactConductEvent } from './redact-conduct.js';

/**
 * Who a frame is for. Moderators get the whole log; everyone else gets it without what only
 * moderators may read: removed and held text, blocked terms, who reported what, notes on members,
 * appeal texts, and (if the host hides them) which moderator acted. The seq numbers stay the same, so gaps mean the same thing.
 * Hidden ballots are hidden from both: see hiddenBallot.
 */
export type Audience = 'moderators' | 'public';

/** `state` is the room now: an event about a post that has since been removed loses its text too. */
export function redactEvent(event: RoomEvent, state: RoomState, audience: Audience): RoomEvent {
  event = withoutAddresses(event);
  if (event.type === 'vote.cast') return hiddenBallot(event, state);
  if (audience === 'moderators') return event;
  let out = event;
  switch (event.type) {
    case 'post.created':
    case 'post.edited':
    case 'post.approved':
    case 'post.restored': {
      const body = publicBody(state.posts[event.postId]);
      // Unchanged events stay the same object: the broadcaster sends moderators their own frame only when one differs.
      if (body !== event.body) out = { ...event, body };
      break;
    }
    case 'post.held':
      out = { ...event, body: '', term: '' };
      break;
    case 'report.filed':
      out = { ...event, actorId: '', reason: '' };
      break;
    case 'room.blockedTerms':
      out = { ...event, terms: [] };
      break;
    case 'member.noted':
    case 'appeal.filed':
      out = redactConductEvent(event);
      break;
  }
  if (isModAction(out) && !state.settings.showModNames) out = { ...out, actorId: '' };
  return out;
}

/**
 * The only text of a post the public may be served, whatever event carries it: '' once it was removed or
 * deleted by its author, else its current body. So an event from before an edit carries the edited text, the
 * fold of the served log ends where the redacted snapshot is, and what an author deleted or replaced is
 * never served to anyone but moderators. Live frames are redacted as they go out, when the text is current.
 * A post the state does not hold has no current text: ''.
 */
function publicBody(post: RoomState['posts'][string] | undefined): string {
  return !post || post.removed || post.deletedAt !== null ? '' : post.body;
}

/** A copy of the state for this audience; the server's own copy is never touched. */
export function redactState(state: RoomState, audience: Audience): RoomState {
  if (state.network) {
    const { network: _serverOnly, ...served } = state;
    state = served;
  }
  if (audience === 'moderators') {
    const votes = withHiddenBallots(state.votes);
    return votes === state.votes ? state : { ...state, votes };
  }
  const hideActors = !state.settings.showModNames;
  const posts: RoomState['posts'] = {};
  for (const [id, post] of Object.entries(state.posts)) {
    posts[id] = post.removed ? { ...post, body: '', removed: { ...post.removed, by: hideActors ? '' : post.removed.by } } : post;
  }
  const held: RoomState['held'] = {};
  for (const [id, entry] of Object.entries(state.held)) held[id] = { ...entry, body: '', term: '' };
  const reports: RoomState['reports'] = {};
  for (const [id, report] of Object.entries(state.reports)) reports[id] = { ...report, reporterId: '', reason: '' };
  return {
    ...state,
    votes: withHiddenBallots(state.votes),
    posts,
    held,
    reports,
    blockedTerms: [],
    ...(state.conduct ? { conduct: redactConduct(state.conduct, hideActors) } : {}),
    modLog: hideActors ? state.modLog.map((entry) => ({ ...entry, actorId: '' })) : state.modLog,
  };
}

/** Where people connect from is for the server's limits and bans only: no audience receives it. */
function withoutAddresses(event: RoomEvent): RoomEvent {
  if (event.type === 'member.joined' && event.addressKey !== undefined) {
    const { addressKey: _serverOnly, ...served } = event;
    return served;
  }
  if (event.type === 'member.banned' && event.addressKeys !== undefined) {
    const { addressKeys: _serverOnly, ...served } = event;
    return served;
  }
  return event;
}

/**
 * A vote that hides its results hides every choice from every audience, the host and moderators
 * included, before and after it closes: nobody may learn who chose what. That someone voted stays
 * visible, the count is told at the close (vote.closed), and each voter hears their own ballot
 * alone (vote:mine, room:myBallot: server/handlers/ballots.ts).
 */
function hiddenBallot(event: Extract<RoomEvent, { type: 'vote.cast' }>, state: RoomState): RoomEvent {
  return state.votes[event.vote]?.hideResults ? { ...event, choice: '' } : event;
}

/** The votes with every hidden one's ballots as ''; the same object when there is nothing to hide. */
function withHiddenBallots(votes: RoomState['votes']): RoomState['votes'] {
  if (!Object.values(votes).some((vote) => vote?.hideResults)) return votes;
  const out: RoomState['votes'] = {};
  for (const [kind, vote] of Object.entries(votes) as [keyof RoomState['votes'], NonNullable<RoomState['votes']['initial']>][]) {
    out[kind] = vote.hideResults ? { ...vote, ballots: Object.fromEntries(Object.keys(vote.ballots).map((id) => [id, ''])) } : vote;
  }
  return out;
}
