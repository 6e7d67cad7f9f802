import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App, type AppDeps } from '../../server/app.js';
import { UNLIMITED } from '../../server/address-limits.js';
import type { ReadBudget } from '../../server/read-meter.js';
import { UNLIMITED_RECORDS } from '../../server/record/meter.js';
import { staticHandler } from '../../server/static.js';
import { openEmbeddedStore } from '../../server/store/embedded.js';
import type { RoomStore } from '../../server/store/room-store.js';

export interface TestServer {
  url: string;
  port: number;
  app: App;
  store: RoomStore;
  dataDir: string;
  close(): Promise<void>;
}

/** Budgets no test reaches by accident: a whole suite joins and reads from one address. */
export const UNMETERED_READS: ReadBudget = {
  seconds: 10,
  perIdentity: { requests: 1_000_000, bytes: 1e12 },
  perAddress: { requests: 1_000_000, bytes: 1e12 },
};

/**
 * The real server on port 0: real Socket.IO, the embedded store in a temp dir (or the store given),
 * the built client from dist/. Writes, reads and per-address budgets are not limited unless given (every
 * test connects from 127.0.0.1).
 */
export async function startTestServer(opts: Partial<AppDeps> & { dataDir?: string; staticDir?: string } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'debate-test-')));
  const store = opts.store ?? (await openEmbeddedStore({ dataDir }));
  const httpServer = createServer(staticHandler(opts.staticDir ?? 'dist'));
  const app = createApp(httpServer, {
    writeRate: { burst: 1_000_000, perSecond: 1_000_000 },
    connectionLimits: { maxPerAddress: 100_000, handshakes: { points: 1_000_000, seconds: 10 } },
    addressRules: UNLIMITED,
    readBudget: UNMETERED_READS,
    recordBudget: UNLIMITED_RECORDS,
    presenceIntervalMs: 50,
    ...opts,
    store,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    app,
    store,
    dataDir,
    async close() {
      await app.close();
      if (!opts.dataDir && !opts.store) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
