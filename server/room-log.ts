import type { Broadcaster } from './broadcaster.js';
import type { Appended, Decide, RoomStore } from './store/room-store.js';

/** What handlers may read from the store; appending goes through the room log below. */
export type RoomReader = Pick<RoomStore, 'load' | 'eventsSince' | 'epoch'>;

/**
 * The one way to append to a room: persist, then publish to every socket of the room. Handlers are
 * given this instead of the store's own `append`, so nothing can be logged without everyone hearing
 * of it (a member joining included).
 */
export interface RoomLog {
  append(roomId: string, decide: Decide): Promise<Appended>;
}

export function roomLog(store: RoomStore, broadcaster: Broadcaster): RoomLog {
  // What the store finds out on its own: a write it had reported as failed was logged after all, or the
  // room's history was lost. Either way every client must hear of it.
  store.watch?.({
    landed: (roomId, { event, state, epoch }) => state && broadcaster.publish(roomId, event, state, epoch),
    newEpoch: (roomId, epoch) => broadcaster.announceEpoch(roomId, epoch),
  });
  return {
    async append(roomId, decide) {
      const appended = await store.append(roomId, decide);
      if (appended.event && appended.state) broadcaster.publish(roomId, appended.event, appended.state, appended.epoch);
      return appended;
    },
  };
}
