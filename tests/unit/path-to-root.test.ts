// The one walk up a thread (shared/room-state.ts pathToRoot), which the lock rule, permalinks,
// paging a thread in, the debate shape and replay all take.
import { describe, expect, it } from 'vitest';
import { ancestry } from '../../client/logic/thread-tree.js';
import { replayTree } from '../../client/logic/replay-tree.js';
import { threadOf } from '../../shared/post-window.js';
import { foldEvents, isThreadLocked, pathToRoot, type RoomState } from '../../shared/room-state.js';
import type { RoomEvent } from '../../shared/room-events.js';

function room(posts: [string, string | null][]): RoomState {
  const events: RoomEvent[] = [
    { seq: 1, at: 1, actorId: 'h', type: 'room.opened', room: { id: 'r', title: 't', motion: '', hostId: 'h', createdAt: 1 } },
    ...posts.map(([postId, parentId], i): RoomEvent => ({ seq: i + 2, at: i + 2, actorId: 'h', type: 'post.created', postId, parentId, body: postId })),
  ];
  return foldEvents(events)!;
}

describe('pathToRoot', () => {
  it('walks from the post up to its thread’s top, nearest first, and every caller reads the same path', () => {
    const state = room([['a', null], ['b', 'a'], ['c', 'b'], ['x', null]]);
    expect(pathToRoot(state, 'c').map((post) => post.id)).toEqual(['c', 'b', 'a']);
    expect(ancestry(state, 'c')).toEqual(['a', 'b', 'c']);
    expect(replayTree(state).rootOf('c')).toBe('a');
    expect(threadOf(state, 'c').map((post) => post.id)).toEqual(['a', 'b', 'c']);
    expect(pathToRoot(state, 'missing')).toEqual([]);
  });

  it('stops at the topmost post the state holds when the thread above is not loaded', () => {
    const state = room([['a', null], ['b', 'a'], ['c', 'b']]);
    delete state.posts.a;
    state.postOrder.shift();
    expect(pathToRoot(state, 'c').map((post) => post.id)).toEqual(['c', 'b']);
    expect(replayTree(state).rootOf('c')).toBe('b');
  });

  it('ends on data that loops (a state is data, and data can be wrong)', () => {
    const state = room([['a', null], ['b', 'a']]);
    state.posts.a.parentId = 'b';
    expect(pathToRoot(state, 'b').length).toBeLessThanOrEqual(state.postOrder.length + 1);
    expect(isThreadLocked(state, 'b')).toBe(false);
  });
});
