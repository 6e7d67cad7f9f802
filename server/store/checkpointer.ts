import { writeCheckpoint } from './checkpoint.js';
import type { GroupCommitLog } from './group-commit-log.js';
import type { RoomTable } from './room-table.js';

/**
 * Decides when to checkpoint: after every `everyBytes` of log appended (so a crash replays at most about
 * that much), once after a start that had to replay that much, and on close. One at a time, in the
 * background; a checkpoint that fails (a full disk) is reported and tried again later: the log still
 * holds everything, a restart just replays more of it.
 */
export class Checkpointer {
  private running: Promise<void> | null = null;
  private sinceLast = 0;

  constructor(
    private readonly dataDir: string,
    private readonly rooms: RoomTable,
    private readonly log: GroupCommitLog,
    private readonly everyBytes: number,
    /** The log offset the newest checkpoint on disk was taken at. */
    private lastOffset: number,
  ) {}

  /** `bytes` more of log are durable. */
  appended(bytes: number): void {
    this.sinceLast += bytes;
    if (this.sinceLast >= this.everyBytes) this.start();
  }

  start(): void {
    if (this.running) return;
    this.sinceLast = 0;
    this.running = this.write().finally(() => (this.running = null));
  }

  /** On close: waits for one under way, then writes a last one if the log has grown since. */
  async finish(): Promise<void> {
    await this.running;
    if (this.log.durableEnd > this.lastOffset) await this.write();
  }

  private async write(): Promise<void> {
    // Every room's committed state holds exactly the log before this offset, or more (its seq says how much).
    const offset = this.log.durableEnd;
    try {
      this.rooms.checkpointStarts();
      const written = await writeCheckpoint(this.dataDir, offset, this.rooms.roomIds(), (roomId) => this.rooms.toSave(roomId));
      this.lastOffset = offset;
      await this.rooms.checkpointWritten(written.file, written.placed);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      console.error(`[embedded store] could not write a checkpoint (${reason}); the log still holds everything, and the next start replays more of it.`);
    }
  }
}
