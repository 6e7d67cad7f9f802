import { rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { RoomEvent } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import { forEachLine } from './line-reader.js';
import { RoomLines, type RoomLine } from './room-lines.js';
import { syncDirectory } from './sync-directory.js';

export const CHECKPOINT_FILE = 'rooms.checkpoint';
/** 2: a small header line (`{"room","seq"}`) before each room's line, so opening indexes rooms without parsing their states. 1: the room lines alone. */
const VERSION = 2;
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
  /** Where each room's line sits in `file`: read back when the room is first used, not on opening. */
  rooms: Map<string, RoomLine>;
  file: RoomLines;
}

/** What a checkpoint is given of a room: its state to write, or a line saved before (unchanged since) to copy as it is. */
export type RoomToSave = CheckpointRoom | RoomLine;

/** Where each room went in a checkpoint just written, and what it was written from. */
export interface Placed {
  roomId: string;
  from: RoomToSave;
  offset: number;
  length: number;
  seq: number;
}

/**
 * Writes every room's durable state at `logOffset` to `<dataDir>/rooms.checkpoint`, atomically: a temp
 * file, fsynced, renamed over the old one, and the directory fsynced; a crash at any point leaves the old
 * checkpoint or the new one, never half of one. A header line, two lines per room (a small header, then
 * the room), and an end line. Each room is read (by `roomAt`) only when its turn comes, while writes go
 * on: its state then may be newer than `logOffset`, and its own seq says so. Resolves with the new file
 * open for reading and where each room is in it.
 */
export async function writeCheckpoint(
  dataDir: string,
  logOffset: number,
  roomIds: Iterable<string>,
  roomAt: (roomId: string) => RoomToSave | null,
): Promise<{ rooms: number; bytes: number; file: RoomLines; placed: Placed[] }> {
  const temp = join(dataDir, `${CHECKPOINT_FILE}.tmp`);
  const lines = await RoomLines.open(temp, 'w+', false);
  const file = lines.handle;
  const out = new ChunkedWriter(file);
  const placed: Placed[] = [];
  try {
    await out.add(`${JSON.stringify({ checkpoint: VERSION, logOffset, writtenAt: Date.now() })}\n`);
    for (const roomId of roomIds) {
      const room = roomAt(roomId);
      if (!room) continue;
      const seq = 'file' in room ? room.seq : room.state.seq;
      const body = 'file' in room ? await room.file.read(room) : JSON.stringify(room);
      await out.add(`${JSON.stringify({ room: roomId, seq })}\n`);
      const offset = out.bytes;
      await out.add(`${body}\n`);
      placed.push({ roomId, from: room, offset, length: out.bytes - offset - 1, seq });
    }
    await out.add(`${JSON.stringify({ end: true, rooms: placed.length })}\n`);
    await out.flush();
    await file.sync();
  } catch (error) {
    await lines.retire();
    await rm(temp, { force: true });
    throw error;
  }
  await rename(temp, join(dataDir, CHECKPOINT_FILE));
  await syncDirectory(dataDir);
  return { rooms: placed.length, bytes: out.bytes, file: lines, placed };
}

/**
 * The checkpoint in `dataDir`, indexed: where each room's line is, not the rooms themselves (a version 1
 * checkpoint is parsed through to find its seqs). Null when there is none; throws when it is unreadable
 * or incomplete.
 */
export async function readCheckpoint(dataDir: string): Promise<Checkpoint | null> {
  let file: RoomLines;
  try {
    file = await RoomLines.open(join(dataDir, CHECKPOINT_FILE), 'r', false);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const found = await indexRooms(file);
    return { ...found, file };
  } catch (error) {
    await file.retire();
    throw error;
  }
}

/** Every room of a checkpoint read through (for tests and tools: the store reads them one by one, when used). */
export async function readCheckpointRooms(checkpoint: Checkpoint): Promise<CheckpointRoom[]> {
  const rooms: CheckpointRoom[] = [];
  for (const line of checkpoint.rooms.values()) rooms.push(JSON.parse(await line.file.read(line)) as CheckpointRoom);
  return rooms;
}

async function indexRooms(lines: RoomLines): Promise<{ logOffset: number; rooms: Map<string, RoomLine> }> {
  let logOffset = -1;
  let version = 0;
  let ended = false;
  /** Version 2: the header of the room whose line comes next. */
  let next: { room: string; seq: number } | null = null;
  const rooms = new Map<string, RoomLine>();
  const handle = lines.handle;
  {
    const size = (await handle.stat()).size;
    await forEachLine(handle, 0, size, (line, offset) => {
      if (next) {
        rooms.set(next.room, { file: lines, offset, length: line.length, seq: next.seq });
        next = null;
        return;
      }
      const value = JSON.parse(line.toString('utf8'));
      if (offset === 0) {
        if ((value.checkpoint !== 1 && value.checkpoint !== VERSION) || !Number.isInteger(value.logOffset)) throw new Error('its first line is not a checkpoint header');
        version = value.checkpoint;
        logOffset = value.logOffset;
      } else if (value.end === true) {
        if (value.rooms !== rooms.size) throw new Error(`it ends after ${rooms.size} rooms, not ${value.rooms}`);
        ended = true;
        return false;
      } else if (version === 2) {
        if (typeof value.room !== 'string' || !Number.isInteger(value.seq)) throw new Error('a room header is malformed');
        next = value;
      } else {
        if (typeof value.roomId !== 'string' || !value.state || !Array.isArray(value.recent)) throw new Error('a room line is malformed');
        rooms.set(value.roomId, { file: lines, offset, length: line.length, seq: value.state.seq });
      }
    });
  }
  if (!ended) throw new Error('it has no end line (it is incomplete)');
  return { logOffset, rooms };
}

/** Gathers lines into ~1 MB writes; a short write goes on where it stopped. `bytes` counts what was added, written or not. */
class ChunkedWriter {
  private parts: Buffer[] = [];
  private pending = 0;
  private flushed = 0;

  constructor(private readonly file: FileHandle) {}

  get bytes(): number {
    return this.flushed + this.pending;
  }

  async add(text: string): Promise<void> {
    const bytes = Buffer.from(text);
    this.parts.push(bytes);
    this.pending += bytes.length;
    if (this.pending >= WRITE_CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    const bytes = Buffer.concat(this.parts);
    this.parts = [];
    this.pending = 0;
    for (let written = 0; written < bytes.length; ) {
      const { bytesWritten } = await this.file.write(bytes, written, bytes.length - written, this.flushed + written);
      if (bytesWritten <= 0) throw new Error('the disk took no more bytes');
      written += bytesWritten;
    }
    this.flushed += bytes.length;
  }
}
