import { threadPage, withPosts } from '../shared/post-window.js';
import { redactState, type Audience } from '../shared/redact.js';
import type { RoomState } from '../shared/room-state.js';

export interface Snapshot {
  snapshot: RoomState;
  /** Older threads were left out; the client pages them in with `room:posts`. */
  more: boolean;
}

/**
 * What a joiner receives: the room with its first window of threads, redacted for the audience.
 * Built once per room, audience and seq, so a burst of joins between two writes costs one build.
 */
export class SnapshotCache {
  private entries = new Map<string, Snapshot & { seq: number }>();

  get(state: RoomState, audience: Audience): Snapshot {
    const key = `${state.room.id}:${audience}`;
    const cached = this.entries.get(key);
    if (cached && cached.seq === state.seq) return cached;
    const page = threadPage(state, null);
    const entry = { seq: state.seq, snapshot: redactState(withPosts(state, page.posts), audience), more: page.more };
    this.entries.set(key, entry);
    return entry;
  }
}
