import type { Appended, Decide } from './room-store.js';

/** One append waiting for its room's next commit. */
export interface PendingAppend {
  decide: Decide;
  resolve: (appended: Appended) => void;
  reject: (error: unknown) => void;
}

/**
 * Commits one batch of a room's appends (in the order they were made): it settles each of them, and should
 * it throw instead, the ones it left unsettled fail with that error.
 */
export type CommitBatch = (roomId: string, batch: PendingAppend[]) => Promise<void>;

export interface RoomBatches {
  append(roomId: string, decide: Decide): Promise<Appended>;
  /** Resolves once every append made so far has settled. */
  idle(): Promise<void>;
}

/**
 * Group commit for a store whose every commit is a round trip (Redis): one commit per room at a time, and
 * the appends that arrive meanwhile wait and go together in the next one (at most `maxBatch` of them). So
 * a busy room pays one round trip per batch instead of one per write, its writes are acknowledged and
 * published together (one broadcast frame), and a quiet room's write still goes out at once. Appends made
 * in the same turn of the event loop start out as one batch (the commit starts on a microtask).
 */
export function roomBatches(commit: CommitBatch, maxBatch: number): RoomBatches {
  const waiting = new Map<string, PendingAppend[]>();
  const running = new Map<string, Promise<void>>();

  async function drain(roomId: string): Promise<void> {
    for (let queue = waiting.get(roomId); queue?.length; queue = waiting.get(roomId)) {
      const batch = queue.splice(0, maxBatch);
      if (queue.length === 0) waiting.delete(roomId);
      try {
        await commit(roomId, batch);
      } catch (error) {
        // Settling twice is a no-op: only the appends the commit had not answered hear of the error.
        for (const pending of batch) pending.reject(error);
      }
    }
    running.delete(roomId);
  }

  return {
    append(roomId, decide) {
      return new Promise<Appended>((resolve, reject) => {
        let queue = waiting.get(roomId);
        if (!queue) waiting.set(roomId, (queue = []));
        queue.push({ decide, resolve, reject });
        if (!running.has(roomId)) running.set(roomId, Promise.resolve().then(() => drain(roomId)));
      });
    },

    async idle() {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
  };
}
