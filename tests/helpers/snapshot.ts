import type { CatchUp, Joined, Me, PostsPage, SnapshotBody } from '../../shared/events.js';
import type { ThreadPage } from '../../shared/post-window.js';
import type { RoomEvent } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import { decodeEvents, decodePage, decodeSnapshot, encodeEvents, encodeSnapshot } from '../../shared/snapshot-codec.js';

/** The snapshot a join or sync answered with, decoded; fails the test when the answer was events instead. */
export function snapshotOf(start: CatchUp): SnapshotBody {
  if (start.kind !== 'snapshot') throw new Error(`expected a snapshot, got ${decodeEvents(start.encoded).length} events`);
  return decodeSnapshot(start.encoded);
}

/** The events a join or sync answered with, decoded; fails the test when the answer was a snapshot instead. */
export function eventsOf(start: CatchUp): RoomEvent[] {
  if (start.kind !== 'events') throw new Error(`expected events, got a snapshot at seq ${decodeSnapshot(start.encoded).snapshot.seq}`);
  return decodeEvents(start.encoded);
}

/** A `room:posts` answer, decoded. */
export const pageOf = (page: PostsPage): ThreadPage => decodePage(page.encoded);

/** A join answer as tests read it: the decoded snapshot beside who I am. */
export function opened(joined: Joined): SnapshotBody & { me: Me; token: string } {
  return { ...snapshotOf(joined.start), me: joined.me, token: joined.token };
}

/** What a scripted server answers a join with. */
export function joinAnswer(snapshot: RoomState, me: Me, more = false): Joined {
  return { start: { kind: 'snapshot', encoded: encodeSnapshot({ snapshot, more }) }, me, token: 'tok_'.padEnd(20, 'x') };
}

/** What a scripted server answers a catch-up with when it has the missed events. */
export const eventsAnswer = (events: RoomEvent[]): CatchUp => ({ kind: 'events', encoded: encodeEvents(events) });
