import type { RoomStore } from './store/room-store.js';

/** Something else that keeps a room (a cache): told when the room is let go, so it lets go too. */
export type LetGo = (roomId: string) => void;

/** Sweeps at a quarter of the idle time, but at least once a minute and at most every 10 ms. */
const sweepEvery = (idleMs: number) => Math.max(10, Math.min(60_000, Math.round(idleMs / 4)));

/**
 * Lets go of rooms nobody on this node has used for `idleMs` (ROOM_IDLE_EVICT_MS): the store's copy (its
 * state and recent events) and every cache of it, so memory follows the rooms in use, not every room
 * ever opened. A room with a socket of this node in it, or a write in flight, stays; the next join or
 * write brings an evicted room back from the store. 0: never.
 */
export class RoomEvictor {
  private readonly letGo: LetGo[] = [];
  private readonly timer: NodeJS.Timeout | null;
  private sweeping: Promise<string[]> | null = null;

  constructor(
    private readonly store: Pick<RoomStore, 'evictIdle'>,
    /** Whether this node still serves the room (sockets in it, frames waiting). */
    private readonly inUse: (roomId: string) => boolean,
    private readonly idleMs: number,
  ) {
    this.timer = idleMs > 0 && store.evictIdle ? setInterval(() => void this.sweep(), sweepEvery(idleMs)) : null;
    this.timer?.unref();
  }

  /** `letGo` is called with each room evicted. */
  onEvict(letGo: LetGo): void {
    this.letGo.push(letGo);
  }

  /** One sweep now (the timer's, or a bench's); resolves with the rooms let go. */
  sweep(idleMs = this.idleMs): Promise<string[]> {
    this.sweeping ??= this.sweepOnce(idleMs).finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(idleMs: number): Promise<string[]> {
    let evicted: string[];
    try {
      evicted = (await this.store.evictIdle?.(idleMs, this.inUse)) ?? [];
    } catch (error) {
      console.error('[eviction] a sweep failed; the rooms stay in memory:', error);
      return [];
    }
    for (const roomId of evicted) for (const letGo of this.letGo) letGo(roomId);
    return evicted;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
