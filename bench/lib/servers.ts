import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './clock.js';
import { pinned } from './pinning.js';
import { cpuTicks, rssKb } from './procfs.js';

export type ServerKind = 'app' | 'baseline';

export interface ServerOptions {
  kind: ServerKind;
  /** App only: the Redis store (and adapter) instead of the embedded store. */
  redisUrl?: string;
  coalesceMs?: number;
  /** App with the embedded store: this data directory (kept when stopped) instead of a fresh temp one. */
  dataDir?: string;
  /** More environment for the server (e.g. ROOM_IDLE_EVICT_MS). */
  env?: Record<string, string>;
}

export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/**
 * The server under test as its own process, started the way `npm start` starts it (`node --import tsx`),
 * on a free port, pinned to the server core. The rate limiters, the per-address connection limits and
 * the read budget are opened wide: the benchmark measures throughput, not the limiters.
 */
export class ServerUnderTest {
  /** Every server not yet stopped, so an interrupted run can take them down with it. */
  static readonly live = new Set<ServerUnderTest>();
  /** What servers that died on their own printed last: the first thing to read when a run aborts. */
  static readonly crashes: string[] = [];
  private output = '';
  private dataDir: string | null = null;

  private constructor(readonly options: ServerOptions, readonly child: ChildProcess, readonly url: string) {}

  get pid(): number {
    return this.child.pid!;
  }

  get label(): string {
    const { kind, redisUrl, coalesceMs } = this.options;
    return kind === 'baseline' ? 'baseline' : `app${redisUrl ? '+redis' : ''}${coalesceMs ? `+coalesce${coalesceMs}` : ''}`;
  }

  static async start(options: ServerOptions): Promise<ServerUnderTest> {
    const dataDir = options.kind === 'app' && !options.redisUrl && !options.dataDir ? mkdtempSync(join(tmpdir(), 'debate-bench-')) : null;
    const entry = options.kind === 'app' ? 'server/index.ts' : 'bench/baseline-server.ts';
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      PORT: '0',
      HOST: '127.0.0.1',
      WRITE_BURST: '1000000',
      PER_ADDRESS_LIMITS: 'off',
      WRITES_PER_SECOND: '1000000',
      // Thousands of sockets from 127.0.0.1 by design: no per-address caps on sockets or handshakes.
      MAX_CONNECTIONS_PER_ADDRESS: '0',
      HANDSHAKES_PER_ADDRESS: '0',
      // Thousands of viewers join from this one address.
      READS_PER_ADDRESS: '1000000000',
      READ_MB_PER_ADDRESS: '1000000000',
      COALESCE_MS: String(options.coalesceMs ?? 0),
      // Asks for event-loop delay percentiles on SIGUSR2; honoured only by a server that announces it.
      LOOP_DELAY_STATS: '1',
      STATIC_DIR: join(tmpdir(), 'debate-bench-no-client'),
    };
    delete env.REDIS_URL;
    if (dataDir ?? options.dataDir) env.DATA_DIR = (dataDir ?? options.dataDir)!;
    Object.assign(env, options.env);
    if (options.redisUrl) env.REDIS_URL = options.redisUrl;
    // BENCH_SERVER_PROFILE_DIR=<dir>: a V8 CPU profile of each server, written when it stops.
    const profile = process.env.BENCH_SERVER_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROFILE_DIR}`] : [];
    const [command, ...args] = pinned('server', [process.execPath, ...profile, '--import', 'tsx', entry]);
    const child = spawn(command!, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${entry} did not start:\n${output}`)), 30_000);
      const onData = (chunk: Buffer) => {
        output += chunk;
        const match = /http:\/\/localhost:(\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${match[1]}`);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${entry} exited with ${code}:\n${output}`));
      });
    });
    const server = new ServerUnderTest(options, child, url);
    server.output = output;
    server.dataDir = dataDir;
    ServerUnderTest.live.add(server);
    child.once('exit', (code, signal) => {
      if (!ServerUnderTest.live.has(server)) return;
      ServerUnderTest.live.delete(server);
      ServerUnderTest.crashes.push(`${server.label} exited (${code ?? signal}):\n${server.output.slice(-2_000)}`);
    });
    child.stdout!.on('data', (chunk: Buffer) => (server.output += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (server.output += chunk));
    return server;
  }

  cpuTicks(): number {
    return cpuTicks(this.pid);
  }

  rssKb(): number {
    return rssKb(this.pid);
  }

  /** Everything the server printed (errors it logged end up in the report). */
  log(): string {
    return this.output;
  }

  /**
   * Event-loop delay since the last call, from a server that prints `loop-delay: SIGUSR2` at start and answers
   * SIGUSR2 with a `loop-delay {json}` line. Null for a server that does not: SIGUSR2 would kill it.
   */
  async loopDelay(): Promise<LoopDelay | null> {
    if (!this.output.includes('loop-delay: SIGUSR2')) return null;
    const before = this.output.length;
    this.child.kill('SIGUSR2');
    for (let i = 0; i < 40; i++) {
      await sleep(25);
      const match = /loop-delay (\{.*\})/.exec(this.output.slice(before));
      if (match) return JSON.parse(match[1]!) as LoopDelay;
    }
    return null;
  }

  async stop(): Promise<void> {
    ServerUnderTest.live.delete(this);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      // A profiled server writes its profile on a clean exit; anything else is killed outright.
      if (process.env.BENCH_SERVER_PROFILE_DIR) {
        this.child.kill('SIGTERM');
        await Promise.race([exited, sleep(10_000)]);
      }
      this.child.kill('SIGKILL');
      await exited;
    }
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** For an exit in a hurry: no waiting, just no orphans. */
  kill(): void {
    ServerUnderTest.live.delete(this);
    this.child.kill('SIGKILL');
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
