import { nanoid } from 'nanoid';
import { describe, expect, it } from 'vitest';
import { FIRST_WINDOW_BUDGET, mergePosts } from '../../shared/post-window.js';
import { connect, ok } from '../helpers/client.js';
import { opened, pageOf, snapshotOf } from '../helpers/snapshot.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { joinAs, openRoom } from '../helpers/fixtures.js';

const server = useTestServer();

/** 120 threads of 1 + 4 posts each: 600 posts. */
async function bigRoom() {
  const room = await openRoom(server.url);
  const author = (await joinAs(server.url, room.roomId, 'Author')).socket;
  const roots: string[] = [];
  for (let t = 0; t < 120; t++) {
    const root = nanoid();
    roots.push(root);
    await ok(author, 'post:create', { id: root, parentId: null, body: `thread ${t}` });
    let parent = root;
    for (let r = 0; r < 4; r++) {
      const id = nanoid();
      await ok(author, 'post:create', { id, parentId: r % 2 ? parent : root, body: `reply ${t}.${r}` });
      parent = id;
    }
  }
  return { ...room, roots };
}

describe('joining a big room', () => {
  it('sends the newest whole threads and pinned ones first; older threads page in until the room is complete', async () => {
    const { host, roomId, roots } = await bigRoom();
    await ok(host, 'mod:post', { action: 'pin', postId: roots[0] });
    await ok(host, 'mod:post', { action: 'remove', postId: roots[1], reason: 'spam' });
    const viewer = await joinAs(server.url, roomId, null);
    const { snapshot, more } = viewer.joined;
    expect(more).toBe(true);
    const loaded = Object.values(snapshot.posts);
    expect(loaded.length).toBeGreaterThanOrEqual(FIRST_WINDOW_BUDGET);
    expect(loaded.length).toBeLessThan(FIRST_WINDOW_BUDGET + 10);
    expect(snapshot.posts[roots[0]]).toBeDefined();
    expect(snapshot.posts[roots[119]]).toBeDefined();
    // Every reply's parent is there: threads travel whole.
    for (const post of loaded) if (post.parentId) expect(snapshot.posts[post.parentId]).toBeDefined();

    let cursor = Math.min(...loaded.filter((p) => p.parentId === null && p.pinnedAt === null).map((p) => p.createdAt));
    let pages = 0;
    for (let next = true; next; pages++) {
      const page = pageOf(await ok(viewer.socket, 'room:posts', { before: cursor }));
      mergePosts(snapshot, page.posts);
      cursor = page.cursor ?? cursor;
      next = page.more;
    }
    expect(pages).toBeGreaterThan(1);
    const full = (await server.store.load(roomId))!;
    // Every post arrives, in creation order (posts of the same millisecond in any order).
    expect([...snapshot.postOrder].sort()).toEqual([...full.postOrder].sort());
    const times = snapshot.postOrder.map((id) => snapshot.posts[id].createdAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(snapshot.posts[roots[1]]).toMatchObject({ body: '', removed: { reason: 'spam' } });
  });

  it('loads the whole thread of any post for a permalink', async () => {
    const { roomId, roots } = await bigRoom();
    const viewer = await joinAs(server.url, roomId, null);
    const full = (await server.store.load(roomId))!;
    const deep = full.postOrder.find((id) => full.posts[id].parentId && full.posts[full.posts[id].parentId!].parentId === roots[2])!;
    expect(viewer.joined.snapshot.posts[deep]).toBeUndefined();
    const page = pageOf(await ok(viewer.socket, 'room:posts', { postId: deep }));
    expect(page.posts.map((p) => p.id).sort()).toEqual(full.postOrder.filter((id) => id === roots[2] || full.posts[id].body.startsWith('reply 2.')).sort());
  });

  it('builds and encodes the snapshot once per seq and audience, and sends it as bytes', async () => {
    const { roomId, hostToken } = await openRoom(server.url);
    const cache = server.app.context.snapshots;
    const state = (await server.store.load(roomId))!;
    const encoded = cache.get(state, 'public');
    expect(cache.get(state, 'public')).toBe(encoded);
    expect(cache.get(state, 'moderators')).not.toBe(encoded);
    const answers = await Promise.all([null, null].map(async () => ok(await connect(server.url), 'room:join', { roomId, role: 'viewer' })));
    for (const { start } of answers) {
      if (start.kind !== 'snapshot') throw new Error('a fresh joiner gets a snapshot');
      // A binary attachment, byte for byte what the cache holds: no per-joiner serialising.
      expect(Buffer.isBuffer(start.encoded)).toBe(true);
      expect(Buffer.from(start.encoded as Uint8Array).equals(encoded.encoded as Uint8Array)).toBe(true);
    }
    const host = opened(await ok(await connect(server.url), 'room:join', { roomId, role: 'participant', token: hostToken }));
    expect(host.snapshot).toEqual(snapshotOf({ kind: 'snapshot', encoded: cache.get(state, 'moderators').encoded }).snapshot);
  });
});
