import { performance } from 'node:perf_hooks';
import type { RoomEvent } from '../shared/room-events.js';
import type { RoomState } from '../shared/room-state.js';
import { redactEvent } from '../shared/redact.js';
import type { AppServer } from './sockets.js';
import { modsChannel, roomChannel } from './channels.js';

interface Batch {
  /** The epoch every event of the batch belongs to. */
  epoch: string | null;
  moderators: RoomEvent[];
  public: RoomEvent[];
  /** Set when some event reads differently for moderators, so they need their own frame. */
  differs: boolean;
}

/** One room's outgoing frames: what waits to go, and when the last frame finished going out. */
interface Lane {
  batch: Batch | null;
  scheduled: boolean;
  lastEnd: number;
}

/**
 * Sends logged events to a room. Events appended in the same turn of the event loop go out as one
 * `room:events` frame, encoded once for every viewer: fan-out cost is per frame, not per event.
 * Moderators get their own frame only when something in it is for their eyes only.
 *
 * With a window (COALESCE_MS), a room's frames are at least a window apart, counted from the end of one
 * to the start of the next: an event after a quiet spell goes out at once, later ones gather until the
 * window has passed. Counting from the end matters with thousands of viewers, where sending a frame (a
 * write per socket) takes about as long as the window: the writes that arrived meanwhile get the loop
 * in between, and under load frames carry more events instead of queueing behind each other.
 * Callers publish only after the store made the event durable, and in seq order.
 */
export class Broadcaster {
  private lanes = new Map<string, Lane>();

  constructor(
    private readonly io: AppServer,
    /** At most one frame per room per this many ms (0: one per event-loop turn with events). */
    private readonly windowMs = 0,
  ) {}

  publish(roomId: string, event: RoomEvent, state: RoomState, epoch: string | null = null): void {
    const forModerators = redactEvent(event, state, 'moderators');
    const shown = redactEvent(forModerators, state, 'public');
    let lane = this.lanes.get(roomId);
    if (!lane) this.lanes.set(roomId, (lane = { batch: null, scheduled: false, lastEnd: -Infinity }));
    // A frame carries one epoch: what waits from the old one goes first.
    if (lane.batch && lane.batch.epoch !== epoch) this.flushRoom(roomId);
    const batch = (lane.batch ??= { epoch, moderators: [], public: [], differs: false });
    batch.moderators.push(forModerators);
    batch.public.push(shown);
    if (shown !== forModerators) batch.differs = true;
    if (lane.scheduled) return;
    lane.scheduled = true;
    const wait = lane.lastEnd + this.windowMs - performance.now();
    if (wait > 0) setTimeout(() => this.flushRoom(roomId), wait);
    else setImmediate(() => this.flushRoom(roomId));
  }

  /**
   * The room's history was lost and goes on under a new epoch: an empty frame tells this node's clients to
   * start over (every node tells its own, as it learns of the new epoch).
   */
  announceEpoch(roomId: string, epoch: string): void {
    this.flushRoom(roomId);
    this.io.local.to(roomChannel(roomId)).emit('room:events', [], epoch);
  }

  /** Sends everything waiting, now (on shutdown). */
  flush(): void {
    for (const roomId of [...this.lanes.keys()]) this.flushRoom(roomId);
  }

  private flushRoom(roomId: string): void {
    const lane = this.lanes.get(roomId);
    if (!lane?.batch) return;
    const { batch } = lane;
    lane.batch = null;
    lane.scheduled = false;
    const epoch = batch.epoch ?? undefined;
    if (!batch.differs) this.io.to(roomChannel(roomId)).emit('room:events', batch.public, epoch);
    else {
      this.io.to(roomChannel(roomId)).except(modsChannel(roomId)).emit('room:events', batch.public, epoch);
      this.io.to(modsChannel(roomId)).emit('room:events', batch.moderators, epoch);
    }
    if (this.windowMs === 0) {
      this.lanes.delete(roomId);
      return;
    }
    lane.lastEnd = performance.now();
  }
}
