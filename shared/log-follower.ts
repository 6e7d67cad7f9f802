import type { RoomEvent } from './room-events.js';
import { applyEvent, type RoomState } from './room-state.js';

/**
 * Applies a room's events strictly in seq order with the shared reducer, and says which it applied:
 * that answer is the one feed of the client (see client/logic/room-log.ts). An event already seen is
 * dropped; an event ahead of the next expected one is held (`hasGap`), so the caller can `sync` from
 * `state.seq`. Held events are applied, and returned, as soon as the gap is filled: with several server
 * nodes, each broadcasting on its own schedule, the missing event is usually a few milliseconds behind,
 * so a caller does well to wait a little (see `missing`) before it asks.
 *
 * Seqs count within one epoch (one history of the log, see shared/events.ts): a follower of one epoch
 * must not be fed events of another; the caller starts a new follower from a fresh snapshot instead.
 */
export class LogFollower {
  private held = new Map<number, RoomEvent>();

  constructor(
    public state: RoomState,
    /** The history `state` belongs to (undefined: the server did not say). */
    public readonly epoch?: string,
  ) {}

  get seq(): number {
    return this.state.seq;
  }

  get hasGap(): boolean {
    return this.held.size > 0;
  }

  /** The first seq waited for while events beyond it are held; null without a gap. */
  get missing(): number | null {
    return this.held.size > 0 ? this.state.seq + 1 : null;
  }

  /** True when `epoch` names another history than this follower's (an unknown one on either side is not). */
  isOtherHistory(epoch: string | undefined): boolean {
    return !!epoch && !!this.epoch && epoch !== this.epoch;
  }

  /** Replace everything with a fresh snapshot; held events beyond it are kept. */
  reset(snapshot: RoomState): void {
    this.state = snapshot;
    this.drain();
  }

  /** The events applied, in seq order: this one and any it released from behind a gap; none for a duplicate or a gap. */
  receive(event: RoomEvent): RoomEvent[] {
    if (event.seq <= this.state.seq) return [];
    if (event.seq > this.state.seq + 1) {
      this.held.set(event.seq, event);
      return [];
    }
    this.state = applyEvent(this.state, event);
    return [event, ...this.drain()];
  }

  receiveAll(events: RoomEvent[]): RoomEvent[] {
    return events.flatMap((event) => this.receive(event));
  }

  private drain(): RoomEvent[] {
    for (const seq of [...this.held.keys()]) if (seq <= this.state.seq) this.held.delete(seq);
    const applied: RoomEvent[] = [];
    let next = this.held.get(this.state.seq + 1);
    while (next) {
      this.held.delete(next.seq);
      this.state = applyEvent(this.state, next);
      applied.push(next);
      next = this.held.get(this.state.seq + 1);
    }
    return applied;
  }
}
