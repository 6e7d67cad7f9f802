import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { RoomEvent } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import { forEachLine } from './line-reader.js';
import { syncDirectory } from './sync-directory.js';

export const CHECKPOINT_FILE = 'rooms.checkpoint';
const VERSION = 1;
const WRITE_CHUNK = 1 << 20;

/** One room as a checkpoint holds it: enough to go on without reading its history. */
export interface CheckpointRoom {
  roomId: string;
  /** Where the room's opening line sits in the log (older history is read from there). */
  firstOffset: number;
  /** Its durable state, whose `seq` says which events it holds. */
  state: RoomState;
  /** Its last events, for catch-up. */
  recent: RoomEvent[];
}

export interface Checkpoint {
  /** Every event before this log offset is in the checkpoint; the log is replayed from here. */
  logOffset: number;
  rooms: CheckpointRoom[];
}

/**
 * Writes every room's durable state at `logOffset` to `<dataDir>/rooms.checkpoint`, atomically: a temp
 * file, fsynced, renamed over the old one, and the directory fsynced; a crash at any point leaves the old
 * checkpoint or the new one, never half of one. A header line, one JSON line per room, and an end line.
 * Each room is read (by `roomAt`) only when its turn comes, while writes go on: its state then may be
 * newer than `logOffset`, and its own seq says so.
 */
export async function writeCheckpoint(
  dataDir: string,
  logOffset: number,
  roomIds: string[],
  roomAt: (roomId: string) => CheckpointRoom | null,
): Promise<{ rooms: number; bytes: number }> {
  const temp = join(dataDir, `${CHECKPOINT_FILE}.tmp`);
  const file = await open(temp, 'w');
  const out = new ChunkedWriter(file);
  let rooms = 0;
  try {
    await out.add(`${JSON.stringify({ checkpoint: VERSION, logOffset, writtenAt: Date.now() })}\n`);
    for (const roomId of roomIds) {
      const room = roomAt(roomId);
      if (!room) continue;
      await out.add(`${JSON.stringify(room)}\n`);
      rooms++;
    }
    await out.add(`${JSON.stringify({ end: true, rooms })}\n`);
    await out.flush();
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  await rename(temp, join(dataDir, CHECKPOINT_FILE));
  await syncDirectory(dataDir);
  return { rooms, bytes: out.bytes };
}

/** The checkpoint in `dataDir`; null when there is none. Throws when it is unreadable or incomplete. */
export async function readCheckpoint(dataDir: string): Promise<Checkpoint | null> {
  let file: FileHandle;
  try {
    file = await open(join(dataDir, CHECKPOINT_FILE), 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let logOffset = -1;
  let ended = false;
  const rooms: CheckpointRoom[] = [];
  try {
    const size = (await file.stat()).size;
    await forEachLine(file, 0, size, (line, offset) => {
      const value = JSON.parse(line.toString('utf8'));
      if (offset === 0) {
        if (value.checkpoint !== VERSION || !Number.isInteger(value.logOffset)) throw new Error('its first line is not a checkpoint header');
        logOffset = value.logOffset;
      } else if (value.end === true) {
        if (value.rooms !== rooms.length) throw new Error(`it ends after ${rooms.length} rooms, not ${value.rooms}`);
        ended = true;
        return false;
      } else {
        if (typeof value.roomId !== 'string' || !value.state || !Array.isArray(value.recent)) throw new Error('a room line is malformed');
        rooms.push(value as CheckpointRoom);
      }
    });
  } finally {
    await file.close();
  }
  if (!ended) throw new Error('it has no end line (it is incomplete)');
  return { logOffset, rooms };
}

/** Gathers lines into ~1 MB writes; a short write goes on where it stopped. */
class ChunkedWriter {
  private parts: string[] = [];
  private pending = 0;
  bytes = 0;

  constructor(private readonly file: FileHandle) {}

  async add(text: string): Promise<void> {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= WRITE_CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    const bytes = Buffer.from(this.parts.join(''));
    this.parts = [];
    this.pending = 0;
    for (let written = 0; written < bytes.length; ) {
      const { bytesWritten } = await this.file.write(bytes, written, bytes.length - written, this.bytes + written);
      if (bytesWritten <= 0) throw new Error('the disk took no more bytes');
      written += bytesWritten;
    }
    this.bytes += bytes.length;
  }
}
