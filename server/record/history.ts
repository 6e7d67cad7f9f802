import type { RoomEvent } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import type { RoomReader } from '../room-log.js';

/** Events held over all rooms; a room with more than half of it is read from the store page by page instead. */
const DEFAULT_MAX_EVENTS = 200_000;
/** One store read fetches at most this many (the embedded store scans its file for older ones). */
const READ_CHUNK = 10_000;

interface Held {
  /** Seqs 1 … events.length, as logged (never mutated: they may be the store's own objects). */
  events: RoomEvent[];
  /** The fill in progress, so two readers of one room read the store once. */
  filling: Promise<void> | null;
}

/**
 * Every room's log from its opening, for replay and export: read from the store once (the embedded store
 * reads old events back from its file, a scan), then kept and extended from what the store holds in memory
 * as the room goes on. The log only grows, so what is held never goes stale; a room whose log turns out
 * shorter than what is held (its history was lost and began again) is read afresh. Bounded: the rooms
 * read longest ago are let go first.
 */
export class RoomHistory {
  private rooms = new Map<string, Held>();
  private held = 0;

  constructor(
    private readonly store: RoomReader,
    private readonly maxEvents = DEFAULT_MAX_EVENTS,
  ) {}

  /** The raw events with since < seq <= upTo (upTo at most the room's seq in `state`). */
  async range(state: RoomState, since: number, upTo: number): Promise<RoomEvent[]> {
    const roomId = state.room.id;
    upTo = Math.min(upTo, state.seq);
    if (upTo <= since) return [];
    if (state.seq > this.maxEvents / 2) return (await this.store.eventsSince(roomId, since, upTo - since)) ?? [];
    let room = this.rooms.get(roomId);
    if (room && room.events.length > state.seq) room = this.forget(roomId);
    if (!room) this.rooms.set(roomId, (room = { events: [], filling: null }));
    else {
      // Most recently read last: the first in the map is the one to let go.
      this.rooms.delete(roomId);
      this.rooms.set(roomId, room);
    }
    while (room.events.length < upTo) {
      room.filling ??= this.fill(roomId, room, upTo).finally(() => (room.filling = null));
      await room.filling;
      if (this.rooms.get(roomId) !== room) return (await this.store.eventsSince(roomId, since, upTo - since)) ?? [];
    }
    return room.events.slice(since, upTo);
  }

  private async fill(roomId: string, room: Held, upTo: number): Promise<void> {
    while (room.events.length < upTo) {
      const have = room.events.length;
      const more = (await this.store.eventsSince(roomId, have, Math.min(READ_CHUNK, upTo - have))) ?? [];
      if (more.length === 0 || more[0]!.seq !== have + 1) {
        // Not the continuation of what is held: let it go, and let the caller read the store directly.
        this.forget(roomId);
        return;
      }
      for (const event of more) {
        if (event.seq !== room.events.length + 1) break;
        room.events.push(event);
        this.held++;
      }
    }
    this.evict();
  }

  /** Lets go of the room's events (it was evicted, or what is held is not its log). */
  forget(roomId: string): undefined {
    const room = this.rooms.get(roomId);
    if (room) this.held -= room.events.length;
    this.rooms.delete(roomId);
    return undefined;
  }

  private evict(): void {
    for (const [roomId] of this.rooms) {
      if (this.held <= this.maxEvents || this.rooms.size <= 1) break;
      this.forget(roomId);
    }
  }
}
