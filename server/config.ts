import { z } from 'zod';
import { limits } from '../shared/limits.js';

/** Configuration comes from the environment only, checked once at start. */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Where the embedded store keeps its append-only log. */
  DATA_DIR: z.string().default('./data'),
  /** Set to use Redis (log, state and cross-node broadcasts) instead of the embedded store. */
  REDIS_URL: z.preprocess((value) => (value === '' ? undefined : value), z.string().url().optional()),
  /** Where the built client is served from. */
  STATIC_DIR: z.string().default('./dist'),
  /** Proxies (comma-separated addresses) whose X-Forwarded-For is believed; from anyone else it is ignored. */
  TRUSTED_PROXIES: z.string().default(''),
  /** Writes a member may make in a burst, and the steady rate after it. */
  WRITE_BURST: z.coerce.number().int().min(1).default(limits.writeBurst),
  WRITES_PER_SECOND: z.coerce.number().positive().default(limits.writesPerSecond),
  /** Reads (joins' catch-up, syncs, pages) one client address may make, and MB it may be answered, per `limits.readWindowSeconds`. */
  READS_PER_ADDRESS: z.coerce.number().int().min(1).default(limits.readRequestsPerAddress),
  READ_MB_PER_ADDRESS: z.coerce.number().positive().default(limits.readBytesPerAddress / 1_000_000),
  /** At most one frame of events per room per this many ms: the first event after a quiet spell goes at once, later ones gather (0: one frame per event-loop turn). */
  COALESCE_MS: z.coerce.number().int().min(0).max(1000).default(20),
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
