import type { Broadcaster } from './broadcaster.js';
import type { Appended, Decide, RoomStore } from './store/room-store.js';

/** What handlers may read from the store; appending goes through the room log below. */
export type RoomReader = Pick<RoomStore, 'load' | 'eventsSince'>;

/**
 * The one way to append to a room: persist, then publish to every socket of the room. Handlers are
 * given this instead of the store's own `append`, so nothing can be logged without everyone hearing
 * of it (a member joining included).
 */
export interface RoomLog {
  append(roomId: string, decide: Decide): Promise<Appended>;
}

export function roomLog(store: RoomStore, broadcaster: Broadcaster): RoomLog {
  return {
    async append(roomId, decide) {
      const appended = await store.append(roomId, decide);
      if (appended.event && appended.state) broadcaster.publish(roomId, appended.event, appended.state);
      return appended;
    },
  };
}
