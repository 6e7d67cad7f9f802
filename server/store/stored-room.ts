import { limits } from '../../shared/limits.js';
import type { RoomEvent } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import type { RoomLine } from './room-lines.js';

/** Catch-up never asks for more than this many events: the store keeps them in memory, older ones stay in the file. */
export const RECENT_EVENTS = limits.syncMaxEvents;
/** The recent list is trimmed in steps (not on every event): it holds between RECENT_EVENTS and this many. */
const RECENT_EVENTS_TRIMMED_AT = Math.ceil(RECENT_EVENTS * 1.25);

/**
 * One room as the embedded store holds it. Two copies of the state, because `applyEvent` mutates in place:
 * `committed` has only durable events (what readers and checkpoints see), `speculative` adds the ones still
 * being written (what the next decision must see, so a busy room's writes can share one fsync). When a write
 * fails, the speculative copy is dropped: nothing unsaved was ever served.
 */
export interface StoredRoom {
  /** Every durable event folded in; null while the room's opening is still being written. */
  committed: RoomState | null;
  /** `committed` plus the events in flight; null until the next write needs it (it is then cloned from `committed`). */
  speculative: RoomState | null;
  /** The last durable events, oldest first, consecutive seqs. */
  recent: RoomEvent[];
  /** Byte offset of the room's opening line in the log, where reading older history starts. */
  firstOffset: number;
  /** Writes decided on `speculative` and not yet settled. */
  inFlight: number;
  /** Bumped whenever in-flight writes are rolled back: a decision made before may have seen them. */
  rollbacks: number;
  /** Resolved when `inFlight` drops to 0. */
  idleWaiters: (() => void)[];
  /** When it was last read or written (Date.now()): a room idle long enough is evicted. */
  usedAt: number;
  /** A saved line of the room (see RoomTable): while `committed` is still at its seq, evicting it writes nothing. */
  origin: RoomLine | null;
}

export function storedRoom(committed: RoomState | null, firstOffset: number, recent: RoomEvent[] = [], origin: RoomLine | null = null): StoredRoom {
  return { committed, speculative: null, recent, firstOffset, inFlight: 0, rollbacks: 0, idleWaiters: [], usedAt: Date.now(), origin };
}

/** Adds a durable event to the recent list, forgetting the oldest beyond what catch-up needs. */
export function rememberEvent(room: StoredRoom, event: RoomEvent): void {
  room.recent.push(event);
  if (room.recent.length >= RECENT_EVENTS_TRIMMED_AT) room.recent.splice(0, room.recent.length - RECENT_EVENTS);
}

/** The held events with seq > since, at most `limit`, found by seq (binary search), not by position. */
export function recentSince(recent: RoomEvent[], since: number, limit: number): RoomEvent[] {
  let low = 0;
  let high = recent.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (recent[middle]!.seq <= since) low = middle + 1;
    else high = middle;
  }
  return recent.slice(low, low + limit);
}

export function untilIdle(room: StoredRoom): Promise<void> {
  if (room.inFlight === 0) return Promise.resolve();
  return new Promise((resolve) => room.idleWaiters.push(resolve));
}

export function settledOne(room: StoredRoom): void {
  room.inFlight--;
  if (room.inFlight === 0) for (const wake of room.idleWaiters.splice(0)) wake();
}
