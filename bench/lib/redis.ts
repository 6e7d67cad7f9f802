import { createClient } from 'redis';
import { redisUnreachableReason, redisUrlForTests } from '../../tests/helpers/redis.js';

export const REDIS_URL = redisUrlForTests();

/** Null when Redis answers PING, else why not: the Redis runs are skipped, not failed, without one. */
export const redisUnreachable = (url = REDIS_URL) => redisUnreachableReason(url);

/**
 * Deletes exactly the keys the Redis store wrote for these rooms (default prefix 'debate:'): nothing the
 * benchmark did not create. The adapter keeps no keys, only pub/sub channels.
 */
export async function deleteRoomKeys(roomIds: string[], url = REDIS_URL, prefix = 'debate:'): Promise<number> {
  if (roomIds.length === 0) return 0;
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  try {
    const keys = roomIds.flatMap((id) => ['seq', 'log', 'checkpoint', 'turn', 'epoch'].map((part) => `${prefix}room:{${id}}:${part}`));
    return await client.del(keys);
  } finally {
    client.destroy();
  }
}
