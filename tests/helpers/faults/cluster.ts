// A deployment of the test's own on loopback: one redis-server on a free port in a temp dir, and server
// nodes as child processes (`node server/index.ts`, as `npm start` runs them) pointed at it. Everything
// here kills only what it started.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createClient } from 'redis';
import { openRedisStore, type RedisRoomStore } from '../../../server/store/redis.js';
import { spawnServer, type ServerProcess } from '../process.js';
import { FSYNC_ALWAYS, freePort, redisServerAvailable, startPrivateRedis, type PrivateRedis } from '../redis.js';

/** What Redis keeps across a crash. */
export const PERSISTENCE = {
  /** Every write fsynced before Redis answers it: nothing acknowledged is lost. */
  always: FSYNC_ALWAYS,
  /** Fsynced once a second: up to a second of writes may be lost. */
  everysec: ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
  /** No append-only file, an RDB snapshot every second with changes (Debian's default saves far less often). */
  snapshots: ['--appendonly', 'no', '--save', '1 1'],
} as const;

export interface Node {
  name: string;
  port: number;
  url: string;
  process: ServerProcess;
}

export interface Cluster {
  redis: PrivateRedis;
  nodes: Node[];
  /** Starts (or restarts, on the same port) node i. */
  startNode(i: number): Promise<Node>;
  /** A store of the test's own on the cluster's Redis, to read the log as it is (opened on first use). */
  reader(): Promise<RedisRoomStore>;
  /** Runs one command on the cluster's Redis (for SAVE, INFO …). */
  command(args: string[]): Promise<unknown>;
  /** True while every node process is alive. */
  allAlive(): boolean;
  dispose(): Promise<void>;
}

export const faultsAvailable = redisServerAvailable();

const KEY_PREFIX = 'debate:';

export async function startCluster(opts: { nodes: number; persistence?: keyof typeof PERSISTENCE; env?: Record<string, string> }): Promise<Cluster> {
  const redis = await startPrivateRedis(undefined, [...PERSISTENCE[opts.persistence ?? 'always']]);
  const ports = await Promise.all(Array.from({ length: opts.nodes }, () => freePort()));
  const nodes: Node[] = [];
  let reader: RedisRoomStore | null = null;

  async function startNode(i: number): Promise<Node> {
    const process = await spawnServer({
      REDIS_URL: redis.url,
      PORT: String(ports[i]),
      STATIC_DIR: join(tmpdir(), 'no-client-here'),
      WRITE_BURST: '100000',
      WRITES_PER_SECOND: '100000',
      ...opts.env,
    });
    const node = { name: `node ${i + 1}`, port: ports[i]!, url: process.url, process };
    nodes[i] = node;
    return node;
  }

  try {
    for (let i = 0; i < opts.nodes; i++) await startNode(i);
  } catch (error) {
    await Promise.allSettled(nodes.map((node) => node.process.kill()));
    await redis.dispose();
    throw error;
  }

  return {
    redis,
    nodes,
    startNode,
    async reader() {
      reader ??= await openRedisStore({ url: redis.url, keyPrefix: KEY_PREFIX });
      return reader;
    },
    async command(args) {
      const client = createClient({ url: redis.url, socket: { reconnectStrategy: false } });
      client.on('error', () => {});
      await client.connect();
      try {
        return await client.sendCommand(args);
      } finally {
        client.destroy();
      }
    },
    allAlive: () => nodes.every((node) => node.process.child.exitCode === null && node.process.child.signalCode === null),
    async dispose() {
      redis.thaw();
      await reader?.close().catch(() => {});
      await Promise.allSettled(nodes.map((node) => node.process.kill()));
      await redis.dispose();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds; throws with `what` after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, ms = 20_000, every = 50, why?: () => Promise<string> | string): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`Timed out after ${ms} ms waiting for ${what}${why ? `:\n${await why()}` : ''}`);
    await sleep(every);
  }
}
