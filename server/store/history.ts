import type { FileHandle } from 'node:fs/promises';
import type { RoomEvent } from '../../shared/room-events.js';
import { forEachLine } from './line-reader.js';

/**
 * A room's events with since < seq <= upTo, read back from the log (memory holds only the recent ones):
 * lines from `from` (the room's opening) to `to` (the durable end), picked by their `["roomId",` prefix
 * before any parsing. A scan, so for replay and export, not for catch-up, which memory answers.
 */
export async function readHistory(file: FileHandle, roomId: string, from: number, to: number, since: number, upTo: number): Promise<RoomEvent[]> {
  const prefix = Buffer.from(`${JSON.stringify([roomId]).slice(0, -1)},`);
  const events: RoomEvent[] = [];
  await forEachLine(file, from, to, (line) => {
    if (line.length <= prefix.length || prefix.compare(line, 0, prefix.length) !== 0) return;
    let event: RoomEvent;
    try {
      event = (JSON.parse(line.toString('utf8')) as [string, RoomEvent])[1];
    } catch {
      return;
    }
    if (event.seq > since && event.seq <= upTo) events.push(event);
    return event.seq < upTo;
  });
  return events;
}
