import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AppError } from '../../shared/errors.js';
import type { EventDraft, RoomEvent } from '../../shared/room-events.js';
import { applyEvent, type RoomState } from '../../shared/room-state.js';
import { roomEpoch, type Appended, type Decide, type RoomStore } from './room-store.js';
import { CHECKPOINT_FILE, readCheckpoint, type Checkpoint } from './checkpoint.js';
import { Checkpointer } from './checkpointer.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { GroupCommitLog } from './group-commit-log.js';
import { readHistory } from './history.js';
import { replayLog } from './log-replay.js';
import { recentSince, rememberEvent, settledOne, storedRoom, untilIdle, type StoredRoom } from './stored-room.js';

const LOG_FILE = 'rooms.log';
const DEFAULT_CHECKPOINT_EVERY_BYTES = 64 << 20;

interface EmbeddedStoreOptions {
  dataDir: string;
  /** Write a checkpoint after this many bytes of log (and on close): a restart replays at most about this much. */
  checkpointEveryBytes?: number;
}

const unsaved = () =>
  new AppError('UNAVAILABLE', 'The server could not save that just now (its disk may be full), so nothing changed; try again in a moment.');

/**
 * The default store: every room's state and recent events in memory, every event appended as one JSON
 * line `[roomId, event]` to `<dataDir>/rooms.log`, wholly written and fsynced (in groups) before it is
 * applied, acknowledged or served. A checkpoint (`rooms.checkpoint`) holds every room's state at a log
 * offset, so opening reads the checkpoint and only the log after it. The log keeps all history; events
 * older than what catch-up needs are read back from it when asked for.
 */
export async function openEmbeddedStore(opts: EmbeddedStoreOptions): Promise<RoomStore> {
  await mkdir(opts.dataDir, { recursive: true });
  const lock = await lockDataDir(opts.dataDir);
  try {
    return await openLocked(opts, lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function openLocked(opts: EmbeddedStoreOptions, lock: DataDirLock): Promise<RoomStore> {
  const started = performance.now();
  const { dataDir } = opts;
  const everyBytes = opts.checkpointEveryBytes ?? DEFAULT_CHECKPOINT_EVERY_BYTES;
  const path = join(dataDir, LOG_FILE);
  await (await open(path, 'a')).close();
  await rm(join(dataDir, `${CHECKPOINT_FILE}.tmp`), { force: true });

  const rooms = new Map<string, StoredRoom>();
  const checkpoint = await usableCheckpoint(dataDir, path);
  const checkpointSeqs = new Map<string, number>();
  for (const room of checkpoint?.rooms ?? []) {
    rooms.set(room.roomId, storedRoom(room.state, room.firstOffset, room.recent));
    checkpointSeqs.set(room.roomId, room.state.seq);
  }
  const replayed = await replayLog(path, checkpoint?.logOffset ?? 0, rooms, checkpointSeqs);
  const log = await GroupCommitLog.open(path, replayed.end);
  const reader = await open(path, 'r');
  const checkpoints = new Checkpointer(dataDir, rooms, log, everyBytes, checkpoint?.logOffset ?? 0);
  if (replayed.bytes >= everyBytes) checkpoints.start();
  const ms = performance.now() - started;
  // A sizeable store says how it opened (quiet for the many small ones tests open).
  if (ms >= 1_000 || replayed.end >= 16 << 20) {
    const from = checkpoint ? `the checkpoint at ${mb(checkpoint.logOffset)}, then` : 'no checkpoint,';
    console.log(`[embedded store] opened ${rooms.size} rooms in ${Math.round(ms)} ms: ${from} ${mb(replayed.bytes)} of the ${mb(replayed.end)} log replayed.`);
  }

  let closed = false;

  function write(roomId: string, room: StoredRoom | undefined, draft: EventDraft): Promise<Appended> {
    const target = room ?? storedRoom(null, -1);
    if (!room) rooms.set(roomId, target);
    // Decided on the speculative state (the in-flight writes included); the committed one changes only once durable.
    const base = target.speculative ?? (target.committed && structuredClone(target.committed));
    const event = { ...draft, seq: (base?.seq ?? 0) + 1, at: draft.at ?? Date.now() } as RoomEvent;
    const line = `${JSON.stringify([roomId, event])}\n`;
    target.speculative = applyEvent(base, structuredClone(event));
    target.inFlight++;
    return new Promise((resolve, reject) => {
      log.write(line, (error, offset) => {
        settledOne(target);
        if (error) {
          // Everything in flight failed with it (the log fails the queue behind a failed batch): start again from what is durable.
          target.speculative = null;
          target.rollbacks++;
          if (!target.committed && target.inFlight === 0 && rooms.get(roomId) === target) rooms.delete(roomId);
          reject(unsaved());
          return;
        }
        target.committed = applyEvent(target.committed, event);
        if (event.seq === 1) target.firstOffset = offset;
        rememberEvent(target, event);
        checkpoints.appended(Buffer.byteLength(line));
        resolve({ event, state: target.committed, epoch: epochOf(target) });
      });
    });
  }

  /** Events since `since`, from memory where it holds them, else read back from the log. */
  async function eventsFrom(room: StoredRoom, roomId: string, since: number, limit: number): Promise<RoomEvent[]> {
    const events: RoomEvent[] = [];
    let after = since;
    while (events.length < limit && after < room.committed!.seq) {
      const oldestHeld = room.recent[0]?.seq ?? Infinity;
      if (after + 1 >= oldestHeld) {
        events.push(...recentSince(room.recent, after, limit - events.length));
        break;
      }
      const upTo = Math.min(after + limit - events.length, oldestHeld - 1);
      const older = await readHistory(reader, roomId, room.firstOffset, log.durableEnd, after, upTo);
      events.push(...older);
      // A file that does not hold them (it never should): answer with what there is.
      after = older.at(-1)?.seq ?? upTo;
    }
    return events;
  }

  return {
    async load(roomId) {
      return rooms.get(roomId)?.committed ?? null;
    },

    async append(roomId, decide: Decide): Promise<Appended> {
      for (;;) {
        if (closed) throw new AppError('UNAVAILABLE', 'The server is shutting down; try again in a moment.');
        const room = rooms.get(roomId);
        const draft = decide(room ? (room.speculative ?? room.committed) : null);
        if (draft) return write(roomId, room, draft);
        if (!room || room.inFlight === 0) return { event: null, state: room?.committed ?? null, epoch: epochOf(room) };
        // Nothing to do, judged on writes still in flight: answer once they are durable, or decide again if they failed.
        const rollbacks = room.rollbacks;
        await untilIdle(room);
        if (room.rollbacks === rollbacks) return { event: null, state: room.committed, epoch: epochOf(room) };
      }
    },

    async eventsSince(roomId, since, limit) {
      const room = rooms.get(roomId);
      if (!room?.committed) return null;
      return eventsFrom(room, roomId, since, limit);
    },

    epoch: async (roomId) => epochOf(rooms.get(roomId)),

    async close() {
      if (closed) return;
      closed = true;
      await log.drain();
      await checkpoints.finish();
      await log.close();
      await reader.close();
      await lock.release();
    },
  };
}

/** Its log cannot lose acknowledged history short of damage: one epoch per room, from how it opened. */
const epochOf = (room: { committed: RoomState | null } | undefined) => (room?.committed ? roomEpoch(room.committed.room) : null);

/** The checkpoint, when there is one that fits the log; else null (and why, loudly): the whole log is replayed. */
async function usableCheckpoint(dataDir: string, logPath: string): Promise<Checkpoint | null> {
  let checkpoint: Checkpoint | null;
  try {
    checkpoint = await readCheckpoint(dataDir);
  } catch (error) {
    console.error(`[embedded store] ignoring ${join(dataDir, CHECKPOINT_FILE)}: ${(error as Error).message}. Replaying the whole log instead.`);
    return null;
  }
  if (!checkpoint || checkpoint.logOffset === 0) return checkpoint;
  const file: FileHandle = await open(logPath, 'r');
  try {
    const size = (await file.stat()).size;
    const before = Buffer.alloc(1);
    if (checkpoint.logOffset <= size) await file.read(before, 0, 1, checkpoint.logOffset - 1);
    if (checkpoint.logOffset <= size && before[0] === 0x0a) return checkpoint;
    console.error(
      `[embedded store] ignoring ${join(dataDir, CHECKPOINT_FILE)}: it was taken at byte ${checkpoint.logOffset} of ${logPath}, ` +
        `which ${checkpoint.logOffset > size ? `has only ${size} bytes` : 'has no line end there'}. Replaying the whole log instead.`,
    );
    return null;
  } finally {
    await file.close();
  }
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
