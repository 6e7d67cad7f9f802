import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createThreadPaging } from '../../client/logic/thread-paging.js';
import { RequestError, type Requester } from '../../client/socket.js';
import { mergePosts } from '../../shared/post-window.js';
import { encodePage } from '../../shared/snapshot-codec.js';
import { RoomBuilder } from '../helpers/room-builder.js';

describe('paging older threads when reads are over budget', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function pagingAgainst(refusals: number) {
    const b = new RoomBuilder('host');
    b.post('old', 'host', { body: 'an older thread' });
    const older = b.postOf('old');
    b.post('new', 'host', { body: 'the newest thread' });
    const client = b.refold();
    delete client.posts.old;
    client.postOrder = ['new'];
    let asked = 0;
    const request = (async () => {
      asked++;
      if (asked <= refusals) throw new RequestError('RATE_LIMITED', 'You are asking for this room too often; try again in 3 s.');
      return { encoded: encodePage({ posts: [older], cursor: older.createdAt, more: false }) };
    }) as unknown as Requester;
    const paging = createThreadPaging({ request, state: () => client, merge: (page) => mergePosts(client, page.posts) });
    paging.reset(client, true);
    return { paging, client, asked: () => asked };
  }

  it('waits and asks again, so the reader gets the page late instead of an error', async () => {
    const { paging, client, asked } = pagingAgainst(2);
    const loading = paging.loadOlder();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(asked()).toBe(2);
    expect(paging.loading.value).toBe(true);
    await vi.advanceTimersByTimeAsync(4_000);
    await loading;
    expect(asked()).toBe(3);
    expect(client.posts.old?.body).toBe('an older thread');
    expect(paging.more.value).toBe(false);
  });

  it('gives up with the refusal when the budget stays spent', async () => {
    const { paging, asked } = pagingAgainst(10);
    const loading = paging.loadOlder().catch((error: RequestError) => error.code);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(await loading).toBe('RATE_LIMITED');
    expect(asked()).toBe(4);
    expect(paging.loading.value).toBe(false);
  });
});
