import type { Reaction } from './limits.js';
import type { MemberRole, RoomEvent, RoomInfo } from './room-events.js';

export interface Member {
  id: string;
  name: string;
  role: MemberRole;
  joinedAt: number;
}

export interface Post {
  id: string;
  parentId: string | null;
  authorId: string;
  /** Markdown source as written; '' once deleted by its author. */
  body: string;
  createdAt: number;
  editedAt: number | null;
  deletedAt: number | null;
  /** Reactor member ids per emoji: counts and "mine" both follow from it. */
  reactions: Partial<Record<Reaction, string[]>>;
}

export interface RoomState {
  room: RoomInfo;
  /** The seq of the last event folded in. */
  seq: number;
  members: Record<string, Member>;
  posts: Record<string, Post>;
  /** Post ids in creation order. */
  postOrder: string[];
}

/**
 * The one reducer over a room's log, run by the server and by every client.
 * It mutates `state` in place (cheap on the server, fine-grained under Vue reactivity) and returns it.
 * It is total: an event that names something unknown changes nothing, so a client can never crash on one.
 */
export function applyEvent(state: RoomState | null, event: RoomEvent): RoomState {
  if (event.type === 'room.opened') {
    return { room: { ...event.room }, seq: event.seq, members: {}, posts: {}, postOrder: [] };
  }
  if (!state) throw new Error(`The log must start with room.opened, got ${event.type}`);
  state.seq = event.seq;
  switch (event.type) {
    case 'member.joined':
      state.members[event.actorId] ??= { id: event.actorId, name: event.name, role: event.role, joinedAt: event.at };
      break;
    case 'post.created':
      if (state.posts[event.postId]) break;
      state.posts[event.postId] = {
        id: event.postId,
        parentId: event.parentId,
        authorId: event.actorId,
        body: event.body,
        createdAt: event.at,
        editedAt: null,
        deletedAt: null,
        reactions: {},
      };
      state.postOrder.push(event.postId);
      break;
    case 'post.edited': {
      const post = state.posts[event.postId];
      if (post && post.deletedAt === null) {
        post.body = event.body;
        post.editedAt = event.at;
      }
      break;
    }
    case 'post.deleted': {
      const post = state.posts[event.postId];
      if (post && post.deletedAt === null) {
        post.body = '';
        post.deletedAt = event.at;
        post.reactions = {};
      }
      break;
    }
    case 'reaction.added': {
      const post = state.posts[event.postId];
      if (!post) break;
      const reactors = (post.reactions[event.emoji] ??= []);
      if (!reactors.includes(event.actorId)) reactors.push(event.actorId);
      break;
    }
    case 'reaction.removed': {
      const reactors = state.posts[event.postId]?.reactions[event.emoji];
      const at = reactors?.indexOf(event.actorId) ?? -1;
      if (reactors && at >= 0) reactors.splice(at, 1);
      break;
    }
  }
  return state;
}

export function foldEvents(events: RoomEvent[], state: RoomState | null = null): RoomState | null {
  for (const event of events) state = applyEvent(state, event);
  return state;
}

export function reactionCount(post: Post, emoji: Reaction): number {
  return post.reactions[emoji]?.length ?? 0;
}

export function hasReacted(post: Post, emoji: Reaction, memberId: string | null): boolean {
  return memberId !== null && (post.reactions[emoji]?.includes(memberId) ?? false);
}

/** Depth of a post in its thread: 0 for top level. */
export function postDepth(state: RoomState, postId: string): number {
  let depth = 0;
  let parent = state.posts[postId]?.parentId ?? null;
  while (parent) {
    depth++;
    parent = state.posts[parent]?.parentId ?? null;
  }
  return depth;
}
