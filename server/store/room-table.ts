import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/errors.js';
import type { Checkpoint, CheckpointRoom, Placed, RoomToSave } from './checkpoint.js';
import { RoomLines, type RoomLine } from './room-lines.js';
import { storedRoom, type StoredRoom } from './stored-room.js';

const EVICTED_FILE = 'rooms.evicted';
/** Evicted rooms are written in batches of about this many characters. */
const EVICT_BATCH = 8 << 20;

/**
 * The embedded store's rooms: those held in memory, and the rest as a pointer to their saved line (in
 * the checkpoint, or in a file of rooms evicted since), read back when first used. So opening reads no
 * room's state, and an idle room costs a map entry. Only rooms whose log the checkpoint does not cover
 * are held from the start (the log's tail is folded into them).
 */
export class RoomTable {
  readonly resident = new Map<string, StoredRoom>();
  private readonly parked: Map<string, RoomLine>;
  private readonly loading = new Map<string, Promise<void>>();
  /** Every file a room may point into: retired once none does. */
  private readonly files = new Set<RoomLines>();
  /** Where evictions write now; a new one after each checkpoint, so the older ones empty out. */
  private evictedFile: Promise<RoomLines> | null = null;
  private evictedFiles = 0;
  private sweeping: Promise<string[]> | null = null;

  private constructor(private readonly dataDir: string, checkpoint: Checkpoint | null) {
    this.parked = checkpoint?.rooms ?? new Map();
    if (checkpoint) this.files.add(checkpoint.file);
  }

  /** Rooms evicted by a process before this one were in its own cache files: gone with it. */
  static async open(dataDir: string, checkpoint: Checkpoint | null): Promise<RoomTable> {
    for (const name of await readdir(dataDir)) if (name.startsWith(`${EVICTED_FILE}.`)) await rm(join(dataDir, name), { force: true });
    return new RoomTable(dataDir, checkpoint);
  }

  /** The seq each saved room is at: the log's tail may repeat events the checkpoint holds. */
  savedSeqs(): Map<string, number> {
    return new Map([...this.parked].map(([roomId, line]) => [roomId, line.seq]));
  }

  /** The room in memory, read back if it was not; undefined: there is no such room. */
  async get(roomId: string): Promise<StoredRoom | undefined> {
    const held = this.resident.get(roomId);
    if (held) {
      held.usedAt = Date.now();
      return held;
    }
    const line = this.parked.get(roomId);
    if (!line) return undefined;
    let pending = this.loading.get(roomId);
    if (!pending) {
      pending = line.file.read(line).then(
        (text) => this.adopt(roomId, line, text),
        (error: Error) => {
          throw Object.assign(new AppError('UNAVAILABLE', 'The server could not read that room just now; try again in a moment.'), { cause: error });
        },
      );
      this.loading.set(roomId, pending);
      void pending.finally(() => this.loading.delete(roomId)).catch(() => {});
    }
    await pending;
    return this.resident.get(roomId);
  }

  /** The same, at once, for opening the store (folding the log's tail in). */
  getNow(roomId: string): StoredRoom | undefined {
    const line = this.parked.get(roomId);
    if (line && !this.resident.has(roomId)) this.adopt(roomId, line, line.file.readNow(line));
    return this.resident.get(roomId);
  }

  /** Held in memory, or read back soon (a pending read). */
  has(roomId: string): boolean {
    return this.resident.has(roomId) || this.parked.has(roomId);
  }

  roomIds(): string[] {
    return [...this.resident.keys(), ...this.parked.keys()];
  }

  get size(): number {
    return this.resident.size + this.parked.size;
  }

  private adopt(roomId: string, line: RoomLine, text: string): void {
    if (this.resident.has(roomId) || this.parked.get(roomId) !== line) return;
    const saved = JSON.parse(text) as CheckpointRoom;
    this.parked.delete(roomId);
    this.resident.set(roomId, storedRoom(saved.state, saved.firstOffset, saved.recent, line));
  }

  /** What a checkpoint writes of the room: its saved line when the room has not moved on since, else its state. */
  toSave(roomId: string): RoomToSave | null {
    const room = this.resident.get(roomId);
    if (!room) return this.parked.get(roomId) ?? null;
    if (!room.committed) return null;
    if (room.origin?.seq === room.committed.seq) return room.origin;
    return { roomId, firstOffset: room.firstOffset, state: room.committed, recent: room.recent };
  }

  /** A checkpoint starts: rooms evicted from now on go to a new file (the current one empties out through the checkpoint). */
  checkpointStarts(): void {
    this.evictedFile = null;
  }

  /** A checkpoint was written: every room in it now points there, and files nobody points into any more are let go. */
  async checkpointWritten(file: RoomLines, placed: Placed[]): Promise<void> {
    this.files.add(file);
    for (const { roomId, from, offset, length, seq } of placed) {
      if ('file' in from) Object.assign(from, { file, offset, length });
      else {
        const room = this.resident.get(roomId);
        if (room?.committed?.seq === seq) room.origin = { file, offset, length, seq };
      }
    }
    const used = new Set<RoomLines>([file]);
    for (const line of this.parked.values()) used.add(line.file);
    for (const room of this.resident.values()) if (room.origin) used.add(room.origin.file);
    const current = this.evictedFile && (await this.evictedFile.catch(() => null));
    for (const old of [...this.files]) {
      if (used.has(old) || old === current || old.busy) continue;
      this.files.delete(old);
      await old.retire();
    }
  }

  /** See RoomStore.evictIdle: one sweep at a time. */
  evictIdle(idleMs: number, inUse: (roomId: string) => boolean): Promise<string[]> {
    this.sweeping ??= this.sweep(Date.now() - idleMs, inUse).finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweep(before: number, inUse: (roomId: string) => boolean): Promise<string[]> {
    const evicted: string[] = [];
    let batch: { roomId: string; room: StoredRoom; seq: number; text: string }[] = [];
    let characters = 0;
    for (const [roomId, room] of [...this.resident]) {
      if (!room.committed || room.inFlight > 0 || room.usedAt > before || inUse(roomId)) continue;
      if (room.origin?.seq === room.committed.seq) {
        this.park(roomId, room, room.origin);
        evicted.push(roomId);
        continue;
      }
      const text = JSON.stringify({ roomId, firstOffset: room.firstOffset, state: room.committed, recent: room.recent } satisfies CheckpointRoom);
      batch.push({ roomId, room, seq: room.committed.seq, text });
      characters += text.length;
      if (characters < EVICT_BATCH) continue;
      evicted.push(...(await this.writeEvicted(batch)));
      batch = [];
      characters = 0;
    }
    if (batch.length > 0) evicted.push(...(await this.writeEvicted(batch)));
    return evicted;
  }

  /** Saves the rooms' lines, then lets go of each that did not move on meanwhile (a write that came in keeps it). */
  private async writeEvicted(batch: { roomId: string; room: StoredRoom; seq: number; text: string }[]): Promise<string[]> {
    let places: { offset: number; length: number }[];
    let file: RoomLines;
    try {
      file = await (this.evictedFile ??= this.openEvictedFile());
      places = await file.append(batch.map((entry) => entry.text));
    } catch (error) {
      this.evictedFile = null;
      console.error(`[embedded store] could not save idle rooms to evict them (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); they stay in memory.`);
      return [];
    }
    const evicted: string[] = [];
    batch.forEach(({ roomId, room, seq }, i) => {
      const line = { file, ...places[i]!, seq };
      if (room.committed?.seq !== seq) return;
      room.origin = line;
      if (this.resident.get(roomId) !== room || room.inFlight > 0) return;
      this.park(roomId, room, line);
      evicted.push(roomId);
    });
    return evicted;
  }

  private async openEvictedFile(): Promise<RoomLines> {
    const file = await RoomLines.open(join(this.dataDir, `${EVICTED_FILE}.${++this.evictedFiles}`), 'w+', true);
    this.files.add(file);
    return file;
  }

  private park(roomId: string, room: StoredRoom, line: RoomLine): void {
    this.resident.delete(roomId);
    this.parked.set(roomId, line);
    room.speculative = null;
  }

  async close(): Promise<void> {
    await this.sweeping;
    await Promise.all([...this.loading.values()].map((pending) => pending.catch(() => {})));
    for (const file of this.files) await file.retire();
    this.files.clear();
  }
}
