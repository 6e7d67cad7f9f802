import type { RoomEvent } from '../shared/room-events.js';
import type { RoomState } from '../shared/room-state.js';
import { redactEvent } from '../shared/redact.js';
import { modsChannel, roomChannel, type AppServer } from './context.js';

interface Batch {
  moderators: RoomEvent[];
  public: RoomEvent[];
  /** Set when some event reads differently for moderators, so they need their own frame. */
  differs: boolean;
}

/**
 * Sends logged events to a room. Events appended in the same turn of the event loop (or window) go
 * out as one `room:events` frame, encoded once for every viewer: fan-out cost is per frame, not per
 * event. Moderators get their own frame only when something in it is for their eyes only.
 * Callers publish only after the store made the event durable, and in seq order.
 */
export class Broadcaster {
  private pending = new Map<string, Batch>();
  private scheduled = false;

  constructor(
    private readonly io: AppServer,
    /** How long to gather events before sending (0: until the current I/O turn ends). */
    private readonly windowMs = 0,
  ) {}

  publish(roomId: string, event: RoomEvent, state: RoomState): void {
    const shown = redactEvent(event, state, 'public');
    let batch = this.pending.get(roomId);
    if (!batch) this.pending.set(roomId, (batch = { moderators: [], public: [], differs: false }));
    batch.moderators.push(event);
    batch.public.push(shown);
    if (shown !== event) batch.differs = true;
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.windowMs > 0) setTimeout(() => this.flush(), this.windowMs);
    else setImmediate(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    const batches = this.pending;
    this.pending = new Map();
    for (const [roomId, batch] of batches) {
      if (!batch.differs) {
        this.io.to(roomChannel(roomId)).emit('room:events', batch.public);
        continue;
      }
      this.io.to(roomChannel(roomId)).except(modsChannel(roomId)).emit('room:events', batch.public);
      this.io.to(modsChannel(roomId)).emit('room:events', batch.moderators);
    }
  }
}
