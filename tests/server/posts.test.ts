import { readFileSync } from 'node:fs';
import { nanoid } from 'nanoid';
import { describe, expect, it } from 'vitest';
import { call, ok, settle, until } from '../helpers/client.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';

const corpus = readFileSync(new URL('../fixtures/debate-thread.txt', import.meta.url), 'utf8').split('\n').filter(Boolean);

const server = useTestServer();

describe('posting', () => {
  it('posts at top level and replies at any depth; everyone sees it live', async () => {
    const { host, roomId } = await openRoom(server.url);
    const viewer = await joinAs(server.url, roomId, null);
    let parent: string | null = null;
    const ids: string[] = [];
    for (const body of corpus.slice(0, 12)) {
      const written = await post(host, body, parent);
      ids.push(written.id);
      parent = written.id;
    }
    await until(() => viewer.socket.received.filter((e) => e.type === 'post.created').length === 12, 'twelve posts live');
    const live = viewer.socket.received.filter((e) => e.type === 'post.created');
    expect(live.map((e) => e.postId)).toEqual(ids);
    expect(live[11]).toMatchObject({ parentId: ids[10], body: corpus[11] });
    // Markdown source is stored exactly as written.
    const source = '> quoted line\n\n**bold** and >!spoiler!< — Красный Террор\n';
    const { id } = await post(host, source, ids[0]);
    const { joined } = await joinAs(server.url, roomId, null);
    expect(joined.snapshot.posts[id].body).toBe(source);
  });

  it('stores a retried post once', async () => {
    const { host, roomId } = await openRoom(server.url);
    const viewer = await joinAs(server.url, roomId, null);
    const payload = { id: nanoid(), parentId: null, body: 'Sent twice over a flaky link' };
    const [first, second] = await Promise.all([call(host, 'post:create', payload), call(host, 'post:create', payload)]);
    const third = await call(host, 'post:create', payload);
    expect([first.ok, second.ok, third.ok]).toEqual([true, true, true]);
    await settle();
    expect(viewer.socket.received.filter((e) => e.type === 'post.created')).toHaveLength(1);
    const { joined } = await joinAs(server.url, roomId, null);
    expect(joined.snapshot.postOrder).toEqual([payload.id]);
  });

  it('refuses a post id someone else already used', async () => {
    const { host, roomId } = await openRoom(server.url);
    const { id } = await post(host, 'mine');
    const bea = await joinAs(server.url, roomId, 'Bea');
    const answer = await call(bea.socket, 'post:create', { id, parentId: null, body: 'hijack' });
    expect(answer.ok ? null : answer.error.code).toBe('CONFLICT');
  });

  it('answers NOT_FOUND for a reply to an unknown parent, or a parent in another room', async () => {
    const { host } = await openRoom(server.url);
    const other = await openRoom(server.url, 'Elsewhere');
    const foreign = await post(other.host, 'in another room');
    for (const parentId of ['nosuchpost', foreign.id]) {
      const answer = await call(host, 'post:create', { id: nanoid(), parentId, body: 'reply' });
      expect(answer.ok ? null : answer.error.code).toBe('NOT_FOUND');
    }
  });

  it('does not let a viewer post', async () => {
    const { roomId } = await openRoom(server.url);
    const viewer = await joinAs(server.url, roomId, null);
    const answer = await call(viewer.socket, 'post:create', { id: nanoid(), parentId: null, body: 'hi' });
    expect(answer.ok ? null : answer.error.code).toBe('FORBIDDEN');
  });
});

describe('author actions', () => {
  it('edits my own post and keeps the edited time', async () => {
    const { host, roomId } = await openRoom(server.url);
    const { id } = await post(host, 'Frist');
    const viewer = await joinAs(server.url, roomId, null);
    await ok(host, 'post:edit', { postId: id, body: 'First' });
    await until(() => viewer.socket.received.some((e) => e.type === 'post.edited'), 'edit live');
    const { joined } = await joinAs(server.url, roomId, null);
    expect(joined.snapshot.posts[id]).toMatchObject({ body: 'First' });
    expect(joined.snapshot.posts[id].editedAt).toBeGreaterThanOrEqual(joined.snapshot.posts[id].createdAt);
  });

  it('deletes my own post as a tombstone: text gone everywhere, replies stay', async () => {
    const { host, roomId } = await openRoom(server.url);
    const bea = await joinAs(server.url, roomId, 'Bea');
    const { id } = await post(bea.socket, 'deleted by creator');
    const reply = await post(host, 'a reply that stays', id);
    await ok(bea.socket, 'post:delete', { postId: id });
    await until(() => host.received.some((e) => e.type === 'post.deleted'), 'delete live');
    const deleted = host.received.find((e) => e.type === 'post.deleted');
    expect(JSON.stringify(deleted)).not.toContain('deleted by creator');
    const { joined } = await joinAs(server.url, roomId, null);
    expect(joined.snapshot.posts[id]).toMatchObject({ body: '', parentId: null });
    expect(joined.snapshot.posts[id].deletedAt).not.toBeNull();
    expect(joined.snapshot.posts[reply.id]).toMatchObject({ parentId: id, body: 'a reply that stays' });
    expect(JSON.stringify(joined.snapshot)).not.toContain('deleted by creator');
    // Deleting again is a harmless retry.
    expect((await call(bea.socket, 'post:delete', { postId: id })).ok).toBe(true);
  });

  it('refuses to edit or delete someone else’s post, and changes nothing', async () => {
    const { host, roomId } = await openRoom(server.url);
    const { id } = await post(host, 'the host’s words');
    const bea = await joinAs(server.url, roomId, 'Bea');
    await settle();
    const before = (await server.store.load(roomId))!.seq;
    const seen = host.received.length;
    const edit = await call(bea.socket, 'post:edit', { postId: id, body: 'put words in mouth' });
    const del = await call(bea.socket, 'post:delete', { postId: id });
    expect(edit.ok ? null : edit.error).toMatchObject({ code: 'FORBIDDEN', message: 'You can only change your own posts.' });
    expect(del.ok ? null : del.error.code).toBe('FORBIDDEN');
    await settle();
    expect((await server.store.load(roomId))!.seq).toBe(before);
    expect(host.received).toHaveLength(seen);
  });
});
