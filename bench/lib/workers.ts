import { spawn, type ChildProcess } from 'node:child_process';
import { cpuTicks } from './procfs.js';
import { pinned } from './pinning.js';

type Handlers = Record<string, (args: any) => unknown>;
interface Request { id: number; cmd: string; args: unknown }
interface Reply { id: number; ok: boolean; value?: unknown; error?: string }

/**
 * A load generator in its own process, driven by request/reply over the IPC channel. Generators run on the
 * other core than the server (when taskset exists), so their cost never shows up as the server's.
 */
export class WorkerProcess<H extends Handlers> {
  private nextId = 1;
  private waiting = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  private constructor(readonly name: string, readonly child: ChildProcess) {
    child.on('message', (message: Reply) => {
      const waiter = this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(`${name}: ${message.error}`));
    });
    child.on('exit', (code, signal) => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`${name} exited (${code ?? signal})`));
      this.waiting.clear();
    });
  }

  static start<H extends Handlers>(name: string, script: string): WorkerProcess<H> {
    // taskset execs node in place, so the IPC descriptor and NODE_CHANNEL_FD pass straight through.
    // BENCH_PROFILE_DIR=<dir> profiles the generators (written when the orchestrator exits cleanly).
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
    const [command, ...args] = pinned('generator', [process.execPath, ...profile, '--import', 'tsx', script]);
    const child = spawn(command!, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new WorkerProcess<H>(name, child);
  }

  call<C extends keyof H & string>(cmd: C, args?: Parameters<H[C]>[0]): Promise<Awaited<ReturnType<H[C]>>> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.waiting.set(id, { resolve, reject });
      this.child.send({ id, cmd, args } satisfies Request);
    });
  }

  cpuTicks(): number {
    return this.child.pid ? cpuTicks(this.child.pid) : 0;
  }

  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** The worker side: answers each request with what its handler returns (or throws). */
export function serve(handlers: Handlers): void {
  process.on('message', async (message: Request) => {
    let reply: Reply;
    try {
      const handler = handlers[message.cmd];
      if (!handler) throw new Error(`unknown command ${message.cmd}`);
      reply = { id: message.id, ok: true, value: await handler(message.args) };
    } catch (error) {
      reply = { id: message.id, ok: false, error: (error as Error).stack ?? String(error) };
    }
    process.send!(reply);
  });
  // The orchestrator going away (a crash, Ctrl-C) must not leave thousands of sockets behind.
  process.on('disconnect', () => process.exit(0));
}
