import type { CatchUp, PostsPage, SyncResult } from '../../shared/events.js';
import type { RoomState } from '../../shared/room-state.js';
import { own } from '../../shared/own.js';
import { RoomPostsInput, RoomSyncInput } from '../../shared/schemas/room.js';
import { isActiveModerator } from '../../shared/permissions.js';
import type { Audience } from '../../shared/redact.js';
import type { AppContext } from '../context.js';
import type { AppSocket } from '../sockets.js';
import { catchUpAnswer, metered, pageAnswer } from '../read-answers.js';
import type { Router } from '../router.js';
import { roomOrNotFound, sessionOf } from './session.js';

/** Reading a room after joining it: catching up on missed events, paging in older threads. Every read is metered and bounded. */
export function bindRoomReadHandlers(ctx: AppContext, router: Router): void {
  router.on('room:sync', RoomSyncInput, (input, socket) => syncRoom(ctx, socket, input.since));
  router.on('room:posts', RoomPostsInput, (input, socket) => pagePosts(ctx, socket, input));
}

async function syncRoom(ctx: AppContext, socket: AppSocket, since: number): Promise<SyncResult> {
  const { roomId, memberId } = sessionOf(socket);
  // The epoch before the state it labels (see RoomStore.epoch).
  const epoch = await ctx.store.epoch(roomId);
  const state: RoomState = roomOrNotFound(await ctx.store.load(roomId));
  return catchUp(ctx, socket, memberId, state, audienceOf(state, memberId), epoch, since);
}

/**
 * The events after `since` when the log still holds them and they fit in one answer, else the snapshot,
 * labelled with the epoch; metered against `identity` and the socket's address (a join's catch-up is a
 * read like any other).
 */
export async function catchUp(ctx: AppContext, socket: AppSocket, identity: string, state: RoomState, audience: Audience, epoch: string | null, since?: number): Promise<CatchUp> {
  const answer = await metered(ctx, socket, identity, () => catchUpAnswer(ctx, state, audience, since));
  return epoch ? { ...answer, epoch } : answer;
}

async function pagePosts(ctx: AppContext, socket: AppSocket, input: { before: number | null } | { postId: string }): Promise<PostsPage> {
  const { roomId, memberId } = sessionOf(socket);
  const state = roomOrNotFound(await ctx.store.load(roomId));
  return metered(ctx, socket, memberId, async () => pageAnswer(ctx, state, audienceOf(state, memberId), input));
}

/** Moderators read everything; everyone else the public view. */
export function audienceOf(state: RoomState, memberId: string): Audience {
  return isActiveModerator(own(state.members, memberId)) ? 'moderators' : 'public';
}
