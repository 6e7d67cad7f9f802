import type { Written } from '../../shared/events.js';
import type { EventDraft, RoomEvent } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import type { z } from 'zod';
import type { ClientEventName } from '../../shared/events.js';
import type { AppContext } from '../context.js';
import type { AppSocket, SocketSession } from '../sockets.js';
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
 * A handler's rule: the event to log for this input on this state, or null when there is nothing to do
 * (a retry). Throws AppError to refuse. Pure: a store may call it again on newer state, so everything a
 * step after it needs is read from the logged event and the state it produced, never kept from here.
 */
type Decision<I, P> = (input: I, state: RoomState, acting: Acting, prepared: P) => EventDraft | null;

/** Who writes, and where: the socket's session, unless a step names someone else (see WriteSteps.as). */
export type WritingAs = Pick<SocketSession, 'roomId' | 'memberId' | 'addressKey'>;

/** What a write came to: the event logged (null when nothing needed logging) and the room's state after it. */
interface Outcome<I> {
  input: I;
  socket: AppSocket;
  session: WritingAs;
  event: RoomEvent | null;
  state: RoomState;
  /** The seq to wait for: the event's, or the room's current one when nothing was logged. */
  seq: number;
}

interface WriteSteps<I, P> {
  /**
   * Who acts, where it is not the socket's session: a banned person cannot join, so their appeal names
   * the room and their token (see appeals.ts). Throws AppError to refuse.
   */
  as?: (input: I, socket: AppSocket) => WritingAs;
  /**
   * Before deciding, once per request (not per retry of the decision): may refuse (spending a budget)
   * or gather what deciding needs and takes a wait (e.g. which sockets someone has open).
   */
  before?: (input: I, socket: AppSocket) => Promise<P>;
  /** After logging: the effects that follow from what was logged (pushes to one person, moving sockets). */
  after?: (outcome: Outcome<I>) => void | Promise<void>;
  /** The ack, where it says more than the seq. */
  ack?: (outcome: Outcome<I>) => Written;
}

/** Events whose ack is a `Written`. */
type WriteEvent = { [E in ClientEventName]: AckData<E> extends Written ? (Written extends AckData<E> ? E : never) : never }[ClientEventName];

/**
 * Binds a client event that changes the room, the write path every handler shares: validated, metered,
 * decided against the room's latest state, logged (durably, then broadcast: see room-log.ts), followed up,
 * acked with the seq to wait for.
 */
export function onWrite<E extends WriteEvent, S extends z.ZodType, P = void>(
  ctx: AppContext,
  router: Router,
  event: E,
  schema: S,
  decide: Decision<z.output<S>, P>,
  steps: WriteSteps<z.output<S>, P> = {},
): void {
  const handler = async (input: z.output<S>, socket: AppSocket): Promise<Written> => {
    const session = steps.as ? steps.as(input, socket) : sessionOf(socket);
    const prepared = (await steps.before?.(input, socket)) as P;
    const { roomId, memberId, addressKey } = session;
    const appended = await ctx.log.append(roomId, (latest) => {
      const now = ctx.now();
      const draft = decide(input, roomOrNotFound(latest), { memberId, now, addressKey }, prepared);
      // Stamped with the app's clock, the one the rules (mutes, slow mode) are checked against.
      return draft && { ...draft, at: draft.at ?? now };
    });
    const state = roomOrNotFound(appended.state);
    const outcome: Outcome<z.output<S>> = { input, socket, session, event: appended.event, state, seq: appended.event?.seq ?? state.seq };
    await steps.after?.(outcome);
    return steps.ack ? steps.ack(outcome) : { seq: outcome.seq };
  };
  router.on(event, schema, handler as never, { write: true });
}
