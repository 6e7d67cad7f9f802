import type { Config } from './config.js';
import { openEmbeddedStore } from './store/embedded.js';
import type { RoomStore } from './store/room-store.js';

/** Redis when REDIS_URL is set, otherwise the embedded store in DATA_DIR. */
export async function openStore(config: Config): Promise<RoomStore> {
  if (!config.REDIS_URL) return openEmbeddedStore({ dataDir: config.DATA_DIR, checkpointEveryBytes: Math.round(config.CHECKPOINT_EVERY_MB * 2 ** 20) });
  const { openRedisStore } = await import('./store/redis.js');
  return openRedisStore({ url: config.REDIS_URL });
}
