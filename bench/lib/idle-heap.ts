/**
 * Run as its own process with --expose-gc (see idleHeap below): the app in this process, `count` rooms
 * opened through sockets and left, and the heap in use after full collections, before and after they
 * sat idle. RSS cannot tell what idle rooms cost once they are let go (V8 keeps the pages it grew into);
 * the heap after a full collection can. Prints one JSON line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './clock.js';

export interface IdleHeap {
  rooms: number;
  evictMs: number;
  /** Heap in use per room right after they were opened (some already evicted when eviction is on). */
  heldKbPerRoom: number;
  /** The same once they sat idle past the eviction time and the read budgets' windows. */
  idleKbPerRoom: number;
}

/** Runs this file in a child process (--expose-gc) and returns what it measured. */
export function idleHeap(rooms: number, evictMs: number): Promise<IdleHeap> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), String(rooms), String(evictMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const line = out.split('\n').find((text) => text.startsWith('{"rooms"'));
      if (code === 0 && line) resolve(JSON.parse(line) as IdleHeap);
      else reject(new Error(`idle-heap exited with ${code}: ${out.slice(-500)}`));
    });
  });
}

async function measure(rooms: number, evictMs: number): Promise<IdleHeap> {
  const { createApp } = await import('../../server/app.js');
  const { openEmbeddedStore } = await import('../../server/store/embedded.js');
  const { UNLIMITED } = await import('../../server/address-limits.js');
  const { openRooms } = await import('./history-steps.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'debate-idle-heap-'));
  const store = await openEmbeddedStore({ dataDir });
  const http = createServer();
  const app = createApp(http, {
    store,
    roomIdleEvictMs: evictMs,
    writeRate: { burst: 1e9, perSecond: 1e9 },
    addressRules: UNLIMITED,
    connectionLimits: { maxPerAddress: 0, handshakes: { points: 0, seconds: 10 } },
    readBudget: { seconds: 10, perIdentity: { requests: 1e9, bytes: 1e15 }, perAddress: { requests: 1e9, bytes: 1e15 } },
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const gc = (globalThis as { gc?: () => void }).gc!;
  const heapKb = () => {
    for (let i = 0; i < 4; i++) gc();
    return process.memoryUsage().heapUsed / 1024;
  };
  try {
    await openRooms(url, 50, 4);
    await sleep(evictMs * 2 + 11_000);
    const before = heapKb();
    await openRooms(url, rooms);
    const held = heapKb();
    await sleep(Math.max(evictMs, 1_000) * 2 + 11_000);
    const idle = heapKb();
    const perRoom = (kb: number) => Number(((kb - before) / rooms).toFixed(2));
    return { rooms, evictMs, heldKbPerRoom: perRoom(held), idleKbPerRoom: perRoom(idle) };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await measure(Number(process.argv[2]), Number(process.argv[3]));
  console.log(JSON.stringify(result));
  process.exit(0);
}
