import type { CatchUp, Joined, Me, SnapshotBody } from '../../shared/events.js';
import type { RoomState } from '../../shared/room-state.js';
import { decodeSnapshot, encodeSnapshot } from '../../shared/snapshot-codec.js';

/** The snapshot a join or sync answered with, decoded; fails the test when the answer was events instead. */
export function snapshotOf(start: CatchUp): SnapshotBody {
  if (start.kind !== 'snapshot') throw new Error(`expected a snapshot, got ${start.events.length} events`);
  return decodeSnapshot(start.encoded);
}

/** A join answer as tests read it: the decoded snapshot beside who I am. */
export function opened(joined: Joined): SnapshotBody & { me: Me; token: string } {
  return { ...snapshotOf(joined.start), me: joined.me, token: joined.token };
}

/** What a scripted server answers a join with. */
export function joinAnswer(snapshot: RoomState, me: Me, more = false): Joined {
  return { start: { kind: 'snapshot', encoded: encodeSnapshot({ snapshot, more }) }, me, token: 'tok_'.padEnd(20, 'x') };
}
