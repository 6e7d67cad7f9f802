import type { EventDraft, RoomEvent } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';

/**
 * Looks at the latest state of a room (null: no such room) and returns the event to log, or null when
 * there is nothing to do (an idempotent retry). Throws AppError to refuse. Must be synchronous and pure:
 * a store may call it again on newer state (the Redis store does when another node wrote first).
 */
export type Decide = (state: RoomState | null) => EventDraft | null;

export interface Appended {
  /** The logged event, or null when `decide` returned null. */
  event: RoomEvent | null;
  /** The room's state after it (the store's own copy: read it, never mutate it). */
  state: RoomState | null;
}

/**
 * The only thing that knows where a room's log lives. Every implementation passes
 * tests/store/room-store.contract.ts.
 */
export interface RoomStore {
  /** The room's materialised state with every acknowledged event folded in, or null. Read-only. */
  load(roomId: string): Promise<RoomState | null>;
  /**
   * Decide against the latest state, stamp the event with the next seq (and `at` if absent), persist it,
   * fold it into the state. Resolves only once the event is durable. Appends to one room are serialised.
   */
  append(roomId: string, decide: Decide): Promise<Appended>;
  /** Events with seq > since, in order, at most `limit`; null when the room does not exist. */
  eventsSince(roomId: string, since: number, limit: number): Promise<RoomEvent[] | null>;
  close(): Promise<void>;
}
