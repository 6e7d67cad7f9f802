import type { RoomEvent } from '../shared/room-events.js';

/**
 * One room's events that some of this node's sockets have not been sent yet, and where each socket stands.
 * Events are numbered from 0 as they are published here (`head` is the next number); a socket's mark is the
 * number of the first event it still needs. A socket with no mark needs everything held: it joined the
 * room's channel since its last visit, and its snapshot was read after it joined (room-join.ts), so whatever
 * was let go before it joined is in that snapshot, and what is held may only repeat it (clients drop those).
 */
export class FanoutLane {
  /** The number of `shown[0]`. */
  private base = 0;
  /** The held events as everyone may see them, and as moderators see them (the same object when equal). */
  private shown: RoomEvent[] = [];
  private forModerators: RoomEvent[] = [];
  private readonly marks = new Map<string, number>();
  /** The first held event not yet sent to the other nodes. */
  remoteMark = 0;
  /** Set while a sweep is scheduled or under way, so a publish does not start another. */
  sweeping = false;
  /** Which sweep is current: a flush ends the one under way, whose later steps then stop. */
  sweepId = 0;
  /** When the last sweep started (performance.now()): the window counts from there. */
  lastStart = -Infinity;

  constructor(public epoch: string | null) {}

  get head(): number {
    return this.base + this.shown.length;
  }

  /** Whether anything is held for some socket or for the other nodes. */
  get holding(): boolean {
    return this.shown.length > 0;
  }

  hold(shown: RoomEvent, forModerators: RoomEvent): void {
    this.shown.push(shown);
    this.forModerators.push(forModerators);
  }

  /**
   * The frames that bring `sockets` up to date: sockets that stand at the same mark and see the same
   * variant share one frame (one encoding). Marks move to the head as the frames are handed out.
   */
  framesFor(sockets: Iterable<string>, isModerator: (socketId: string) => boolean): { events: RoomEvent[]; socketIds: string[] }[] {
    // Keyed by mark and variant (mark × 2, +1 for moderators): a number, not a string built per socket.
    const groups = new Map<number, { events: RoomEvent[]; socketIds: string[] }>();
    const head = this.head;
    const differs = new Map<number, boolean>();
    for (const socketId of sockets) {
      const from = this.marks.get(socketId) ?? this.base;
      if (from >= head) continue;
      this.marks.set(socketId, head);
      let differsHere = differs.get(from);
      if (differsHere === undefined) differs.set(from, (differsHere = this.differsFrom(from)));
      const moderated = differsHere && isModerator(socketId);
      const key = from * 2 + (moderated ? 1 : 0);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { events: (moderated ? this.forModerators : this.shown).slice(from - this.base), socketIds: [] }));
      group.socketIds.push(socketId);
    }
    return [...groups.values()];
  }

  /** The held events the other nodes have not been sent (public and moderator variants); marks them sent. */
  takeRemote(): { shown: RoomEvent[]; forModerators: RoomEvent[]; differs: boolean } | null {
    const from = Math.max(this.remoteMark, this.base);
    if (from >= this.head) return null;
    this.remoteMark = this.head;
    return { shown: this.shown.slice(from - this.base), forModerators: this.forModerators.slice(from - this.base), differs: this.differsFrom(from) };
  }

  /**
   * After a sweep: lets go of what every socket still in the channel (`members`) and the other nodes have,
   * and forgets sockets that left. True when nothing is held any more.
   */
  settle(members: ReadonlySet<string>, remote: boolean): boolean {
    let lowest = remote ? this.remoteMark : this.head;
    for (const socketId of members) {
      lowest = Math.min(lowest, this.marks.get(socketId) ?? this.base);
      if (lowest <= this.base) break;
    }
    for (const socketId of this.marks.keys()) if (!members.has(socketId)) this.marks.delete(socketId);
    if (lowest > this.base) {
      this.shown.splice(0, lowest - this.base);
      this.forModerators.splice(0, lowest - this.base);
      this.base = lowest;
    }
    // Everyone stands at the head: no mark says more than the base does.
    if (this.shown.length === 0) this.marks.clear();
    return this.shown.length === 0;
  }

  private differsFrom(from: number): boolean {
    for (let i = from - this.base; i < this.shown.length; i++) if (this.shown[i] !== this.forModerators[i]) return true;
    return false;
  }
}
