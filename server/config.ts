import { z } from 'zod';
import { limits } from '../shared/limits.js';
import { parseTrustedProxies } from './client-address.js';
import { DEFAULT_CONNECTION_LIMITS } from './connection-limits.js';
import { parseAllowedOrigins } from './origin-check.js';

/** A comma-separated list that `parse` must accept; its complaint becomes the configuration error. */
const listOf = (parse: (list: string) => unknown) =>
  z
    .string()
    .default('')
    .superRefine((list, context) => {
      try {
        parse(list);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
      }
    });

/** Configuration comes from the environment only, checked once at start. */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Where the embedded store keeps its append-only log. */
  DATA_DIR: z.string().default('./data'),
  /** The embedded store checkpoints every room's state after this many MB of log (and on close): a restart replays at most about this much. */
  CHECKPOINT_EVERY_MB: z.coerce.number().positive().default(64),
  /** A room nobody on this node used (no socket in it, no read, no write) for this long leaves the node's memory, and comes back from the store on the next join or write (0: never). */
  ROOM_IDLE_EVICT_MS: z.coerce.number().int().min(0).default(5 * 60_000),
  /** Set to use Redis (log, state and cross-node broadcasts) instead of the embedded store. */
  REDIS_URL: z.preprocess((value) => (value === '' ? undefined : value), z.string().url().optional()),
  /** Where the built client is served from. */
  STATIC_DIR: z.string().default('./dist'),
  /** Proxies (comma-separated addresses) whose X-Forwarded-For is believed; from anyone else it is ignored. */
  TRUSTED_PROXIES: listOf(parseTrustedProxies),
  /** Origins (comma-separated, e.g. `https://debate.example`) whose pages may open sockets; unset: pages this host served. */
  ALLOWED_ORIGINS: listOf(parseAllowedOrigins),
  /** Sockets one client address may hold open at once on a node (0: no cap). */
  MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(0).default(DEFAULT_CONNECTION_LIMITS.maxPerAddress),
  /** New socket handshakes per client address per window (0: no limit). */
  HANDSHAKES_PER_ADDRESS: z.coerce.number().int().min(0).default(DEFAULT_CONNECTION_LIMITS.handshakes.points),
  HANDSHAKE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(DEFAULT_CONNECTION_LIMITS.handshakes.seconds),
  /** Writes a member may make in a burst, and the steady rate after it. */
  WRITE_BURST: z.coerce.number().int().min(1).default(limits.writeBurst),
  WRITES_PER_SECOND: z.coerce.number().positive().default(limits.writesPerSecond),
  /** New identities a room accepts from one address per hour (members joining, viewers' first ballot or report). */
  NEW_IDENTITIES_PER_HOUR: z.coerce.number().int().min(1).default(limits.perAddress.newIdentities.points),
  /** `off` lifts every per-address budget: for load tests on loopback only, never in production. */
  PER_ADDRESS_LIMITS: z.enum(['on', 'off']).default('on'),
  /** Reads (joins' catch-up, syncs, pages) one client address may make, and MB it may be answered, per `limits.readWindowSeconds`. */
  READS_PER_ADDRESS: z.coerce.number().int().min(1).default(limits.readRequestsPerAddress),
  READ_MB_PER_ADDRESS: z.coerce.number().positive().default(limits.readBytesPerAddress / 1_000_000),
  /** At most one frame of events per room per this many ms: the first event after a quiet spell goes at once, later ones gather (0: one frame per event-loop turn). */
  COALESCE_MS: z.coerce.number().int().min(0).max(1000).default(20),
  /** A mostly idle server runs a full garbage collection once its heap holds this many MB more than its least since the last (0: never; see idle-collector.ts). */
  IDLE_COLLECT_MB: z.coerce.number().min(0).default(16),
});
export type Config = z.infer<typeof Env>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
