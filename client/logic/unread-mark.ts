import type { Post, RoomState } from '../../shared/room-state.js';

/**
 * How far this browser had read a room: the last seq applied, and the server time of the newest
 * thing in it. Posts do not carry their seq (a snapshot has none), so "arrived since" compares a
 * post's createdAt (server clock, the same clock as the events') with `at`.
 */
export interface SeenMark {
  seq: number;
  at: number;
}

export function isUnreadSince(mark: SeenMark | null, post: Post, meId: string | null): boolean {
  return mark !== null && post.createdAt > mark.at && post.authorId !== meId;
}

export function markOf(state: RoomState): SeenMark {
  let at = state.room.createdAt;
  for (const id of state.postOrder) at = Math.max(at, state.posts[id].createdAt);
  return { seq: state.seq, at };
}
