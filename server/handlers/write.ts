import type { Written } from '../../shared/events.js';
import type { EventDraft } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import type { z } from 'zod';
import type { ClientEventName } from '../../shared/events.js';
import type { AppContext, AppSocket, SocketSession } from '../context.js';
import type { AckData, Router } from '../router.js';
import { roomOrNotFound, sessionOf } from './session.js';

/** What a decision knows besides the room: who is acting, and when. */
export interface Acting {
  memberId: string;
  now: number;
  /** Where they act from, keyed as the room's log keys addresses (bans can cover a network). */
  addressKey: string;
}

/**
 * The write path every handler shares: decide against the room's latest state, then log it (durably,
 * then broadcast: see room-log.ts). The ack carries the seq to wait for (the current seq when nothing needed logging).
 */
export async function write(
  ctx: AppContext,
  socket: AppSocket,
  decide: (state: RoomState, acting: Acting) => EventDraft | null,
  /** Who acts, where it is not the socket's session (a banned person's appeal: see appeals.ts). */
  as: Pick<SocketSession, 'roomId' | 'memberId' | 'addressKey'> = sessionOf(socket),
): Promise<Written & { event: EventDraft | null }> {
  const { roomId, memberId, addressKey } = as;
  const { event, state } = await ctx.log.append(roomId, (latest) => {
    const now = ctx.now();
    const draft = decide(roomOrNotFound(latest), { memberId, now, addressKey });
    // Stamped with the app's clock, the one the rules (mutes, slow mode) are checked against.
    return draft && { ...draft, at: draft.at ?? now };
  });
  return { seq: event?.seq ?? state?.seq ?? 0, event };
}

/** The ack for a write: just the seq. */
export const written = ({ seq }: Written): Written => ({ seq });

/** Events whose ack is a plain `Written`. */
type WriteEvent = { [E in ClientEventName]: AckData<E> extends Written ? (Written extends AckData<E> ? E : never) : never }[ClientEventName];

/**
 * Binds a client event that changes the room: validated, metered, decided against the latest state,
 * logged, broadcast, acked with its seq. `decide` is where the handler's rule lives.
 */
export function onWrite<E extends WriteEvent, S extends z.ZodType>(
  ctx: AppContext,
  router: Router,
  event: E,
  schema: S,
  decide: (input: z.output<S>, state: RoomState, acting: Acting) => EventDraft | null,
  /** A step before deciding that may refuse (e.g. spending a budget), once per request, not per retry of `decide`. */
  before?: (socket: AppSocket) => Promise<void>,
): void {
  const handler = async (input: z.output<S>, socket: AppSocket) => {
    await before?.(socket);
    return written(await write(ctx, socket, (state, acting) => decide(input, state, acting)));
  };
  router.on(event, schema, handler as never, { write: true });
}
