import { open, type FileHandle } from 'node:fs/promises';

/** Called once per write: with null and the line's byte offset once it is durable, or with the error. */
type Settle = (error: Error | null, offset: number) => void;

interface Queued {
  bytes: Buffer;
  settle: Settle;
}

/**
 * An append-only file where a write settles only after it is wholly written and fsynced. Writes that
 * arrive while a flush is in progress are batched into the next one (group commit), so durability costs
 * one fsync per batch, not per event, and the file order is the order of `write` calls.
 *
 * A batch that fails (a full disk writes short, then refuses) fails with everything queued behind it,
 * since those were decided on top of it; and the file is cut back to where the last durable batch ended
 * (at once, and again before the next write if that failed too), so a half-written line never has a good
 * one glued onto it.
 * Settle callbacks run synchronously, in write order, one batch at a time.
 */
export class GroupCommitLog {
  private queue: Queued[] = [];
  private flushing: Promise<void> | null = null;
  /** Bytes may sit past `end` from a write that did not wholly succeed. */
  private dirtyTail = false;
  private failing = false;

  private constructor(
    private readonly file: FileHandle,
    private readonly path: string,
    /** Where the last durable write ends: everything before it is on disk; nothing after it counts. */
    private end: number,
  ) {}

  /** Opens `path` (which must exist) for appending at `end`, the offset where its good lines stop. */
  static async open(path: string, end: number): Promise<GroupCommitLog> {
    const file = await open(path, 'r+');
    return new GroupCommitLog(file, path, end);
  }

  get durableEnd(): number {
    return this.end;
  }

  write(text: string, settle: Settle): void {
    this.queue.push({ bytes: Buffer.from(text), settle });
    this.flushing ??= this.flush();
  }

  /** Resolves once every write made so far has settled. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async close(): Promise<void> {
    await this.drain();
    await this.file.close();
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const bytes = batch.length === 1 ? batch[0]!.bytes : Buffer.concat(batch.map((entry) => entry.bytes));
      try {
        if (this.dirtyTail) await this.cutBack();
        this.dirtyTail = true;
        await writeFully(this.file, bytes, this.end);
        await this.file.datasync();
        this.dirtyTail = false;
      } catch (error) {
        this.reportFailure(error as NodeJS.ErrnoException);
        // At once if it can (and before the next write if it cannot): nothing half-written stays in the file.
        await this.cutBack().catch(() => {});
        const failed = batch.concat(this.queue);
        this.queue = [];
        for (const entry of failed) settleSafely(entry, error as Error, -1);
        continue;
      }
      if (this.failing) {
        this.failing = false;
        console.error(`[embedded store] writes to ${this.path} work again.`);
      }
      let offset = this.end;
      this.end += bytes.length;
      for (const entry of batch) {
        settleSafely(entry, null, offset);
        offset += entry.bytes.length;
      }
    }
    this.flushing = null;
  }

  /** Removes whatever a failed write left past the last durable line. */
  private async cutBack(): Promise<void> {
    await this.file.truncate(this.end);
    await this.file.datasync();
    this.dirtyTail = false;
  }

  private reportFailure(error: NodeJS.ErrnoException): void {
    if (this.failing) return;
    this.failing = true;
    console.error(
      `[embedded store] could not write to ${this.path} (${error.code ?? error.message}); ` +
        'writes are refused as UNAVAILABLE until it works again (is the disk full?). Nothing unsaved was applied or acknowledged.',
    );
  }
}

/** `FileHandle.write` may write fewer bytes than asked (a disk filling up): go on until all are written or it fails. */
async function writeFully(file: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await file.write(bytes, written, bytes.length - written, position + written);
    if (bytesWritten <= 0) throw Object.assign(new Error('the file took no more bytes'), { code: 'ENOSPC' });
    written += bytesWritten;
  }
}

function settleSafely(entry: Queued, error: Error | null, offset: number): void {
  try {
    entry.settle(error, offset);
  } catch (failure) {
    console.error('[embedded store] a write callback failed:', failure);
  }
}
