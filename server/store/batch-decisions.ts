import type { RoomEvent } from '../../shared/room-events.js';
import { applyEvent, type RoomState } from '../../shared/room-state.js';
import type { Decide } from './room-store.js';

/** What one append of a batch came to: an event to log, nothing to do (`event: null`), or a refusal. */
export type Outcome = { event: RoomEvent | null } | { refused: unknown };

export interface DecidedBatch {
  /** The events to log, numbered on from the base's seq, in the order of the appends that made them. */
  events: RoomEvent[];
  /** One per append, in order. */
  outcomes: Outcome[];
  /** A copy of the base with every event applied, when one was needed (or given): null otherwise. */
  after: RoomState | null;
}

/**
 * Decides a batch of appends in order, each on the state the ones before it leave: a write that the batch
 * already holds (the same write id twice in one batch) is seen by its second decision and logged once, and
 * a refusal takes the batch's earlier events into account. Nothing is applied to `base`: the events go onto
 * `spare` (a copy of the base kept from the last batch, which this consumes) or, when a later decision needs
 * them, onto a fresh copy. Decisions get the latest state, read-only.
 */
export function decideBatch(base: RoomState | null, spare: RoomState | null, decisions: Decide[], now: () => number = Date.now): DecidedBatch {
  let working = spare;
  let seq = base?.seq ?? 0;
  const events: RoomEvent[] = [];
  const outcomes: Outcome[] = [];
  decisions.forEach((decide, i) => {
    let draft: ReturnType<Decide>;
    try {
      draft = decide(working ?? base);
    } catch (refused) {
      outcomes.push({ refused });
      return;
    }
    if (!draft) {
      outcomes.push({ event: null });
      return;
    }
    const event = { ...draft, seq: ++seq, at: draft.at ?? now() } as RoomEvent;
    events.push(event);
    outcomes.push({ event });
    // The last decision needs no state after it: a batch of one costs no copy.
    if (!working && i === decisions.length - 1) return;
    // `applyEvent` mutates in place and the state may keep parts of the event: the copy gets its own.
    working = applyEvent(working ?? structuredClone(base), structuredClone(event));
  });
  return { events, outcomes, after: working };
}

/** The base with a batch's events applied, for a checkpoint: the batch's own copy when it made one. */
export function stateAfter(base: RoomState | null, batch: DecidedBatch): RoomState | null {
  if (batch.after) return batch.after;
  let state = structuredClone(base);
  for (const event of batch.events) state = applyEvent(state, structuredClone(event));
  return state;
}
