import { AppError } from '../../shared/errors.js';
import type { EventDraft, RoomEvent } from '../../shared/room-events.js';
import { RoomExportSchema, type RoomImported } from '../../shared/schemas/export.js';
import type { AppContext } from '../context.js';
import { memberIdFor, newRoomId, newToken } from '../identity.js';

/** Events appended at once: the embedded store writes them in one group (one fsync), Redis one after another. */
const IMPORT_BATCH = 500;

/** Checks a parsed JSON body is a whole room export; refuses with INVALID_PAYLOAD and where it went wrong. */
export function parseExport(body: unknown): RoomEvent[] {
  const parsed = RoomExportSchema.safeParse(body);
  if (parsed.success) return parsed.data.events as RoomEvent[];
  const issues = parsed.error.issues.slice(0, 10).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const first = issues[0];
  throw new AppError('INVALID_PAYLOAD', `That file is not a room export this server can read${first ? ` (${first.path ? `${first.path}: ` : ''}${first.message})` : ''}.`, issues);
}

/**
 * A new room from an exported log, through the one append path (persisted, then published), event by
 * event in order with their own times, so the new room folds to the room exported. The importer is its
 * host: the opening names them, and they join with the token returned. Everyone in the old log keeps
 * their id and name, but an id is derived from a token and the room's id, so nobody can act as them
 * here: they are names on the record. Answers only once every event is durable.
 */
export async function importRoom(ctx: AppContext, events: RoomEvent[]): Promise<RoomImported> {
  const [opening, ...rest] = events;
  if (opening?.type !== 'room.opened') throw new AppError('INVALID_PAYLOAD', 'The log must start with the room opening.');
  const hostToken = newToken();
  for (let attempt = 0; attempt < 5; attempt++) {
    const roomId = newRoomId();
    const hostId = memberIdFor(roomId, hostToken);
    const opened = await ctx.log.append(roomId, (state) =>
      state ? null : { type: 'room.opened', actorId: hostId, at: opening.at, room: { ...opening.room, id: roomId, hostId } },
    );
    if (!opened.event) continue;
    for (let start = 0; start < rest.length; start += IMPORT_BATCH) {
      await Promise.all(rest.slice(start, start + IMPORT_BATCH).map((event) => ctx.log.append(roomId, (state) => next(state?.seq ?? 0, event))));
    }
    return { roomId, hostToken, events: events.length };
  }
  throw new AppError('UNAVAILABLE', 'Could not open a room for the import; try again.');
}

/** The event as a draft for the store to stamp with its seq, provided the room is where the log says. */
function next(seq: number, event: RoomEvent): EventDraft {
  // Nobody else knows the new room's id yet; should anything have come between, stop rather than interleave.
  if (seq !== event.seq - 1) throw new AppError('CONFLICT', 'The new room changed while it was being imported; import it again.');
  const { seq: _stamped, ...draft } = event;
  return draft as EventDraft;
}
