import type { Phase, RoomEvent } from '../../shared/room-events.js';

export const PHASE_NAMES: Record<Phase, string> = { opening: 'Opening', open: 'Open floor', closing: 'Closing', ended: 'Ended' };

/** A place on the timeline worth jumping to. `seq` is the event itself: the room as it stood right after it. */
export interface Moment {
  seq: number;
  at: number;
  kind: 'phase' | 'vote' | 'busiest';
  label: string;
}

const MINUTE = 60_000;

/** Phase changes, vote openings and closings, and the busiest minute, in the order they happened. */
export function momentsOf(events: readonly RoomEvent[]): Moment[] {
  const moments: Moment[] = [];
  for (const event of events) {
    if (event.type === 'phase.changed') moments.push({ seq: event.seq, at: event.at, kind: 'phase', label: PHASE_NAMES[event.phase] });
    else if (event.type === 'vote.opened') moments.push({ seq: event.seq, at: event.at, kind: 'vote', label: event.vote === 'initial' ? 'Opening vote' : 'Final vote' });
    else if (event.type === 'vote.closed') moments.push({ seq: event.seq, at: event.at, kind: 'vote', label: event.vote === 'initial' ? 'Opening vote closes' : 'Final vote closes' });
  }
  const busiest = busiestMinute(events);
  if (busiest) moments.push({ seq: busiest.lastSeq, at: busiest.start, kind: 'busiest', label: `Busiest minute (${busiest.count} events)` });
  return moments.sort((a, b) => a.seq - b.seq);
}

/**
 * The sliding minute with the most events after the room opened (people joining aside). The moment to jump to
 * is its last event, the room at the height of it. Null for a log with no such events.
 */
export function busiestMinute(events: readonly RoomEvent[]): { start: number; lastSeq: number; count: number } | null {
  const counted = events.filter((event) => event.type !== 'member.joined' && event.type !== 'room.opened');
  let best: { start: number; lastSeq: number; count: number } | null = null;
  let first = 0;
  for (let last = 0; last < counted.length; last++) {
    while (counted[last]!.at - counted[first]!.at >= MINUTE) first++;
    const count = last - first + 1;
    if (!best || count > best.count) best = { start: counted[first]!.at, lastSeq: counted[last]!.seq, count };
  }
  return best && best.count > 1 ? best : null;
}

/** The last seq whose event happened at or before `at` (0: before the room opened). Times may step back a little across nodes. */
export function seqAtTime(events: readonly RoomEvent[], at: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (events[middle]!.at <= at) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** `?at=` as a seq (`1234`) or a time (`2026-03-14T18:30:00Z`), within the log; null when it is neither. */
export function momentFromParam(param: string | null, events: readonly RoomEvent[]): number | null {
  if (!param) return null;
  if (/^\d{1,12}$/.test(param)) return Math.min(Number(param), events.length);
  const time = Date.parse(param);
  return Number.isNaN(time) ? null : seqAtTime(events, time);
}
