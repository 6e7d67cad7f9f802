import { z } from 'zod';
import { recordLimits } from '../record-limits.js';
import type { RoomEvent } from '../room-events.js';
import { ServedEventSchema } from './room-event.js';

export const EXPORT_FORMAT = 'debate-room-export';
export const EXPORT_VERSION = 1;

/**
 * A room's JSON export: its log as the reader may see it (redacted as catch-up is) and a version, enough
 * to rebuild the room exactly by folding it. `seq` is the last event's. Imported, it must be whole: seqs
 * 1, 2, 3 … with the room's opening first and only there.
 */
export const RoomExportSchema = z
  .strictObject({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_VERSION),
    exportedAt: z.number().int().min(0).max(8.64e15),
    audience: z.enum(['moderators', 'public']),
    seq: z.number().int().min(1),
    events: z.array(ServedEventSchema).min(1).max(recordLimits.importMaxEvents, `An import holds at most ${recordLimits.importMaxEvents} events.`),
  })
  .superRefine((doc, context) => {
    const fault = wholeLogFault(doc.events);
    if (fault) context.addIssue({ code: 'custom', path: ['events', fault.index], message: fault.message });
    else if (doc.seq !== doc.events.length) context.addIssue({ code: 'custom', path: ['seq'], message: `The log ends at seq ${doc.events.length}, not ${doc.seq}.` });
  });
export type RoomExport = Omit<z.output<typeof RoomExportSchema>, 'events'> & { events: RoomEvent[] };

/** Where a log is not one room's whole log from its opening, or null. */
function wholeLogFault(events: { type: string; seq: number }[]): { index: number; message: string } | null {
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (event.seq !== i + 1) return { index: i, message: `Expected seq ${i + 1} here, found ${event.seq}: the log must be whole and in order.` };
    if ((i === 0) !== (event.type === 'room.opened')) {
      return { index: i, message: i === 0 ? 'The log must start with the room opening.' : 'A room opens once, at the start of its log.' };
    }
  }
  return null;
}

/** `room:history`: the served events after `from`, a page at a time, for replay. */
export const RoomHistoryInput = z.strictObject({
  from: z.number().int().min(0),
  limit: z.number().int().min(1).max(recordLimits.historyPageEvents).optional(),
});
export type RoomHistoryInput = z.input<typeof RoomHistoryInput>;

export interface HistoryPage {
  /** Consecutive events after `from`, redacted for the reader; fewer than asked when the page filled up. */
  events: RoomEvent[];
  /** The room's latest seq when the page was read: ask again from the last event while it is behind. */
  seq: number;
}

export interface RoomImported {
  roomId: string;
  /** The importer is the new room's host: joining with this token makes them the host. */
  hostToken: string;
  events: number;
}
