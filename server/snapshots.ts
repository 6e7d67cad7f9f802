import type { EncodedSnapshot } from '../shared/events.js';
import { FIRST_WINDOW_BUDGET, threadPage, withPosts } from '../shared/post-window.js';
import { redactState, type Audience } from '../shared/redact.js';
import type { RoomState } from '../shared/room-state.js';
import { encodeSnapshot } from '../shared/snapshot-codec.js';

export interface CachedSnapshot {
  seq: number;
  /** The room with its first window of threads, redacted for the audience, already serialised. */
  encoded: EncodedSnapshot;
}

/**
 * What a joiner receives, built and encoded once per room, audience and seq: a burst of joins between two
 * writes costs one build, and every joiner is sent the same bytes.
 */
export class SnapshotCache {
  private entries = new Map<string, CachedSnapshot>();

  get(state: RoomState, audience: Audience): CachedSnapshot {
    const key = `${state.room.id}:${audience}`;
    const cached = this.entries.get(key);
    if (cached && cached.seq === state.seq) return cached;
    const page = threadPage(state, null, FIRST_WINDOW_BUDGET);
    const entry = { seq: state.seq, encoded: encodeSnapshot({ snapshot: redactState(withPosts(state, page.posts), audience), more: page.more }) };
    this.entries.set(key, entry);
    return entry;
  }
}
