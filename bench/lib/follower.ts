/**
 * One viewer's account of the room log by seq, as a client keeps it: events applied strictly in order,
 * live events held while catching up (join, or sync after a reconnect), overlap with a sync answer dropped.
 * What it counts is what the benchmark asserts: every seq after joining applied exactly once, no gaps, and no
 * event delivered twice on one connection.
 */
export class SeqFollower {
  /** Seq of the last event applied (or skipped over by a snapshot). */
  last = 0;
  /** Seq the viewer first joined at: it is owed every event after it. */
  base = -1;
  applied = 0;
  /** Events covered by a snapshot answer to sync instead of being sent one by one. */
  viaSnapshot = 0;
  /** The same seq twice on one connection, or a seq going backwards: a server bug. */
  duplicates = 0;
  /** Seqs skipped over without a snapshot covering them: a lost event. */
  missing = 0;
  /** A live event already covered by the sync answer: expected right after a reconnect. */
  overlap = 0;
  private liveLast = 0;
  private held: number[] | null = [];

  get catchingUp(): boolean {
    return this.held !== null;
  }

  /** A new connection: nothing seen on it yet, and live events wait until the catch-up is applied. */
  reconnecting(): void {
    this.liveLast = 0;
    this.held = [];
  }

  /** An event received live; true when it was applied on arrival (so its latency is a viewer's latency). */
  live(seq: number): boolean {
    if (seq <= this.liveLast) {
      this.duplicates++;
      return false;
    }
    this.liveLast = seq;
    if (!this.held) return this.apply(seq);
    this.held.push(seq);
    return false;
  }

  /** The first join's snapshot: the viewer is owed everything after it. */
  joined(seq: number): void {
    if (this.base < 0) {
      this.base = seq;
      this.last = seq;
    }
  }

  /** A sync answer of events (in order). */
  synced(seqs: Iterable<number>): void {
    for (const seq of seqs) this.apply(seq);
  }

  /** A sync answer that was a snapshot: everything up to its seq is in it. */
  snapshot(seq: number): void {
    if (seq > this.last) {
      this.viaSnapshot += seq - this.last;
      this.last = seq;
    }
  }

  /** Caught up: apply what arrived live meanwhile (their latency is not sampled: they waited on purpose). */
  caughtUp(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const seq of held) this.apply(seq);
  }

  /** What is wrong with this viewer's delivery once the log ended at `finalSeq` (empty: nothing). */
  problems(finalSeq: number): string[] {
    const out: string[] = [];
    if (this.duplicates) out.push(`${this.duplicates} duplicate(s)`);
    if (this.missing) out.push(`${this.missing} missing (gap)`);
    if (this.last !== finalSeq) out.push(`ended at seq ${this.last}, log at ${finalSeq}`);
    else if (this.applied + this.viaSnapshot !== finalSeq - this.base) out.push(`applied ${this.applied + this.viaSnapshot} of ${finalSeq - this.base}`);
    return out;
  }

  private apply(seq: number): boolean {
    if (seq <= this.last) {
      this.overlap++;
      return false;
    }
    if (seq > this.last + 1) this.missing += seq - this.last - 1;
    this.last = seq;
    this.applied++;
    return true;
  }
}
