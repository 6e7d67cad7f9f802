import { createServer } from 'node:http';
import { createApp } from './app.js';
import { readConfig } from './config.js';
import { reportLoopDelayOnSignal } from './loop-delay.js';
import { openRedisAdapter } from './redis-adapter.js';
import { parseTrustedProxies } from './client-address.js';
import { parseAllowedOrigins } from './origin-check.js';
import { limitFactory } from './rate-limits.js';
import { UNLIMITED } from './address-limits.js';
import { DEFAULT_READ_BUDGET } from './read-meter.js';
import { UNLIMITED_RECORDS } from './record/meter.js';
import { staticHandler } from './static.js';
import { openStore } from './stores.js';
import { installLastResort } from './last-resort.js';
import { IdleCollector } from './idle-collector.js';
import { readinessHandler, type ReadinessCheck } from './readiness.js';

installLastResort();

const config = readConfig();
const store = await openStore(config);
const redisAdapter = config.REDIS_URL ? await openRedisAdapter(config.REDIS_URL) : null;
const loopDelayNote = reportLoopDelayOnSignal();
const readiness: ReadinessCheck[] = [{ name: 'The store', ping: async () => store.ping?.() }];
if (redisAdapter) readiness.push({ name: 'Broadcasts between nodes (Redis)', ping: redisAdapter.ping });
const httpServer = createServer(staticHandler(config.STATIC_DIR, readinessHandler(readiness)));
const unlimited = config.PER_ADDRESS_LIMITS === 'off';
const app = createApp(httpServer, { store, adapter: redisAdapter?.adapter, coalesceMs: config.COALESCE_MS, roomIdleEvictMs: config.ROOM_IDLE_EVICT_MS,
  writeRate: { burst: config.WRITE_BURST, perSecond: config.WRITES_PER_SECOND },
  trustedProxies: parseTrustedProxies(config.TRUSTED_PROXIES),
  readBudget: unlimited
    ? { ...DEFAULT_READ_BUDGET, perIdentity: { requests: 1e9, bytes: 1e15 }, perAddress: { requests: 1e9, bytes: 1e15 } }
    : { ...DEFAULT_READ_BUDGET, perAddress: { requests: config.READS_PER_ADDRESS, bytes: config.READ_MB_PER_ADDRESS * 1_000_000 } },
  limits: limitFactory(redisAdapter?.commands),
  addressRules: unlimited ? UNLIMITED : { newIdentities: { points: config.NEW_IDENTITIES_PER_HOUR, seconds: 3_600 } },
  recordBudget: unlimited ? UNLIMITED_RECORDS : undefined,
  allowedOrigins: parseAllowedOrigins(config.ALLOWED_ORIGINS),
  connectionLimits: {
    maxPerAddress: unlimited ? 0 : config.MAX_CONNECTIONS_PER_ADDRESS,
    handshakes: { points: unlimited ? 0 : config.HANDSHAKES_PER_ADDRESS, seconds: config.HANDSHAKE_WINDOW_SECONDS },
  },
});

// Hands back the memory a burst left (joins, rooms evicted) once the server is quiet: V8 alone would keep it.
const idleCollector = new IdleCollector({ growthBytes: config.IDLE_COLLECT_MB * 1024 * 1024 });

httpServer.listen(config.PORT, config.HOST, () => {
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const where = config.REDIS_URL ? `Redis at ${new URL(config.REDIS_URL).host}` : `embedded store in ${config.DATA_DIR}`;
  console.log(`Debate rooms on http://localhost:${port} (${where})${loopDelayNote}`);
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: closing`);
  idleCollector.close();
  await app.close();
  await redisAdapter?.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
