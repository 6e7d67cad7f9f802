import type { FileHandle } from 'node:fs/promises';

/**
 * An append-only file where every write resolves only after it is fsynced. Writes that arrive while a
 * flush is in progress are batched into the next one (group commit), so durability costs one fsync
 * per batch, not per event, and the file order is the order of `write` calls.
 */
export class GroupCommitLog {
  private queue: { text: string; done: () => void; fail: (error: Error) => void }[] = [];
  private flushing: Promise<void> | null = null;

  constructor(private readonly file: FileHandle) {}

  write(text: string): Promise<void> {
    return new Promise((done, fail) => {
      this.queue.push({ text, done, fail });
      this.flushing ??= this.flush();
    });
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.file.close();
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.file.write(batch.map((entry) => entry.text).join(''));
        await this.file.datasync();
        for (const entry of batch) entry.done();
      } catch (error) {
        for (const entry of batch) entry.fail(error as Error);
      }
    }
    this.flushing = null;
  }
}
