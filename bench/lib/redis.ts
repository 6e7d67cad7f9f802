import { createClient } from 'redis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Null when Redis answers PING, else why not: the Redis runs are skipped, not failed, without one. */
export async function redisUnreachable(url = REDIS_URL): Promise<string | null> {
  const client = createClient({ url, socket: { connectTimeout: 1_000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return `Redis at ${url} is unreachable (${(error as Error).message})`;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

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
    const keys = roomIds.flatMap((id) => ['seq', 'log', 'checkpoint', 'turn'].map((part) => `${prefix}room:{${id}}:${part}`));
    return await client.del(keys);
  } finally {
    client.destroy();
  }
}
