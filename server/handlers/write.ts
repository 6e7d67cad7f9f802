import type { Written } from '../../shared/events.js';
import type { EventDraft } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import type { AppContext, AppSocket } from '../context.js';
import { roomOrNotFound, sessionOf } from './session.js';

/**
 * The write path every handler shares: decide against the room's latest state, log durably, then
 * broadcast. The ack carries the seq to wait for (the current seq when nothing needed logging).
 */
export async function write(
  ctx: AppContext,
  socket: AppSocket,
  decide: (state: RoomState, memberId: string) => EventDraft | null,
): Promise<Written> {
  const { roomId, memberId } = sessionOf(socket);
  const { event, state } = await ctx.store.append(roomId, (latest) => decide(roomOrNotFound(latest), memberId));
  if (event) ctx.broadcaster.publish(roomId, event);
  return { seq: event?.seq ?? state?.seq ?? 0 };
}
