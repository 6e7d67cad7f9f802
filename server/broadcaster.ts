import type { RoomEvent } from '../shared/room-events.js';
import { roomChannel, type AppServer } from './context.js';

/**
 * Sends logged events to a room. Events appended in the same turn of the event loop go out as one
 * `room:events` frame, encoded once for every viewer: fan-out cost is per frame, not per event.
 * Callers publish only after the store made the event durable, and in seq order.
 */
export class Broadcaster {
  private pending = new Map<string, RoomEvent[]>();
  private scheduled = false;

  constructor(
    private readonly io: AppServer,
    /** How long to gather events before sending (0: until the current I/O turn ends). */
    private readonly windowMs = 0,
  ) {}

  publish(roomId: string, event: RoomEvent): void {
    const queue = this.pending.get(roomId);
    if (queue) queue.push(event);
    else this.pending.set(roomId, [event]);
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.windowMs > 0) setTimeout(() => this.flush(), this.windowMs);
    else setImmediate(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    const batches = this.pending;
    this.pending = new Map();
    for (const [roomId, events] of batches) this.io.to(roomChannel(roomId)).emit('room:events', events);
  }
}
