import type { AppServer } from './sockets.js';
import type { RoomLog, RoomReader } from './room-log.js';
import type { Broadcaster } from './broadcaster.js';
import type { WriteMeter } from './router.js';
import type { SnapshotCache } from './snapshots.js';
import type { PresenceTracker } from './presence.js';
import type { LimitFactory } from './rate-limits.js';
import type { AddressLimits } from './address-limits.js';
import type { ReadCache } from './read-cache.js';
import type { ReadMeter } from './read-meter.js';
import type { SendBufferGuard } from './send-buffer.js';

/** Everything a handler may use. */
export interface AppContext {
  io: AppServer;
  /** Reading rooms. */
  store: RoomReader;
  /** Appending to a room's log: persisted, then published (the only way in). */
  log: RoomLog;
  broadcaster: Broadcaster;
  presence: PresenceTracker;
  meter: WriteMeter;
  snapshots: SnapshotCache;
  /** Budgets per client address, whatever identity is used. */
  perAddress: AddressLimits;
  /** Encoded read answers (catch-ups, pages; the snapshots live there too), for reuse. */
  readCache: ReadCache;
  /** Every read is metered in requests and bytes, per identity and per address. */
  readMeter: ReadMeter;
  /** Drops sockets that stopped reading what they are sent. */
  sendBuffers: SendBufferGuard;
  /** Makes named rate limits (in Redis when configured, so they hold across nodes). */
  limits: LimitFactory;
  now: () => number;
}
