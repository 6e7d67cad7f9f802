import type { RoomEvent } from '../room-events.js';
import type { RoomState } from '../room-state.js';
import { canBeKey, own } from '../own.js';

/** Posts and reactions. Returns false for events it does not handle. */
export function applyPostEvent(state: RoomState, event: RoomEvent): boolean {
  switch (event.type) {
    case 'post.created': {
      if (own(state.posts, event.postId) || !canBeKey(event.postId)) break;
      state.posts[event.postId] = {
        id: event.postId,
        parentId: event.parentId,
        authorId: event.actorId,
        body: event.body,
        createdAt: event.at,
        editedAt: null,
        deletedAt: null,
        removed: null,
        pinnedAt: null,
        locked: false,
        stance: event.parentId ? (event.stance ?? null) : null,
        reactions: {},
        ...(event.quote ? { quote: { ...event.quote } } : {}),
      };
      state.postOrder.push(event.postId);
      const author = own(state.members, event.actorId);
      if (author) author.lastPostAt = event.at;
      break;
    }
    case 'post.edited': {
      const post = own(state.posts, event.postId);
      if (post && post.deletedAt === null && post.removed === null) {
        post.body = event.body;
        post.editedAt = event.at;
        // Slow mode counts an edit as a post (see checkWriting in permissions.ts).
        const author = own(state.members, event.actorId);
        if (author) author.lastPostAt = event.at;
      }
      break;
    }
    case 'post.deleted': {
      const post = own(state.posts, event.postId);
      if (post && post.deletedAt === null) {
        post.body = '';
        post.deletedAt = event.at;
        post.reactions = {};
      }
      break;
    }
    case 'reaction.added': {
      const post = own(state.posts, event.postId);
      if (!post) break;
      const reactors = (post.reactions[event.emoji] ??= []);
      if (!reactors.includes(event.actorId)) reactors.push(event.actorId);
      break;
    }
    case 'reaction.removed': {
      const reactors = own(state.posts, event.postId)?.reactions[event.emoji];
      const at = reactors?.indexOf(event.actorId) ?? -1;
      if (reactors && at >= 0) reactors.splice(at, 1);
      break;
    }
    default:
      return false;
  }
  return true;
}
