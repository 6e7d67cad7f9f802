import { isModerator } from './permissions.js';
import type { Audience } from './redact.js';
import type { RoomEvent } from './room-events.js';
import type { RoomState } from './room-state.js';
import { forgetConductNames } from './redact-conduct.js';

/** Who a member reads as: moderators (host included, not while banned) read everything. The server decides the same way. */
export function audienceFor(state: RoomState, memberId: string | null): Audience {
  const member = memberId ? state.members[memberId] : undefined;
  return member && isModerator(member) && !member.banned ? 'moderators' : 'public';
}

/**
 * redactState, for a client that already holds the room and has just applied `events` to it: what
 * those events made unreadable for this audience goes from its copy too (a post removed after this
 * reader saw it: its text; names of moderators once the host hides them), so a live reader's state
 * stays what a joiner would be served now. Mutates `state`. Returns whether the state needs a fresh
 * snapshot instead: something became readable again that this copy never had (moderator names shown
 * again, after actions taken while they were hidden).
 */
export function redactApplied(state: RoomState, events: readonly RoomEvent[], audience: Audience): { refetch: boolean } {
  if (audience === 'moderators') return { refetch: false };
  let refetch = false;
  for (const event of events) {
    if (event.type === 'post.removed') forgetRemovedText(state, [event.postId]);
    else if (event.type === 'member.banned' && event.removePosts) {
      forgetRemovedText(state, state.postOrder.filter((id) => state.posts[id]?.authorId === event.memberId));
    } else if (event.type === 'room.settings' && event.settings.showModNames !== undefined) {
      if (!event.settings.showModNames) forgetModeratorNames(state);
      else refetch = true;
    }
  }
  // The names shown again may have been hidden since in the same batch.
  return { refetch: refetch && state.settings.showModNames };
}

function forgetRemovedText(state: RoomState, postIds: string[]): void {
  for (const id of postIds) {
    const post = state.posts[id];
    if (post?.removed && post.body) post.body = '';
  }
}

function forgetModeratorNames(state: RoomState): void {
  if (state.settings.showModNames) return;
  for (const entry of state.modLog) if (entry.actorId) entry.actorId = '';
  forgetConductNames(state.conduct);
  for (const id of state.postOrder) {
    const removal = state.posts[id]?.removed;
    if (removal?.by) removal.by = '';
  }
}
