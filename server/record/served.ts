import { recordLimits } from '../../shared/record-limits.js';
import { redactEvent, type Audience } from '../../shared/redact.js';
import type { RoomEvent } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import { EXPORT_FORMAT, EXPORT_VERSION, type HistoryPage, type RoomExport } from '../../shared/schemas/export.js';
import { transcriptMarkdown } from '../../shared/transcript.js';
import type { RoomHistory } from './history.js';

/**
 * The log as a reader is served it, for replay and export alike: each event redacted by the one rule
 * (shared/redact.ts) against the room as it is now, the way catch-up serves it. So a text removed or
 * deleted since never comes back in a replay or a transcript for anyone but moderators.
 */
async function servedEvents(history: RoomHistory, state: RoomState, audience: Audience, since = 0, upTo = state.seq): Promise<RoomEvent[]> {
  const events = await history.range(state, since, upTo);
  return events.map((event) => redactEvent(event, state, audience));
}

/** A page of the served log after `from`: at most `limit` events and about historyPageBytes, never empty while there are more. */
export async function historyPage(history: RoomHistory, state: RoomState, audience: Audience, from: number, limit: number): Promise<HistoryPage & { bytes: number }> {
  const events = await servedEvents(history, state, audience, from, from + limit);
  let bytes = 0;
  let count = 0;
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event));
    if (count > 0 && bytes + size > recordLimits.historyPageBytes) break;
    bytes += size;
    count++;
  }
  return { events: events.slice(0, count), seq: state.seq, bytes };
}

export type ExportKind = 'json' | 'md';

/** The whole served log as a JSON export, or as a Markdown transcript. */
export async function exportBody(history: RoomHistory, state: RoomState, audience: Audience, kind: ExportKind, exportedAt: number): Promise<string> {
  const events = await servedEvents(history, state, audience);
  if (kind === 'md') return transcriptMarkdown({ events, audience, exportedAt });
  const doc: RoomExport = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt, audience, seq: state.seq, events };
  return JSON.stringify(doc);
}
