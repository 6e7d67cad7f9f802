import type { RoomEvent } from '../../shared/room-events.js';
import { applyEvent, type RoomState } from '../../shared/room-state.js';
import { copyState } from './replay-state.js';

/** A checkpoint every this many events, to begin with. */
export const CHECKPOINT_EVERY = 500;
/** At most this many checkpoints: past it they are thinned to every other one (twice the spacing). */
export const MAX_CHECKPOINTS = 48;

/**
 * A room's log (as this reader is served it) and the room at any seq of it: a fold through the same
 * `applyEvent` as the live room, from the nearest checkpoint at or before that seq. Checkpoints are
 * states at multiples of `spacing`, taken as the fold passes them and never handed out (callers get
 * copies), so seeking anywhere costs one copy and at most `spacing` events.
 */
export class ReplayLog {
  private events: RoomEvent[] = [];
  /** seq → the room right after it; only at multiples of `spacing`. */
  private checkpoints = new Map<number, RoomState>();
  /** Post id → the seq that brought it into the thread (created, or approved from the queue). */
  private entered = new Map<string, number>();
  spacing: number;

  constructor(private readonly firstSpacing = CHECKPOINT_EVERY) {
    this.spacing = firstSpacing;
  }

  /** The last seq held. */
  get last(): number {
    return this.events.length;
  }

  get all(): readonly RoomEvent[] {
    return this.events;
  }

  event(seq: number): RoomEvent | undefined {
    return this.events[seq - 1];
  }

  /** The seq at which a post appeared in the thread (for "the room as it stood when this was said"). */
  enteredAt(postId: string): number | undefined {
    return this.entered.get(postId);
  }

  get checkpointCount(): number {
    return this.checkpoints.size;
  }

  /** Adds events in seq order; ones already held are skipped. False when they do not follow on (a gap). */
  append(events: readonly RoomEvent[]): boolean {
    for (const event of events) {
      if (event.seq <= this.events.length) continue;
      if (event.seq !== this.events.length + 1) return false;
      this.events.push(event);
      if (event.type === 'post.created' || event.type === 'post.approved') this.entered.set(event.postId, event.seq);
    }
    return true;
  }

  /** Rewrites held events (the same seqs), e.g. redacted again; every checkpoint after the first change is dropped. */
  rewrite(change: (event: RoomEvent) => RoomEvent): void {
    let first = Infinity;
    this.events = this.events.map((event) => {
      const next = change(event);
      if (next !== event) first = Math.min(first, event.seq);
      return next;
    });
    for (const seq of [...this.checkpoints.keys()]) if (seq >= first) this.checkpoints.delete(seq);
  }

  clear(): void {
    this.events = [];
    this.checkpoints.clear();
    this.entered.clear();
    this.spacing = this.firstSpacing;
  }

  /** The room right after `seq` (0: before it opened, null), as a fresh copy the caller may change. */
  stateAt(seq: number): RoomState | null {
    seq = Math.max(0, Math.min(seq, this.events.length));
    if (seq === 0) return null;
    const from = this.checkpointAtOrBefore(seq);
    const state = from ? copyState(this.checkpoints.get(from)!) : null;
    return this.fold(state, from, seq);
  }

  /** Applies the events after `state.seq` up to `seq` to `state` itself (playing forward, or a short seek forward). */
  advance(state: RoomState | null, seq: number): RoomState | null {
    const to = Math.min(seq, this.events.length);
    let next = state;
    for (let s = (state?.seq ?? 0) + 1; s <= to; s++) next = applyEvent(next, this.events[s - 1]!);
    return next;
  }

  /** Takes the checkpoints the whole log needs, at most `budget` events folded per call; true when done. */
  prepare(budget = Infinity): boolean {
    const end = this.events.length - (this.events.length % this.spacing);
    const from = this.checkpointAtOrBefore(end);
    if (from >= end) return true;
    const upTo = Math.min(end, from + Math.max(this.spacing, budget));
    this.fold(from ? copyState(this.checkpoints.get(from)!) : null, from, upTo);
    return upTo >= end;
  }

  /** Folds (from, to] onto `state`, keeping a checkpoint at each multiple of the spacing it passes. */
  private fold(state: RoomState | null, from: number, to: number): RoomState | null {
    for (let seq = from + 1; seq <= to; seq++) {
      state = applyEvent(state, this.events[seq - 1]!);
      if (seq % this.spacing === 0 && !this.checkpoints.has(seq)) this.keep(seq, copyState(state));
    }
    return state;
  }

  private keep(seq: number, state: RoomState): void {
    this.checkpoints.set(seq, state);
    if (this.checkpoints.size <= MAX_CHECKPOINTS) return;
    this.spacing *= 2;
    for (const at of [...this.checkpoints.keys()]) if (at % this.spacing !== 0) this.checkpoints.delete(at);
  }

  private checkpointAtOrBefore(seq: number): number {
    let best = 0;
    for (const at of this.checkpoints.keys()) if (at <= seq && at > best) best = at;
    return best;
  }
}
