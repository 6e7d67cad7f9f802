import { limits } from '../shared/limits.js';
import type { Audience } from '../shared/redact.js';

/** Something kept in the cache: its encoded bytes (null for an answer that says "ask the other way"). */
interface Cached {
  encoded: Uint8Array | null;
}

/** What an entry costs besides its bytes (the key, the map slot): so that empty answers are bounded too. */
const ENTRY_OVERHEAD = 256;

interface RoomAnswers {
  seq: number;
  answers: Map<string, Cached>;
}

/**
 * Encoded read answers (snapshots, catch-ups, pages), built once per room, audience, seq and question and
 * handed to every asker as the same bytes: a burst of joins or reconnects between two writes costs one build,
 * and twenty identical requests at once cost one encode, not twenty. A room's answers are dropped as soon as
 * it moves on a seq (redaction depends on the room now). Bounded in bytes over all rooms, least recently
 * used first out, so an attacker asking for many different ranges only churns the cache.
 */
export class ReadCache {
  /** Map order is recency: a room that answers moves to the back. */
  private rooms = new Map<string, RoomAnswers>();
  private building = new Map<string, Promise<Cached>>();
  private bytes = 0;

  constructor(private readonly maxBytes = limits.readCacheMaxBytes) {}

  get size(): number {
    return this.bytes;
  }

  /** The answer to `question` for this room and audience at `seq`, built now if nobody asked it yet. */
  get<T extends Cached>(roomId: string, audience: Audience, seq: number, question: string, build: () => T): T {
    const key = `${roomId}:${audience}`;
    const hit = this.lookup(key, seq, question);
    if (hit) return hit as T;
    const entry = build();
    this.put(key, seq, question, entry);
    return entry;
  }

  /** The same, for answers that take a store read to build; concurrent askers share one build. */
  async getAsync<T extends Cached>(roomId: string, audience: Audience, seq: number, question: string, build: () => Promise<T>): Promise<T> {
    const key = `${roomId}:${audience}`;
    const hit = this.lookup(key, seq, question);
    if (hit) return hit as T;
    const buildKey = `${key}:${seq}:${question}`;
    const pending = this.building.get(buildKey);
    if (pending) return pending as Promise<T>;
    const promise = build().finally(() => this.building.delete(buildKey));
    this.building.set(buildKey, promise);
    const entry = await promise;
    this.put(key, seq, question, entry);
    return entry;
  }

  private lookup(key: string, seq: number, question: string): Cached | undefined {
    const room = this.rooms.get(key);
    if (!room || room.seq !== seq) return undefined;
    const hit = room.answers.get(question);
    if (hit) {
      // Most recently used last.
      this.rooms.delete(key);
      this.rooms.set(key, room);
    }
    return hit;
  }

  private put(key: string, seq: number, question: string, entry: Cached): void {
    let room = this.rooms.get(key);
    // A read of an older state (another node wrote meanwhile) is answered but not kept.
    if (room && room.seq > seq) return;
    if (room && room.seq < seq) this.drop(key, room);
    if (!room || room.seq !== seq) room = { seq, answers: new Map() };
    const cost = costOf(entry);
    if (room.answers.has(question) || cost > this.maxBytes) return;
    room.answers.set(question, entry);
    this.rooms.delete(key);
    this.rooms.set(key, room);
    this.bytes += cost;
    while (this.bytes > this.maxBytes) this.evictOldest();
  }

  private evictOldest(): void {
    const [key, room] = this.rooms.entries().next().value!;
    const [question, entry] = room.answers.entries().next().value!;
    room.answers.delete(question);
    this.bytes -= costOf(entry);
    if (room.answers.size === 0) this.rooms.delete(key);
  }

  private drop(key: string, room: RoomAnswers): void {
    for (const entry of room.answers.values()) this.bytes -= costOf(entry);
    this.rooms.delete(key);
  }
}

const costOf = (entry: Cached) => ENTRY_OVERHEAD + (entry.encoded?.byteLength ?? 0);
