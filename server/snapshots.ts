import type { EncodedSnapshot } from '../shared/events.js';
import { FIRST_WINDOW_BUDGET, threadPage, withPosts } from '../shared/post-window.js';
import { redactState, type Audience } from '../shared/redact.js';
import type { RoomState } from '../shared/room-state.js';
import { encodeSnapshot } from '../shared/snapshot-codec.js';
import { ReadCache } from './read-cache.js';

interface CachedSnapshot {
  seq: number;
  /** The room with its first window of threads, redacted for the audience, already serialised. */
  encoded: EncodedSnapshot & Uint8Array;
}

/**
 * What a joiner receives (and a catch-up too far behind), built and encoded once per room, audience and
 * seq: a burst of joins between two writes costs one build, and every joiner is sent the same bytes. Kept
 * in the read cache, so snapshots of rooms nobody reads any more make way for the living.
 */
export class SnapshotCache {
  constructor(private readonly cache = new ReadCache()) {}

  get(state: RoomState, audience: Audience): CachedSnapshot {
    return this.cache.get(state.room.id, audience, state.seq, 'snapshot', () => {
      const page = threadPage(state, null, FIRST_WINDOW_BUDGET);
      return { seq: state.seq, encoded: encodeSnapshot({ snapshot: redactState(withPosts(state, page.posts), audience), more: page.more }) };
    });
  }
}
