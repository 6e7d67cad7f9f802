import { AppError } from '../shared/errors.js';
import type { CatchUp, PostsPage } from '../shared/events.js';
import { limits } from '../shared/limits.js';
import { threadOf, threadPage, withPosts, type ThreadPage } from '../shared/post-window.js';
import { redactEvent, redactState, type Audience } from '../shared/redact.js';
import type { RoomEvent } from '../shared/room-events.js';
import type { RoomState } from '../shared/room-state.js';
import { encodePage } from '../shared/snapshot-codec.js';
import type { AppContext } from './context.js';
import type { AppSocket } from './sockets.js';
import { threadIndexOf } from './snapshots.js';

/**
 * Every read goes through here: one request off the reader's budgets (identity and address), the answer from
 * the cache, its bytes off the budgets, and a socket that is not reading what it was sent is dropped instead.
 */
export async function metered<T>(ctx: AppContext, socket: AppSocket, identity: string, answer: () => Promise<{ data: T; bytes: number }>): Promise<T> {
  const reader = { identity, address: socket.data.address };
  await ctx.readMeter.request(reader);
  const { data, bytes } = await answer();
  await ctx.readMeter.bytes(reader, bytes);
  if (!ctx.sendBuffers.admit(socket, bytes)) throw new AppError('UNAVAILABLE', 'This connection is not reading what it is sent; it was closed.');
  return data;
}

/**
 * The events after `since` when the log still holds them and they fit in one answer, else the snapshot
 * (windowed, so it fits too). Both come encoded from the cache: the same bytes to everyone asking the same.
 */
export async function catchUpAnswer(ctx: AppContext, state: RoomState, audience: Audience, since?: number): Promise<{ data: CatchUp; bytes: number }> {
  const events = since === undefined ? null : await eventsAfter(ctx, state, audience, since);
  const encoded = events ?? ctx.snapshots.get(state, audience).encoded;
  return { data: events ? { kind: 'events', encoded } : { kind: 'snapshot', encoded }, bytes: encoded.byteLength };
}

async function eventsAfter(ctx: AppContext, state: RoomState, audience: Audience, since: number): Promise<Uint8Array | null> {
  const behind = state.seq - since;
  if (behind < 0 || behind > limits.syncMaxEvents) return null;
  const cached = await ctx.readCache.getAsync(state.room.id, audience, state.seq, `events:${since}`, async () => {
    const events = await ctx.store.eventsSince(state.room.id, since, behind);
    return { encoded: events && encodeWithin(events.map((event) => redactEvent(event, state, audience)), limits.readAnswerMaxBytes) };
  });
  return cached.encoded;
}

/** The events as JSON bytes, or null as soon as it is clear they would be more than `maxBytes`. */
function encodeWithin(events: RoomEvent[], maxBytes: number): Uint8Array | null {
  const parts: string[] = [];
  // UTF-16 length never exceeds UTF-8 length, so running over it means running over the bytes.
  let length = 2;
  for (const event of events) {
    const json = JSON.stringify(event);
    length += json.length + 1;
    if (length > maxBytes) return null;
    parts.push(json);
  }
  // Not Buffer.from: a small Buffer is a slice of a shared 8 KB slab, which a cached entry would keep alive.
  const encoded = utf8.encode(`[${parts.join(',')}]`);
  return encoded.byteLength > maxBytes ? null : encoded;
}

const utf8 = new TextEncoder();

/** A page of older threads (`before`), or the thread of one post: windowed by post-window.ts, redacted, encoded once. */
export function pageAnswer(ctx: AppContext, state: RoomState, audience: Audience, input: { before: number | null } | { postId: string }): { data: PostsPage; bytes: number } {
  if ('postId' in input && !state.posts[input.postId]) throw new AppError('NOT_FOUND', 'That post does not exist.');
  const question = 'postId' in input ? `thread:${input.postId}` : `page:${input.before}`;
  const { encoded } = ctx.readCache.get(state.room.id, audience, state.seq, question, () => {
    const index = threadIndexOf(state);
    const page: ThreadPage =
      'postId' in input ? { posts: threadOf(state, input.postId, undefined, index), cursor: null, more: false } : threadPage(state, input.before, undefined, index);
    const visible = redactState(withPosts(state, page.posts), audience);
    return { encoded: encodePage({ ...page, seq: state.seq, posts: page.posts.map((post) => visible.posts[post.id]) }) };
  });
  return { data: { encoded }, bytes: encoded.byteLength };
}
