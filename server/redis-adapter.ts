import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';

/** Carries broadcasts between server nodes that share one Redis. */
export async function openRedisAdapter(url: string) {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) client.on('error', (error) => console.error('[redis adapter]', error.message));
  await Promise.all([pub.connect(), sub.connect()]);
  return {
    adapter: createAdapter(pub, sub),
    /** A client for plain commands (rate limits share it). */
    commands: pub,
    close: async () => {
      await Promise.allSettled([pub.close(), sub.close()]);
    },
  };
}
