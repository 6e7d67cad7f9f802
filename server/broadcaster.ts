import { performance } from 'node:perf_hooks';
import type { RoomEvent } from '../shared/room-events.js';
import type { RoomState } from '../shared/room-state.js';
import { redactEvent } from '../shared/redact.js';
import type { AppServer } from './sockets.js';
import { modsChannel, roomChannel } from './channels.js';
import { FanoutLane } from './fanout-lane.js';
import { FrameWriter } from './frame-writer.js';

/**
 * Sockets written per turn of the event loop during a sweep: small enough that writes and acks get the loop
 * in between. Past BIG_ROOM sockets a room is swept in SWEEP_TURNS turns instead, of bigger chunks. Both
 * measured (bench crowd and redis-coalesce): with 5,000 viewers, chunks of 256 gave p99 100–155 ms and
 * chunks of 625 p99 190–410 ms; with 19,500, chunks of 256 gave p99 1.9× the bare baseline's and chunks of
 * 2,438 1.1×. Why the best chunk grows with the room is not settled; these are the figures.
 */
export const SWEEP_CHUNK = 256;
const BIG_ROOM = 10_000;
const SWEEP_TURNS = 8;

/**
 * Sends logged events to this node's sockets of a room by sweeping them: a turn of the event loop writes
 * to a chunk of them (SWEEP_CHUNK; more in a very big room) and hands each everything it has not had yet, in one `room:events`
 * frame encoded once for all that stand at the same place (fan-out cost is per frame, not per event).
 * An event logged while a sweep is under way rides with it to the sockets not visited yet, and reaches the
 * visited ones on the next sweep: the last socket hears of it within one sweep, where a frame sent to every
 * socket at once would make it wait for the whole frame before it and then its own. With thousands of
 * viewers, where writing to every socket takes tens of milliseconds, that halves the worst wait, and under
 * load frames carry more events instead of queueing. Moderators get their own frame only when something in
 * it is for their eyes only. Other nodes (a Redis adapter) get each sweep's new events in one broadcast,
 * which they fan out to their own sockets.
 *
 * With a window (COALESCE_MS), a socket gets at most one frame per window: sweeps start at least a window
 * apart (or when the last one ends, if it took longer). An event after a quiet spell goes out at once, later
 * ones gather until the window has passed. The window counts from a sweep's start, not its end: writes and
 * acks get the loop between chunks, so nothing needs a pause between sweeps, and a sweep that takes longer
 * than the window (thousands of viewers) is followed at once rather than a window later.
 * Callers publish only after the store made the event durable, and in seq order. Both stores settle a
 * room's writes in groups (one fsync, one Redis script call for all that waited), each group in one turn.
 */
export class Broadcaster {
  private lanes = new Map<string, FanoutLane>();
  private readonly rooms: Map<string, Set<string>>;
  private readonly frames: FrameWriter;

  constructor(
    private readonly io: AppServer,
    /** At most one sweep per room per this many ms (0: sweep again as soon as one ends with events held). */
    private readonly windowMs = 0,
    /**
     * With other nodes: the channel every socket of this node is in, so that a broadcast can skip them
     * (this node's sockets are swept instead). Null on a single node.
     */
    private readonly nodeChannel: string | null = null,
  ) {
    this.rooms = io.of('/').adapter.rooms;
    this.frames = new FrameWriter(io);
  }

  publish(roomId: string, event: RoomEvent, state: RoomState, epoch: string | null = null): void {
    const forModerators = redactEvent(event, state, 'moderators');
    const shown = redactEvent(forModerators, state, 'public');
    let lane = this.lanes.get(roomId);
    // A frame carries one epoch: what waits from the old one goes first.
    if (lane && lane.epoch !== epoch) {
      this.flushRoom(roomId);
      lane = this.lanes.get(roomId);
      if (lane) lane.epoch = epoch;
    }
    if (!lane) this.lanes.set(roomId, (lane = new FanoutLane(epoch)));
    lane.hold(shown, forModerators);
    this.schedule(roomId, lane);
  }

  /**
   * The room's history was lost and goes on under a new epoch: an empty frame tells this node's clients to
   * start over (every node tells its own, as it learns of the new epoch).
   */
  announceEpoch(roomId: string, epoch: string): void {
    this.flushRoom(roomId);
    this.io.local.to(roomChannel(roomId)).emit('room:events', [], epoch);
  }

  /** Whether frames wait to go to the room. */
  pending(roomId: string): boolean {
    const lane = this.lanes.get(roomId);
    return !!lane && (lane.holding || lane.sweeping);
  }

  /** The room was evicted: nothing waits for it (see pending), so its lane goes. */
  forget(roomId: string): void {
    if (!this.pending(roomId)) this.lanes.delete(roomId);
  }

  /** Sends everything waiting, now (on shutdown). */
  flush(): void {
    for (const roomId of [...this.lanes.keys()]) this.flushRoom(roomId);
  }

  private schedule(roomId: string, lane: FanoutLane): void {
    if (lane.sweeping) return;
    lane.sweeping = true;
    const id = ++lane.sweepId;
    const start = () => this.sweep(roomId, lane, id);
    const wait = lane.lastStart + this.windowMs - performance.now();
    if (wait > 0) setTimeout(start, wait);
    else setImmediate(start);
  }

  /** One pass over the room's sockets as they stand now, a chunk per turn. */
  private sweep(roomId: string, lane: FanoutLane, id: number): void {
    if (lane.sweepId !== id || this.lanes.get(roomId) !== lane) return;
    lane.lastStart = performance.now();
    this.sendRemote(roomId, lane);
    const members = [...(this.rooms.get(roomChannel(roomId)) ?? [])];
    const chunk = members.length > BIG_ROOM ? Math.ceil(members.length / SWEEP_TURNS) : SWEEP_CHUNK;
    let next = 0;
    const step = () => {
      if (lane.sweepId !== id || this.lanes.get(roomId) !== lane) return;
      const end = Math.min(next + chunk, members.length);
      this.sendLocal(roomId, lane, members.slice(next, end));
      next = end;
      if (next < members.length) setImmediate(step);
      else this.finish(roomId, lane);
    };
    step();
  }

  /** After a sweep: lets go of what everyone has, and sweeps again for what came meanwhile. */
  private finish(roomId: string, lane: FanoutLane): void {
    lane.sweeping = false;
    const done = lane.settle(this.rooms.get(roomChannel(roomId)) ?? new Set(), !!this.nodeChannel);
    if (!done) this.schedule(roomId, lane);
    else if (this.windowMs === 0) this.lanes.delete(roomId);
  }

  /** Everything held, to every socket and node, at once (an epoch ends, or the server stops). */
  private flushRoom(roomId: string): void {
    const lane = this.lanes.get(roomId);
    if (!lane) return;
    lane.sweepId++;
    this.sendRemote(roomId, lane);
    this.sendLocal(roomId, lane, this.rooms.get(roomChannel(roomId)) ?? []);
    this.finish(roomId, lane);
  }

  private sendLocal(roomId: string, lane: FanoutLane, socketIds: Iterable<string>): void {
    const moderators = this.rooms.get(modsChannel(roomId));
    const epoch = lane.epoch ?? undefined;
    for (const frame of lane.framesFor(socketIds, (socketId) => !!moderators?.has(socketId))) {
      this.frames.send(frame.socketIds, 'room:events', frame.events, epoch);
    }
  }

  private sendRemote(roomId: string, lane: FanoutLane): void {
    if (!this.nodeChannel) return;
    const batch = lane.takeRemote();
    if (!batch) return;
    const epoch = lane.epoch ?? undefined;
    const everyone = this.io.to(roomChannel(roomId)).except(this.nodeChannel);
    if (!batch.differs) everyone.emit('room:events', batch.shown, epoch);
    else {
      everyone.except(modsChannel(roomId)).emit('room:events', batch.shown, epoch);
      this.io.to(modsChannel(roomId)).except(this.nodeChannel).emit('room:events', batch.forModerators, epoch);
    }
  }
}
