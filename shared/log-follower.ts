import { mergePosts } from './post-window.js';
import type { RoomEvent } from './room-events.js';
import { applyEvent, type Post, type RoomState } from './room-state.js';

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
  /** Pages of posts cut from a later state than this copy's, merged as soon as it gets there. */
  private laterPages: { seq: number; posts: Post[] }[] = [];

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

  /** Replace everything with a fresh snapshot; held events (and pages) beyond it are kept. */
  reset(snapshot: RoomState): void {
    this.state = snapshot;
    this.mergeDuePages();
    this.drain();
  }

  /**
   * Merges a page of posts (older threads, or one thread) cut from the room at `seq` (undefined: the server
   * did not say), now or, when that is later than this copy, right after the event that takes it there: a
   * post merged before its own post.created is applied would rob that event of its effects beyond the post
   * (the author's posted count, lastPostAt). True when merged now.
   */
  mergePage(posts: Post[], seq: number | undefined): boolean {
    if (seq !== undefined && seq > this.state.seq) {
      this.laterPages.push({ seq, posts });
      return false;
    }
    mergePosts(this.state, posts);
    return true;
  }

  /** Pages waiting for this copy to reach their seq. */
  get pagesWaiting(): boolean {
    return this.laterPages.length > 0;
  }

  /** The events applied, in seq order: this one and any it released from behind a gap; none for a duplicate or a gap. */
  receive(event: RoomEvent): RoomEvent[] {
    if (event.seq <= this.state.seq) return [];
    if (event.seq > this.state.seq + 1) {
      this.held.set(event.seq, event);
      return [];
    }
    this.apply(event);
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
      this.apply(next);
      applied.push(next);
      next = this.held.get(this.state.seq + 1);
    }
    return applied;
  }

  private apply(event: RoomEvent): void {
    this.state = applyEvent(this.state, event);
    this.mergeDuePages();
  }

  /** Before the next event: that one may change a page's posts, which a later merge would not see. */
  private mergeDuePages(): void {
    if (!this.laterPages.length) return;
    const due = this.laterPages.filter((page) => page.seq <= this.state.seq);
    if (!due.length) return;
    this.laterPages = this.laterPages.filter((page) => page.seq > this.state.seq);
    for (const page of due) mergePosts(this.state, page.posts);
  }
}
