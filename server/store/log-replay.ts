import { open } from 'node:fs/promises';
import type { RoomEvent } from '../../shared/room-events.js';
import { applyEvent } from '../../shared/room-state.js';
import { forEachLine } from './line-reader.js';
import { moveTailAside } from './move-aside.js';
import { RecentLines } from './recent-lines.js';
import { storedRoom, type StoredRoom } from './stored-room.js';

interface Replayed {
  /** The size of the log once replayed: where its good lines end, and where appending goes on. */
  end: number;
  /** Bytes of log read and applied. */
  bytes: number;
}

/**
 * Folds the log from `from` (0, or a checkpoint's offset) into `rooms`, reading it a chunk at a time.
 * `checkpointSeqs` are the seqs the checkpoint already holds per room: the checkpoint was written while
 * writes went on, so the log just past its offset may repeat events it has; those are skipped.
 *
 * A torn last line (a crash mid-write: never acknowledged) is cut off. Anything else that is wrong (a line
 * that is not JSON, not a `[roomId, event]`, or whose seq is not the room's next: a duplicate from a second
 * process on the same log, or a gap) stops the replay there: the store starts from what is good, and the
 * rest of the file is moved aside, loudly, for a person to look at.
 */
export async function replayLog(path: string, from: number, rooms: Map<string, StoredRoom>, checkpointSeqs: Map<string, number>): Promise<Replayed> {
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    const recent = new RecentLines();
    let problem = '';
    let lineNumber = 0;
    const read = await forEachLine(file, from, size, (line, offset) => {
      lineNumber++;
      problem = applyLine(line, offset, rooms, checkpointSeqs, recent);
      return problem === '';
    });
    await recent.load(file);
    if (read.stopped || read.overlong) {
      const what = read.overlong ? 'holds a line longer than any event' : problem;
      const where = from === 0 ? `line ${lineNumber}` : `line ${lineNumber} after the checkpoint`;
      await moveTailAside(path, read.end, size, `${where} (byte ${read.end}) ${what}`);
    } else if (read.tornBytes > 0) {
      await cutTornLine(path, read.end);
      console.error(`[embedded store] cut off a torn last line (${read.tornBytes} bytes) of ${path}: a write that never finished, so never acknowledged.`);
    }
    return { end: read.end, bytes: read.end - from };
  } finally {
    await file.close();
  }
}

async function cutTornLine(path: string, end: number): Promise<void> {
  const file = await open(path, 'r+');
  try {
    await file.truncate(end);
    await file.datasync();
  } finally {
    await file.close();
  }
}

/** Applies one log line; returns '' when it was good, else what is wrong with it. */
function applyLine(line: Buffer, offset: number, rooms: Map<string, StoredRoom>, checkpointSeqs: Map<string, number>, recent: RecentLines): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.toString('utf8'));
  } catch {
    return 'is not valid JSON';
  }
  if (!isLogLine(parsed)) return 'is not a [roomId, event] line';
  const [roomId, event] = parsed;
  const room = rooms.get(roomId);
  if (!room?.committed) {
    if (event.seq !== 1 || event.type !== 'room.opened') return `starts room ${roomId} at seq ${event.seq} (${event.type}) instead of with its opening`;
    const opened = storedRoom(applyEvent(null, event), offset);
    rooms.set(roomId, opened);
    recent.add(opened, offset, line.length);
    return '';
  }
  const state = room.committed;
  if (event.seq <= state.seq && state.seq === checkpointSeqs.get(roomId)) return '';
  if (event.seq !== state.seq + 1) {
    return event.seq <= state.seq
      ? `repeats seq ${event.seq} of room ${roomId}, which is already at seq ${state.seq} (a second process writing the same log?)`
      : `jumps from seq ${state.seq} to ${event.seq} in room ${roomId}: events are missing`;
  }
  try {
    room.committed = applyEvent(state, event);
  } catch (error) {
    return `cannot be applied to room ${roomId} (${(error as Error).message})`;
  }
  recent.add(room, offset, line.length);
  return '';
}

function isLogLine(value: unknown): value is [string, RoomEvent] {
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string') return false;
  const event = value[1] as Partial<RoomEvent> | null;
  return typeof event === 'object' && event !== null && Number.isInteger(event.seq) && typeof event.type === 'string';
}
