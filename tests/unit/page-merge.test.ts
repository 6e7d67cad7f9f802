import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRoomLog } from '../../client/logic/room-log.js';
import { createThreadPaging } from '../../client/logic/thread-paging.js';
import type { Requester } from '../../client/socket.js';
import type { ThreadPage } from '../../shared/post-window.js';
import { encodePage, encodeSnapshot } from '../../shared/snapshot-codec.js';
import { RoomBuilder } from '../helpers/room-builder.js';

/**
 * A page of posts (room:posts) is cut from the server's state as it is when asked, which may be ahead of
 * this page's copy: the thread of a post just acknowledged comes back before its post.created does (the
 * outbox's locate after lost history). Merged at once, the post is there when its event arrives, and the
 * event's effects beyond the post (the author's posted count, lastPostAt) were skipped for good.
 */
describe('merging a page cut from a later state than the client copy', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function clientAgainst(page: () => ThreadPage) {
    const request = (async (event: string) => {
      if (event !== 'room:posts') throw new Error(`unexpected ${event}`);
      return { encoded: encodePage(page()) };
    }) as unknown as Requester;
    const log = createRoomLog({
      request,
      open: () => true,
      accepting: () => true,
      startOver: () => undefined,
      snapshotTaken: () => undefined,
      reader: () => null,
      refetch: () => undefined,
    });
    const paging = createThreadPaging({ request, state: () => log.current(), merge: (answer) => log.mergePage(answer) });
    return { log, paging };
  }

  it("waits for the events up to the page's seq, so each post.created counts for its author", async () => {
    const b = new RoomBuilder('host');
    b.join('ann');
    b.post('first', 'ann');
    const before = b.refold();
    b.post('reply', 'ann', { parentId: 'first' });
    const created = b.events.at(-1)!;
    const { log, paging } = clientAgainst(() => ({ posts: [b.postOf('first'), b.postOf('reply')], cursor: null, more: false, seq: b.state.seq }));
    log.catchUp({ kind: 'snapshot', encoded: encodeSnapshot({ snapshot: { ...before, posts: {}, postOrder: [] }, more: true }) });

    await paging.loadThread('reply');
    // The older post is in the page too: it waits with it, then comes in.
    log.receive([created]);

    const state = log.current()!;
    expect(state.postOrder).toEqual(['first', 'reply']);
    expect(state.conduct?.posted.ann).toBe(2);
    expect(state.members.ann?.lastPostAt).toBe(created.at);
    expect(state.conduct?.posted).toEqual(b.state.conduct?.posted);
  });

  it('merges a page at once when the client copy is already at its seq', async () => {
    const b = new RoomBuilder('host');
    b.join('ann');
    b.post('old', 'ann');
    b.post('new', 'ann');
    const { log, paging } = clientAgainst(() => ({ posts: [b.postOf('old')], cursor: null, more: false, seq: b.state.seq }));
    const current = b.refold();
    delete current.posts.old;
    current.postOrder = ['new'];
    log.catchUp({ kind: 'snapshot', encoded: encodeSnapshot({ snapshot: current, more: true }) });
    paging.reset(log.current()!, true);

    await paging.loadOlder();

    expect(log.current()!.postOrder).toEqual(['old', 'new']);
    expect(log.current()!.conduct?.posted.ann).toBe(2);
  });
});
