import { copyPostGround, copyRoomGround } from '../../shared/common-ground.js';
import type { RoomState } from '../../shared/room-state.js';

/**
 * A copy of a room state that `applyEvent` can run on without touching the original: every object the
 * reducer mutates in place (members, posts and their reaction lists, votes and their ballots, settings,
 * the maps and lists it adds to) is copied; what it only ever replaces (strings, the room info, removals,
 * held posts, reports, mod log entries, tallies) is shared. Much cheaper than structuredClone, and the
 * text of every post (most of a state's bytes) is shared between all copies.
 */
export function copyState(state: RoomState): RoomState {
  const members: RoomState['members'] = {};
  for (const id in state.members) members[id] = { ...state.members[id]! };
  const posts: RoomState['posts'] = {};
  for (const id in state.posts) {
    const post = state.posts[id]!;
    const reactions: typeof post.reactions = {};
    for (const emoji in post.reactions) reactions[emoji as keyof typeof reactions] = post.reactions[emoji as keyof typeof reactions]!.slice();
    posts[id] = { ...post, reactions };
    if (post.ground) posts[id].ground = copyPostGround(post.ground);
  }
  const votes: RoomState['votes'] = {};
  for (const kind of ['initial', 'final'] as const) {
    const vote = state.votes[kind];
    if (vote) votes[kind] = { ...vote, ballots: { ...vote.ballots } };
  }
  const copy: RoomState = {
    ...state,
    settings: { ...state.settings },
    blockedTerms: state.blockedTerms.slice(),
    members,
    posts,
    postOrder: state.postOrder.slice(),
    held: { ...state.held },
    reports: { ...state.reports },
    modLog: state.modLog.slice(),
    votes,
    mindChanges: { ...state.mindChanges },
    phase: { ...state.phase },
  };
  if (state.network) copy.network = structuredClone(state.network);
  // Small (bounded lists per member), and the reducer mutates it all over: copied whole.
  if (state.conduct) copy.conduct = structuredClone(state.conduct);
  if (state.ground) copy.ground = copyRoomGround(state.ground);
  return copy;
}
