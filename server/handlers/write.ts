import type { Written } from '../../shared/events.js';
import type { EventDraft } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import type { AppContext, AppSocket } from '../context.js';
import { roomOrNotFound, sessionOf } from './session.js';

/** What a decision knows besides the room: who is acting, and when. */
export interface Acting {
  memberId: string;
  now: number;
}

/**
 * The write path every handler shares: decide against the room's latest state, log durably, then
 * broadcast. The ack carries the seq to wait for (the current seq when nothing needed logging).
 */
export async function write(
  ctx: AppContext,
  socket: AppSocket,
  decide: (state: RoomState, acting: Acting) => EventDraft | null,
): Promise<Written & { event: EventDraft | null }> {
  const { roomId, memberId } = sessionOf(socket);
  const { event, state } = await ctx.store.append(roomId, (latest) => {
    const now = ctx.now();
    const draft = decide(roomOrNotFound(latest), { memberId, now });
    // Stamped with the app's clock, the one the rules (mutes, slow mode) are checked against.
    return draft && { ...draft, at: draft.at ?? now };
  });
  if (event && state) ctx.broadcaster.publish(roomId, event, state);
  return { seq: event?.seq ?? state?.seq ?? 0, event };
}

/** The ack for a write: just the seq. */
export const written = ({ seq }: Written): Written => ({ seq });
