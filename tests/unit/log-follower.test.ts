import { describe, expect, it } from 'vitest';
import { LogFollower } from '../../shared/log-follower.js';
import type { RoomEvent } from '../../shared/room-events.js';
import { applyEvent, foldEvents, type RoomState } from '../../shared/room-state.js';

const opened: RoomEvent = {
  seq: 1,
  at: 1000,
  actorId: 'host0000',
  type: 'room.opened',
  room: { id: 'room000000', title: 'T', motion: '', hostId: 'host0000', createdAt: 1000 },
};
const created = (seq: number, postId: string, parentId: string | null = null): RoomEvent => ({
  seq,
  at: 1000 + seq,
  actorId: 'host0000',
  type: 'post.created',
  postId,
  parentId,
  body: `body ${postId}`,
});

const fresh = (): RoomState => applyEvent(null, opened);

describe('LogFollower', () => {
  it('applies in order and drops duplicates', () => {
    const follower = new LogFollower(fresh());
    expect(follower.receive(created(2, 'p1')).map((e) => e.seq)).toEqual([2]);
    expect(follower.receive(created(2, 'p1'))).toEqual([]); // a duplicate: nothing applied
    expect(follower.hasGap).toBe(false);
    expect(follower.state.postOrder).toEqual(['p1']);
  });

  it('holds events past a gap, reports it, and applies them once the gap is filled', () => {
    const follower = new LogFollower(fresh());
    expect(follower.receive(created(4, 'p3'))).toEqual([]);
    expect(follower.hasGap).toBe(true);
    expect(follower.seq).toBe(1);
    // The gap filled: the held event is applied, and said, after the two that filled it.
    expect(follower.receiveAll([created(2, 'p1'), created(3, 'p2')]).map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(follower.hasGap).toBe(false);
    expect(follower.seq).toBe(4);
    expect(follower.state.postOrder).toEqual(['p1', 'p2', 'p3']);
  });

  it('takes a snapshot and keeps held events beyond it', () => {
    const follower = new LogFollower(fresh());
    follower.receive(created(6, 'p5'));
    const snapshot = foldEvents([opened, created(2, 'a'), created(3, 'b'), created(4, 'c'), created(5, 'd')])!;
    follower.reset(snapshot);
    expect(follower.seq).toBe(6);
    expect(follower.hasGap).toBe(false);
  });
});

describe('applyEvent', () => {
  it('keeps reactions one per person per emoji, and tombstones keep replies', () => {
    const state = foldEvents([
      opened,
      created(2, 'p1'),
      created(3, 'p2', 'p1'),
      { seq: 4, at: 5, actorId: 'a', type: 'reaction.added', postId: 'p1', emoji: '👍' },
      { seq: 5, at: 5, actorId: 'a', type: 'reaction.added', postId: 'p1', emoji: '👍' },
      { seq: 6, at: 5, actorId: 'b', type: 'reaction.added', postId: 'p1', emoji: '👍' },
      { seq: 7, at: 5, actorId: 'a', type: 'reaction.removed', postId: 'p1', emoji: '👍' },
      { seq: 8, at: 9, actorId: 'host0000', type: 'post.deleted', postId: 'p1' },
    ])!;
    expect(state.posts.p1).toMatchObject({ body: '', deletedAt: 9 });
    expect(state.posts.p2.parentId).toBe('p1');
    expect(state.seq).toBe(8);
  });

  it('ignores events about unknown posts instead of throwing', () => {
    const state = fresh();
    expect(() => applyEvent(state, { seq: 2, at: 1, actorId: 'x', type: 'post.edited', postId: 'nope', body: 'b' })).not.toThrow();
    expect(state.seq).toBe(2);
  });
});

describe('threadPage', () => {
  it('reaches every thread by paging, even when many are created in the same millisecond', async () => {
    const { threadPage } = await import('../../shared/post-window.js');
    const events: RoomEvent[] = [opened];
    for (let i = 0; i < 601; i++) events.push({ ...created(i + 2, `p${i}`), at: 5000 + Math.floor(i / 3) });
    // An approved post keeps its older creation time but enters the log last.
    const state = foldEvents(events)!;
    const seen = new Set<string>();
    let page = threadPage(state, null, 50);
    page.posts.forEach((p) => seen.add(p.id));
    while (page.more) {
      page = threadPage(state, page.cursor, 50);
      page.posts.forEach((p) => seen.add(p.id));
    }
    expect(seen.size).toBe(601);
  });
});
