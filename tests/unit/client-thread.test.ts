import { describe, expect, it } from 'vitest';
import { formatRelative } from '../../client/composables/relative-time.js';
import type { PendingPost } from '../../client/logic/outbox.js';
import { ancestry, buildChildIndex, countDescendants, createEntries } from '../../client/logic/thread-tree.js';
import { foldEvents, type RoomState } from '../../shared/room-state.js';
import type { RoomEvent } from '../../shared/room-events.js';

function room(posts: [string, string | null][]): RoomState {
  const events: RoomEvent[] = [
    { seq: 1, at: 1, actorId: 'h', type: 'room.opened', room: { id: 'r', title: 't', motion: '', hostId: 'h', createdAt: 1 } },
    ...posts.map(([postId, parentId], i): RoomEvent => ({ seq: i + 2, at: i + 2, actorId: 'h', type: 'post.created', postId, parentId, body: postId })),
  ];
  return foldEvents(events)!;
}

const pending = (id: string, parentId: string | null): PendingPost => ({ id, parentId, body: id, createdAt: 0, status: 'sending' });

describe('thread tree', () => {
  it('groups replies under their parent in creation order, pending ones last', () => {
    const state = room([['a', null], ['b', 'a'], ['c', null], ['d', 'a']]);
    const index = buildChildIndex(state, [pending('p', 'a'), pending('q', null)]);
    expect(index.get(null)?.map((i) => i.id)).toEqual(['a', 'c', 'q']);
    expect(index.get('a')?.map((i) => [i.id, i.status !== 'posted'])).toEqual([['b', false], ['d', false], ['p', true]]);
  });

  it('never shows a post twice once its pending copy has arrived', () => {
    const state = room([['a', null]]);
    const index = buildChildIndex(state, [pending('a', null)]);
    expect(index.get(null)?.map((i) => [i.id, i.status !== 'posted'])).toEqual([['a', false]]);
  });

  it('projects every post, mine on its way included, as one entry type with a status', () => {
    const state = room([['a', null]]);
    const failed: PendingPost = { ...pending('p', 'a'), body: 'my reply', stance: 'rebut', status: 'failed', error: 'You are muted.' };
    const index = buildChildIndex(state, [failed, { ...pending('q', null), status: 'held' }], createEntries(), 'me');
    const [posted] = index.get(null)!;
    expect(posted).toMatchObject({ id: 'a', status: 'posted', post: { id: 'a', body: 'a' } });
    // A real entry reads the room's post as it is now: an edit shows without rebuilding the index.
    state.posts.a.body = 'a (edited)';
    expect(posted.post?.body).toBe('a (edited)');
    expect(index.get('a')).toMatchObject([{ id: 'p', status: 'failed', error: 'You are muted.', post: { id: 'p', parentId: 'a', authorId: 'me', body: 'my reply', stance: 'rebut', reactions: {} } }]);
    expect(index.get(null)?.map((e) => [e.id, e.status])).toEqual([['a', 'posted'], ['q', 'held']]);
    // Its status follows the outbox in place (a retry, then held for review).
    failed.status = 'sending';
    expect(index.get('a')![0].status).toBe('sending');
  });

  it('keeps the shape around deleted posts and counts descendants', () => {
    const state = room([['a', null], ['b', 'a'], ['c', 'b'], ['d', 'c']]);
    state.posts.b.deletedAt = 5;
    const index = buildChildIndex(state, []);
    expect(index.get('a')?.map((i) => i.id)).toEqual(['b']);
    expect(countDescendants(index, 'a')).toBe(3);
    expect(ancestry(state, 'd')).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('relative time', () => {
  const now = Date.UTC(2025, 0, 10, 12);
  it.each([
    [now - 5_000, 'just now'],
    [now + 60_000, 'just now'],
    [now - 3 * 60_000, '3 minutes ago'],
    [now - 2 * 3600_000, '2 hours ago'],
    [now - 26 * 3600_000, 'yesterday'],
  ])('%s', (at, text) => {
    expect(formatRelative(at, now)).toBe(text);
  });
});
