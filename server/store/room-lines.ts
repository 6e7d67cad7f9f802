import { readSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';

/** Where one room's saved line (a CheckpointRoom as JSON) sits, and the seq of the state it holds. */
export interface RoomLine {
  file: RoomLines;
  offset: number;
  /** In bytes, newline excluded. */
  length: number;
  seq: number;
}

/**
 * A file of saved room lines that rooms not held in memory are read back from: the checkpoint, or a file
 * of rooms evicted since it (a cache for this process only: the checkpoint and the log stay the truth).
 * Appends go one at a time at the end; reads go anywhere. Retired once no room points into it any more.
 */
export class RoomLines {
  private reads = 0;
  private appends: Promise<unknown> = Promise.resolve();
  private appending = 0;
  private retired = false;

  private constructor(
    private readonly file: FileHandle,
    private end: number,
    /** Removed when retired (a file of evicted rooms); null: a checkpoint, which the next one was renamed over. */
    private readonly removeOnRetire: string | null,
  ) {}

  /** For the checkpoint that writes or indexes the file as a whole. */
  get handle(): FileHandle {
    return this.file;
  }

  static async open(path: string, flags: 'r' | 'w+', removeOnRetire: boolean): Promise<RoomLines> {
    const file = await open(path, flags);
    return new RoomLines(file, (await file.stat()).size, removeOnRetire ? path : null);
  }

  /** Opening a store only: a room the log's tail writes to is read back before the next line is applied. */
  readNow(line: RoomLine): string {
    const bytes = Buffer.allocUnsafe(line.length);
    for (let read = 0; read < line.length; ) {
      const got = readSync(this.file.fd, bytes, read, line.length - read, line.offset + read);
      if (got === 0) throw new Error(`a saved room ends early (byte ${line.offset + read})`);
      read += got;
    }
    return bytes.toString('utf8');
  }

  async read(line: RoomLine): Promise<string> {
    // Taken now: a checkpoint may point the line at its own copy while this read goes on.
    const { offset, length } = line;
    this.reads++;
    try {
      const bytes = Buffer.allocUnsafe(length);
      for (let read = 0; read < length; ) {
        const { bytesRead } = await this.file.read(bytes, read, length - read, offset + read);
        if (bytesRead === 0) throw new Error(`a saved room ends early (byte ${offset + read})`);
        read += bytesRead;
      }
      return bytes.toString('utf8');
    } finally {
      this.reads--;
      if (this.retired) void this.closeWhenUnused();
    }
  }

  /** Writes the lines (each without its newline) after the last, and says where each went. Not fsynced: a cache. */
  append(lines: string[]): Promise<{ offset: number; length: number }[]> {
    this.appending++;
    const done = this.appends.then(async () => {
      const bytes = lines.map((line) => Buffer.from(`${line}\n`));
      const all = Buffer.concat(bytes);
      for (let written = 0; written < all.length; ) {
        const { bytesWritten } = await this.file.write(all, written, all.length - written, this.end + written);
        if (bytesWritten <= 0) throw Object.assign(new Error('the file took no more bytes'), { code: 'ENOSPC' });
        written += bytesWritten;
      }
      const placed = bytes.map((line) => ({ offset: (this.end += line.length) - line.length, length: line.length - 1 }));
      return placed;
    });
    this.appends = done.catch(() => {}).finally(() => this.appending--);
    return done;
  }

  get busy(): boolean {
    return this.appending > 0;
  }

  /** No room points into it any more: closed (and removed, if a file of evicted rooms) once reads under way end. */
  retire(): Promise<void> {
    this.retired = true;
    return this.closeWhenUnused();
  }

  private async closeWhenUnused(): Promise<void> {
    if (this.reads > 0 || this.appending > 0) return;
    this.reads = Infinity;
    await this.file.close().catch(() => {});
    if (this.removeOnRetire) await rm(this.removeOnRetire, { force: true });
  }
}
