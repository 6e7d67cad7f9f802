import type { RoomEvent } from './room-events.js';
import { applyEvent, type RoomState } from './room-state.js';

export type FollowResult = 'applied' | 'duplicate' | 'gap';

/**
 * Applies a room's events strictly in seq order with the shared reducer. An event already seen is
 * dropped; an event ahead of the next expected one is held and reported as a gap, so the caller can
 * `sync` from `state.seq`. Held events are applied as soon as the gap is filled.
 */
export class LogFollower {
  private held = new Map<number, RoomEvent>();

  constructor(public state: RoomState) {}

  get seq(): number {
    return this.state.seq;
  }

  get hasGap(): boolean {
    return this.held.size > 0;
  }

  /** Replace everything with a fresh snapshot; held events beyond it are kept. */
  reset(snapshot: RoomState): void {
    this.state = snapshot;
    this.drain();
  }

  receive(event: RoomEvent): FollowResult {
    if (event.seq <= this.state.seq) return 'duplicate';
    if (event.seq > this.state.seq + 1) {
      this.held.set(event.seq, event);
      return 'gap';
    }
    this.state = applyEvent(this.state, event);
    this.drain();
    return this.held.size > 0 ? 'gap' : 'applied';
  }

  receiveAll(events: RoomEvent[]): FollowResult {
    const before = this.state.seq;
    for (const event of events) this.receive(event);
    if (this.held.size > 0) return 'gap';
    return this.state.seq > before ? 'applied' : 'duplicate';
  }

  private drain(): void {
    for (const seq of [...this.held.keys()]) if (seq <= this.state.seq) this.held.delete(seq);
    let next = this.held.get(this.state.seq + 1);
    while (next) {
      this.held.delete(next.seq);
      this.state = applyEvent(this.state, next);
      next = this.held.get(this.state.seq + 1);
    }
  }
}
