import { mkdir, open, readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { RoomEvent } from '../../shared/room-events.js';
import { applyEvent, type RoomState } from '../../shared/room-state.js';
import { openingEpoch, type Appended, type Decide, type RoomStore } from './room-store.js';
import { GroupCommitLog } from './group-commit-log.js';

interface Room {
  state: RoomState;
  events: RoomEvent[];
  /** Settles when every event of this room already folded into `state` is on disk. */
  durable: Promise<void>;
}

const LOG_FILE = 'rooms.log';

/**
 * The default store: every room in memory, every event appended as one JSON line `[roomId, event]`
 * to `<dataDir>/rooms.log`, fsynced (in groups) before the append resolves. On open the file is
 * replayed; a torn last line (a crash mid-write) is cut off, as it was never acknowledged.
 */
export async function openEmbeddedStore(opts: { dataDir: string }): Promise<RoomStore> {
  await mkdir(opts.dataDir, { recursive: true });
  const path = join(opts.dataDir, LOG_FILE);
  const rooms = await replay(path);
  const log = new GroupCommitLog(await open(path, 'a'));

  return {
    async load(roomId) {
      const room = rooms.get(roomId);
      if (!room) return null;
      await settled(room);
      return room.state;
    },

    async append(roomId, decide: Decide): Promise<Appended> {
      const room = rooms.get(roomId);
      // Decide, stamp and fold synchronously: appends to a room are serialised by the event loop.
      const draft = decide(room?.state ?? null);
      if (!draft) {
        if (room) await room.durable;
        return { event: null, state: room?.state ?? null, epoch: epochOf(room) };
      }
      const event = { ...draft, seq: (room?.state.seq ?? 0) + 1, at: draft.at ?? Date.now() } as RoomEvent;
      const state = applyEvent(room?.state ?? null, event);
      const durable = log.write(`${JSON.stringify([roomId, event])}\n`);
      if (room) {
        room.events.push(event);
        room.durable = durable;
      } else {
        rooms.set(roomId, { state, events: [event], durable });
      }
      await durable;
      return { event, state, epoch: epochOf(rooms.get(roomId)) };
    },

    async eventsSince(roomId, since, limit) {
      const room = rooms.get(roomId);
      if (!room) return null;
      await settled(room);
      // seq n sits at index n-1.
      return room.events.slice(since, since + limit);
    },

    // Its log cannot lose acknowledged history short of damage: one epoch per room, from its opening.
    epoch: async (roomId) => epochOf(rooms.get(roomId)),

    async close() {
      await log.close();
    },
  };
}

const epochOf = (room: Room | undefined) => (room ? openingEpoch(room.events[0]!) : null);

/** Wait until every event folded into the room's state is on disk, including ones appended meanwhile. */
async function settled(room: Room): Promise<void> {
  let durable: Promise<void>;
  do {
    durable = room.durable;
    await durable;
  } while (durable !== room.durable);
}

async function replay(path: string): Promise<Map<string, Room>> {
  const rooms = new Map<string, Room>();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return rooms;
    throw error;
  }
  const lines = text.split('\n');
  // Everything after the last newline is a line whose write never finished.
  const torn = lines.pop() ?? '';
  let goodBytes = Buffer.byteLength(text) - Buffer.byteLength(torn);
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    let roomId: string;
    let event: RoomEvent;
    try {
      [roomId, event] = JSON.parse(line) as [string, RoomEvent];
    } catch {
      if (index === lines.length - 1) {
        goodBytes -= Buffer.byteLength(line) + 1;
        break;
      }
      throw new Error(`${path}: line ${index + 1} is not valid JSON; the log is damaged and needs a look.`);
    }
    const room = rooms.get(roomId);
    if (room) {
      room.state = applyEvent(room.state, event);
      room.events.push(event);
    } else {
      rooms.set(roomId, { state: applyEvent(null, event), events: [event], durable: Promise.resolve() });
    }
  }
  if (goodBytes < Buffer.byteLength(text)) await truncate(path, goodBytes);
  return rooms;
}

