import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { redisCalls, withDeadlines } from './redis-calls.js';

/** How long a broadcast or a rate-limit count may wait for Redis (ms) before it is given up. */
const COMMAND_TIMEOUT_MS = 1_000;
/** Broadcasts that failed while Redis was away, sent again when it is back: at most this many, this recent. */
const RESEND_MAX = 1_000;
const RESEND_WITHIN_MS = 10_000;
/**
 * When to send them again after this node's publisher is back (ms): other nodes' subscribers reconnect on
 * their own schedule, and a message published before they are back reaches nobody. Twice, then: clients
 * drop what they already have.
 */
const RESEND_AFTER_MS = [500, 4_000];

/**
 * Carries broadcasts between server nodes that share one Redis. A node must never die of its Redis: the
 * adapter publishes every broadcast without handling the promise, so a publish that fails (Redis killed, the
 * connection reset) would be an unhandled rejection and end the process. Its client here never lets one
 * escape, and its other commands give up on a stalled Redis after a second; this node's own sockets still get every
 * broadcast (the adapter delivers locally either way), and the other nodes' clients fill what they missed
 * with `room:sync` once Redis is back.
 */
export async function openRedisAdapter(url: string) {
  // Fail at once while Redis is down rather than queue broadcasts without bound.
  const pub = createClient({ url, disableOfflineQueue: true });
  const sub = pub.duplicate({ disableOfflineQueue: false });
  // One line per outage and client, not one per broadcast.
  const failing = new Set<string>();
  for (const [name, client] of [['publisher', pub], ['subscriber', sub]] as const) {
    client.on('error', (error: Error) => {
      if (!failing.has(name)) console.error(`[redis adapter] ${name}: ${error.message}; broadcasts reach this node's sockets only until Redis is back.`);
      failing.add(name);
    });
    client.on('ready', () => {
      if (failing.delete(name)) console.error(`[redis adapter] ${name} reconnected.`);
      failing.delete('publish');
    });
  }
  await Promise.all([pub.connect(), sub.connect()]);
  const calls = redisCalls({ ping: () => pub.ping(), timeoutMs: COMMAND_TIMEOUT_MS, name: 'Redis adapter', subject: 'Redis' });
  const commands = withDeadlines(pub, calls);
  // Publishes get no deadline: during a stall they wait in order and go out when Redis wakes (a write that
  // landed late is published then too). One that fails (Redis killed, the connection reset: often the
  // broadcast of an event logged just before) is sent again once Redis is back, so the other nodes' clients
  // hear of it even if nothing else happens in the room; they drop what they already have.
  const unsent: { args: Parameters<typeof pub.publish>; at: number }[] = [];
  const publish = (...args: Parameters<typeof pub.publish>): Promise<number> =>
    pub.publish(...args).catch((error: Error) => {
      if (!failing.has('publish')) console.error(`[redis adapter] broadcasts to other nodes are failing: ${error.message}`);
      failing.add('publish');
      if (unsent.length < RESEND_MAX) unsent.push({ args, at: Date.now() });
      return 0;
    });
  pub.on('ready', () => {
    const due = unsent.splice(0).filter((message) => Date.now() - message.at < RESEND_WITHIN_MS);
    if (due.length === 0) return;
    for (const delay of RESEND_AFTER_MS) {
      setTimeout(() => {
        for (const message of due) void publish(...message.args);
      }, delay).unref();
    }
  });
  const quietPub = new Proxy(commands, {
    get: (target, property) => (property === 'publish' ? publish : (Reflect.get(target, property, target) as unknown)),
  });
  return {
    adapter: createAdapter(quietPub, sub),
    /** A client for plain commands (rate limits share it): fails fast while Redis is away, gives up on a stalled one. */
    commands,
    /** Answers when broadcasts can reach the other nodes (for readiness). */
    ping: async () => {
      await commands.ping();
    },
    close: async () => {
      await Promise.allSettled([pub.close(), sub.close()]);
    },
  };
}
