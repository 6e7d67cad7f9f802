import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nanoid } from 'nanoid';
import { sleep } from '../lib/clock.js';
import { generateBigRoom, generateLog } from '../lib/history-log.js';
import { idleHeap } from '../lib/idle-heap.js';
import { must, openRooms, startOn, stopGracefully, timedJoin, type Started } from '../lib/history-steps.js';
import { waitForQuiet } from '../lib/machine.js';
import { RawSocket } from '../lib/raw-socket.js';
import type { Scenario } from '../lib/scenario.js';
import { distribution, round } from '../lib/stats.js';
import type { HistoryResult } from '../report/types.js';

/**
 * Sizes per mode: full follows the issue (100k and 1M events, a 50,000-post room) but opens 50,000 idle rooms,
 * not 10,000: RSS wanders by ±15 MB from run to run, which at 10,000 rooms is ±1.5 KB a room, as much as
 * an evicted room costs (four runs at 10,000 read −1.6 to 3.4 KB).
 */
const SIZES = {
  full: { logs: [100_000, 1_000_000], logRooms: 1_000, idleRooms: 50_000, quietMs: 25_000, bigRoomPosts: 50_000, joins: 200 },
  // Quick checks delivery, not memory: no long quiet for the idle collector.
  quick: { logs: [5_000, 20_000], logRooms: 100, idleRooms: 300, quietMs: 2_000, bigRoomPosts: 2_000, joins: 30 },
};
/** Short, so the bench need not wait minutes: the sweep is the same at any idle time. */
const IDLE_EVICT_MS = 2_000;

const figures = (started: Started) => ({ wallMs: round(started.wallMs, 0)!, storeMs: started.storeMs, rssMb: round(started.rssMb, 1)! });

/**
 * Cost against history: a server's start and its memory should follow the rooms in use, not the log's
 * length or every room ever opened. Logs of each size are written directly (as the store writes them),
 * opened once (the whole log replayed: no checkpoint yet), stopped as a deploy stops it (a checkpoint), and
 * opened again: the restart. Idle rooms: opened through sockets, left, then measured with eviction on and
 * off (the baseline, in the same run), by RSS and by the heap after a full collection. A big room: joins right after a write, and between writes.
 */
export const scenario: Scenario = {
  name: 'history',
  async run(ctx) {
    const sizes = SIZES[ctx.plan.mode];
    await waitForQuiet(ctx.plan.quietMs);
    const result: HistoryResult = { empty: figures(await startEmpty()), logs: [], idleRooms: [], idleHeap: [], bigRoom: null };
    ctx.results.history = result;
    for (const events of sizes.logs) {
      result.logs.push(await restartAfter(events, sizes.logRooms));
      ctx.log(`history: ${events} events: restart ${result.logs.at(-1)!.restart.wallMs} ms, ${result.logs.at(-1)!.restart.rssMb} MB`);
    }
    for (const evictMs of [0, IDLE_EVICT_MS]) {
      result.idleRooms.push(await idleRooms(sizes.idleRooms, evictMs, sizes.quietMs));
      ctx.log(`history: ${sizes.idleRooms} idle rooms, eviction ${evictMs || 'off'}: ${result.idleRooms.at(-1)!.kbPerRoom} KB per room`);
      result.idleHeap.push(await idleHeap(sizes.idleRooms, evictMs));
      ctx.log(`history: heap per idle room, eviction ${evictMs || 'off'}: ${result.idleHeap.at(-1)!.idleKbPerRoom} KB`);
    }
    result.bigRoom = await bigRoomJoins(sizes.bigRoomPosts, sizes.joins);
    ctx.log(`history: joins into a ${sizes.bigRoomPosts}-post room after a write: p99 ${result.bigRoom.afterWrite.p99} ms`);
  },
};

async function startEmpty(): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'debate-history-empty-'));
  try {
    const started = await startOn(dataDir);
    await started.server.stop();
    return started;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function restartAfter(events: number, rooms: number): Promise<HistoryResult['logs'][number]> {
  const log = generateLog({ rooms, events });
  try {
    const first = await startOn(log.dataDir);
    await stopGracefully(first.server);
    const restart = await startOn(log.dataDir);
    try {
      // The first join into a room that is not in memory reads it back from the checkpoint.
      const cold = await timedJoin(restart.server.url, log.roomIds[rooms >> 1]!);
      return { events: log.events, rooms, logMb: round(log.bytes / 2 ** 20, 1)!, firstOpen: figures(first), restart: figures(restart), coldJoinMs: round(cold.ms, 1)! };
    } finally {
      await restart.server.stop();
    }
  } finally {
    rmSync(log.dataDir, { recursive: true, force: true });
  }
}

const settleMs = (evictMs: number, quietMs: number) => Math.max(evictMs, 1_000) * 2 + quietMs;

async function idleRooms(count: number, evictMs: number, quietMs: number): Promise<HistoryResult['idleRooms'][number]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'debate-history-idle-'));
  try {
    const started = await startOn(dataDir, { ROOM_IDLE_EVICT_MS: String(evictMs) });
    let restartKbPerRoom: number | null = null;
    try {
      // Warm the paths first, so code loaded and compiled is not charged to the rooms.
      await openRooms(started.server.url, 50, 4);
      // As long a quiet as before "after" below, so that both readings are of a settled heap.
      await sleep(settleMs(evictMs, quietMs));
      const before = started.server.rssKb();
      const t0 = Date.now();
      await openRooms(started.server.url, count);
      const openMs = Date.now() - t0;
      // Idle past the eviction time and a sweep or two, past the read budgets' 10 s windows (each identity's
      // counts are kept that long, whatever the rooms) and the idle collector's second look after 10 s of
      // quiet: what stays is what the rooms cost.
      await sleep(settleMs(evictMs, quietMs));
      const after = started.server.rssKb();
      if (evictMs > 0) {
        await stopGracefully(started.server);
        const again = await startOn(dataDir, { ROOM_IDLE_EVICT_MS: String(evictMs) });
        await again.server.stop();
        restartKbPerRoom = round(((again.rssMb - started.rssMb) * 1024) / (count + 50), 2);
      }
      return { rooms: count, evictMs, openMs, rssBeforeMb: round(before / 1024, 1)!, rssAfterMb: round(after / 1024, 1)!, kbPerRoom: round((after - before) / count, 2)!, restartKbPerRoom };
    } finally {
      await started.server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function bigRoomJoins(posts: number, joins: number): Promise<NonNullable<HistoryResult['bigRoom']>> {
  const log = generateBigRoom(posts);
  const roomId = log.roomIds[0]!;
  try {
    await stopGracefully((await startOn(log.dataDir)).server);
    const started = await startOn(log.dataDir);
    try {
      const cold = await timedJoin(started.server.url, roomId);
      const host = await RawSocket.open(started.server.url, 60_000);
      await must(host, 'room:join', { roomId, role: 'participant', name: 'Host', token: log.hostToken });
      const afterWrite: number[] = [];
      const noWrite: number[] = [];
      let bytes = 0;
      for (let i = 0; i < joins; i++) {
        await must(host, 'post:create', { id: nanoid(), parentId: null, body: `A new argument, number ${i}, as the room goes on.` });
        const joined = await timedJoin(started.server.url, roomId);
        afterWrite.push(joined.ms);
        noWrite.push((await timedJoin(started.server.url, roomId)).ms);
        bytes = joined.bytes;
      }
      host.terminate();
      return { posts, coldJoinMs: round(cold.ms, 1)!, afterWrite: distribution(afterWrite), noWrite: distribution(noWrite), snapshotBytes: bytes };
    } finally {
      await started.server.stop();
    }
  } finally {
    rmSync(log.dataDir, { recursive: true, force: true });
  }
}
