import type { RoomEvent } from '../../shared/room-events.js';

export type AppliedListener = (events: RoomEvent[]) => void;

/**
 * Tells listeners which events were actually applied to the room state, in seq order: duplicates are
 * left out, and events the follower held back across a gap are announced once the gap is filled
 * (they arrived in an earlier batch but only apply with a later one).
 */
export function createAppliedFeed() {
  const listeners = new Set<AppliedListener>();
  let waiting: RoomEvent[] = [];

  function announce(events: RoomEvent[], before: number, after: number): void {
    const bySeq = new Map<number, RoomEvent>();
    for (const event of [...waiting, ...events]) bySeq.set(event.seq, event);
    waiting = [...bySeq.values()].filter((event) => event.seq > after);
    const applied = [...bySeq.values()].filter((event) => event.seq > before && event.seq <= after).sort((a, b) => a.seq - b.seq);
    if (applied.length) for (const listener of listeners) listener(applied);
  }

  function on(listener: AppliedListener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  return { announce, on, clear: () => (waiting = []) };
}
