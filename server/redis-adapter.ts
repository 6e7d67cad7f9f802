import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';

/** How long a broadcast or a rate-limit count may wait for Redis (ms) before it is given up. */
const COMMAND_TIMEOUT_MS = 1_000;

/**
 * Carries broadcasts between server nodes that share one Redis. A node must never die of its Redis: the
 * adapter publishes every broadcast without handling the promise, so a publish that fails (Redis killed, the
 * connection reset) would be an unhandled rejection and end the process. Its client here never lets one
 * escape; this node's own sockets still get every broadcast (the adapter delivers locally either way), and
 * the other nodes' clients fill what they missed with `room:sync` once Redis is back.
 */
export async function openRedisAdapter(url: string) {
  const pub = createClient({
    url,
    // Fail at once while Redis is down rather than queue broadcasts without bound; time out a stalled Redis.
    disableOfflineQueue: true,
    commandOptions: { timeout: COMMAND_TIMEOUT_MS },
  });
  const sub = pub.duplicate({ disableOfflineQueue: false, commandOptions: {} });
  // One line per outage and client, not one per broadcast.
  const failing = new Set<string>();
  for (const [name, client] of [['publisher', pub], ['subscriber', sub]] as const) {
    client.on('error', (error: Error) => {
      if (!failing.has(name)) console.error(`[redis adapter] ${name}: ${error.message}; broadcasts reach this node's sockets only until Redis is back.`);
      failing.add(name);
    });
    client.on('ready', () => {
      if (failing.delete(name)) console.error(`[redis adapter] ${name} reconnected.`);
      failing.delete(`${name} publish`);
    });
  }
  await Promise.all([pub.connect(), sub.connect()]);
  const quietPub = new Proxy(pub, {
    get(target, property) {
      if (property === 'publish') {
        return (...args: Parameters<typeof target.publish>) =>
          target.publish(...args).catch((error: Error) => {
            if (!failing.has('publisher publish')) console.error(`[redis adapter] broadcasts to other nodes are failing: ${error.message}`);
            failing.add('publisher publish');
            return 0;
          });
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    adapter: createAdapter(quietPub, sub),
    /** A client for plain commands (rate limits share it); its commands fail fast while Redis is away. */
    commands: pub,
    /** Answers when broadcasts can reach the other nodes (for readiness). */
    ping: async () => {
      await pub.ping();
    },
    close: async () => {
      await Promise.allSettled([pub.close(), sub.close()]);
    },
  };
}
