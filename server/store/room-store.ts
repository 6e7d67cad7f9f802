import { createHash } from 'node:crypto';
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
  /** The epoch of the log the event went into (null: no such room). */
  epoch: string | null;
}

/** What a store tells the room log about on its own, outside any call (see RoomStore.watch). */
export interface StoreNotices {
  /** An append whose caller was told UNAVAILABLE (its answer never came in time) was logged after all: publish it. */
  landed(roomId: string, appended: Appended & { event: RoomEvent }): void;
  /**
   * The room's history was lost (Redis restarted from an older copy) and its log goes on under a new epoch:
   * this node's clients of the room must take a fresh snapshot. Every node says so of the rooms it holds.
   */
  newEpoch(roomId: string, epoch: string): void;
}

/**
 * The only thing that knows where a room's log lives. Every implementation passes
 * tests/helpers/room-store.contract.ts.
 *
 * Epochs: a room's seqs number its events within one history. Should that history be lost (a Redis
 * without an append-only file restarts from an older snapshot), the log goes on under a new epoch, so
 * clients holding seqs of the lost history take a fresh snapshot instead of mistaking new events for
 * ones they already have. A (seq, epoch) pair names one event for good.
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
  /**
   * The room's current epoch (null: no such room). Read it BEFORE the state or events it labels: should the
   * epoch change in between, the client then holds newer state under the older label and simply takes one
   * more snapshot when it hears of the new epoch, where the other order would hide the change from it.
   */
  epoch(roomId: string): Promise<string | null>;
  /** Answers when the store can serve (throws UNAVAILABLE with a sentence when not): for readiness checks. */
  ping?(): Promise<void>;
  /** Registers who hears of late appends and new epochs (the room log); a store that has neither may leave this out. */
  watch?(notices: StoreNotices): void;
  close(): Promise<void>;
}

/**
 * The epoch of a store whose history cannot be lost short of damage (the embedded store, fsynced before
 * every ack, which may keep only the room's state and recent events in memory after a checkpoint):
 * derived from the room as it opened, which every state of it carries.
 */
export function roomEpoch(room: RoomState['room']): string {
  return createHash('sha256').update(JSON.stringify([room.id, room.hostId, room.createdAt, room.title])).digest('base64url').slice(0, 16);
}
