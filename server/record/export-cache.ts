import type { Audience } from '../../shared/redact.js';
import type { RoomState } from '../../shared/room-state.js';
import type { ExportKind } from './served.js';

const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

interface Entry {
  seq: number;
  body: Promise<Buffer>;
  bytes: number;
}

/**
 * Exports built once per room, audience, kind and seq: a closed room everyone downloads (or a burst of
 * downloads between two events) costs one build, and two requests at once share it. Bounded in bytes,
 * the least recently asked for let go first. A new event makes a new build (redaction follows the room now).
 */
export class ExportCache {
  private entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly maxBytes = DEFAULT_MAX_BYTES) {}

  async get(state: RoomState, audience: Audience, kind: ExportKind, build: () => Promise<string>): Promise<Buffer> {
    const key = `${state.room.id}:${audience}:${kind}`;
    const cached = this.entries.get(key);
    if (cached && cached.seq === state.seq) {
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached.body;
    }
    this.drop(key);
    const entry: Entry = { seq: state.seq, bytes: 0, body: build().then((text) => Buffer.from(text, 'utf8')) };
    this.entries.set(key, entry);
    try {
      const body = await entry.body;
      if (this.entries.get(key) === entry) {
        entry.bytes = body.length;
        this.bytes += body.length;
        this.evict();
      }
      return body;
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
  }

  /** The room was evicted: its exports go with it. */
  forget(roomId: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(`${roomId}:`)) this.drop(key);
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.entries.delete(key);
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.bytes <= this.maxBytes || this.entries.size <= 1) break;
      this.drop(key);
    }
  }
}
