import { AppError } from '../../shared/errors.js';
import type { CatchUp, SyncResult } from '../../shared/events.js';
import { limits } from '../../shared/limits.js';
import type { RoomState } from '../../shared/room-state.js';
import { RoomPostsInput, RoomSyncInput } from '../../shared/schemas/room.js';
import { threadOf, threadPage, withPosts, type ThreadPage } from '../../shared/post-window.js';
import { isModerator } from '../../shared/permissions.js';
import { redactEvent, redactState, type Audience } from '../../shared/redact.js';
import type { AppContext, AppSocket } from '../context.js';
import type { Router } from '../router.js';
import { roomOrNotFound, sessionOf } from './session.js';

/** Reading a room after joining it: catching up on missed events, paging in older threads. */
export function bindRoomReadHandlers(ctx: AppContext, router: Router): void {
  router.on('room:sync', RoomSyncInput, (input, socket) => syncRoom(ctx, socket, input.since));
  router.on('room:posts', RoomPostsInput, (input, socket) => pagePosts(ctx, socket, input));
}

async function syncRoom(ctx: AppContext, socket: AppSocket, since: number): Promise<SyncResult> {
  const { roomId, memberId } = sessionOf(socket);
  // The epoch before the state it labels (see RoomStore.epoch).
  const epoch = await ctx.store.epoch(roomId);
  const state: RoomState = roomOrNotFound(await ctx.store.load(roomId));
  return catchUp(ctx, state, audienceOf(state, memberId), epoch, since);
}

/** The events after `since` when the log still holds them and they are few enough, else the snapshot; labelled with the epoch. */
export async function catchUp(ctx: AppContext, state: RoomState, audience: Audience, epoch: string | null, since?: number): Promise<CatchUp> {
  const label = epoch ? { epoch } : {};
  const behind = since === undefined ? -1 : state.seq - since;
  const events = behind >= 0 && behind <= limits.syncMaxEvents ? await ctx.store.eventsSince(state.room.id, since!, behind) : null;
  if (events) return { kind: 'events', events: events.map((event) => redactEvent(event, state, audience)), ...label };
  return { kind: 'snapshot', encoded: ctx.snapshots.get(state, audience).encoded, ...label };
}

async function pagePosts(ctx: AppContext, socket: AppSocket, input: { before: number | null } | { postId: string }): Promise<ThreadPage> {
  const { roomId, memberId } = sessionOf(socket);
  const state = roomOrNotFound(await ctx.store.load(roomId));
  const page = 'postId' in input ? { posts: threadOf(state, input.postId), cursor: null, more: false } : threadPage(state, input.before);
  if ('postId' in input && page.posts.length === 0) throw new AppError('NOT_FOUND', 'That post does not exist.');
  const visible = redactState(withPosts(state, page.posts), audienceOf(state, memberId));
  return { ...page, posts: page.posts.map((post) => visible.posts[post.id]) };
}

/** Moderators read everything; everyone else the public view. */
export function audienceOf(state: RoomState, memberId: string): Audience {
  const member = state.members[memberId];
  return member && isModerator(member) && !member.banned ? 'moderators' : 'public';
}
