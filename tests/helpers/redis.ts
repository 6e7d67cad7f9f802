import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';

export const REDIS_SERVER_BIN = '/usr/bin/redis-server';

export function redisUrlForTests(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** CI sets REQUIRE_REDIS=1: there a missing Redis fails the Redis tests instead of skipping them. */
export function redisRequired(): boolean {
  return process.env.REQUIRE_REDIS === '1';
}

/** A key prefix no other run or test uses, so tests never collide and can delete what they wrote. */
export function uniqueKeyPrefix(): string {
  return `test:${randomUUID().slice(0, 8)}:`;
}

/** Null when Redis answers PING at `url`, else why not. Never retries: this only decides whether to run. */
export async function redisUnreachableReason(url = redisUrlForTests()): Promise<string | null> {
  const client = createClient({ url, socket: { connectTimeout: 1_000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (err) {
    return `Redis at ${url} is unreachable (${(err as Error).message || String(err)})`;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

/**
 * Decides, once per test file, whether its Redis tests run: `describe.skipIf(gate.skip)`. When Redis is
 * required but missing, `gate.failure` is set and the file should register a failing test with it.
 */
export async function redisTestGate(url = redisUrlForTests()): Promise<{ skip: boolean; failure: string | null }> {
  const reason = await redisUnreachableReason(url);
  if (!reason) return { skip: false, failure: null };
  if (redisRequired()) return { skip: true, failure: `${reason}, and REQUIRE_REDIS=1.` };
  return { skip: true, failure: null };
}

/** Deletes every key under `prefix` (a prefix from uniqueKeyPrefix, so free of glob characters). */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length > 0) await client.del(keys);
    }
  } finally {
    client.destroy();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server of the test's own: its port, its data directory, and nothing shared with anyone. */
export interface PrivateRedis {
  url: string;
  port: number;
  dir: string;
  /** SIGKILL: no shutdown, no final save; only what was fsynced survives. */
  kill(): Promise<void>;
  /** Starts again on the same port and directory. */
  restart(): Promise<void>;
  /** SIGSTOP: a frozen Redis keeps its connections open and answers nothing. */
  freeze(): void;
  /** SIGCONT after freeze(). */
  thaw(): void;
  /** Kills it (if running) and removes its directory. */
  dispose(): Promise<void>;
}

/** What a private Redis keeps across a crash: the default is an fsync-always append-only file and no RDB snapshots. */
export const FSYNC_ALWAYS = ['--appendonly', 'yes', '--appendfsync', 'always', '--save', ''];

/** Starts redis-server with the given persistence settings (default: FSYNC_ALWAYS), in a fresh temp dir. */
export async function startPrivateRedis(bin = REDIS_SERVER_BIN, persistence: string[] = FSYNC_ALWAYS): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-test-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  async function start(): Promise<void> {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...persistence];
    args.push('--daemonize', 'no', '--protected-mode', 'no');
    const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}):\n${output}`));
      });
    });
  }

  async function kill(): Promise<void> {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  }

  await start();
  return {
    url,
    port,
    dir,
    kill,
    restart: start,
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    async dispose() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function redisServerAvailable(bin = REDIS_SERVER_BIN): boolean {
  return existsSync(bin);
}
