import type { FileHandle } from 'node:fs/promises';
import type { RoomEvent } from '../../shared/room-events.js';
import { RECENT_EVENTS, rememberEvent, type StoredRoom } from './stored-room.js';

const READ_SPAN_BYTES = 4 << 20;
const READ_GAP_BYTES = 64 << 10;

/**
 * Where each room's recent lines sit in the log, while replaying. Replay keeps byte offsets, not events:
 * parking every replayed event in a recent list until newer ones push it out would make nearly all of
 * them live long enough to reach the old generation of the heap, and the heap (so RSS) would grow far
 * beyond what is finally kept. Only the lines finally kept are read back, once, at the end.
 */
export class RecentLines {
  private lines = new Map<StoredRoom, number[]>();

  /** The line at `offset` (`length` bytes, newline excluded) holds the room's newest event. */
  add(room: StoredRoom, offset: number, length: number): void {
    let spans = this.lines.get(room);
    if (!spans) this.lines.set(room, (spans = []));
    spans.push(offset, length);
    if (spans.length >= RECENT_EVENTS * 2.5) spans.splice(0, spans.length - RECENT_EVENTS * 2);
  }

  /** Reads the lines kept back into each room's recent events, in log order (which is seq order within a room). */
  async load(file: FileHandle): Promise<void> {
    const wanted: [offset: number, length: number, room: StoredRoom][] = [];
    for (const [room, spans] of this.lines) {
      for (let i = Math.max(0, spans.length - RECENT_EVENTS * 2); i < spans.length; i += 2) wanted.push([spans[i]!, spans[i + 1]!, room]);
    }
    this.lines.clear();
    wanted.sort((a, b) => a[0] - b[0]);
    // Neighbouring lines are read together: a room's recent lines tend to sit near the end of the log.
    for (let first = 0; first < wanted.length; ) {
      const start = wanted[first]![0];
      let last = first;
      while (last + 1 < wanted.length) {
        const [offset, length] = wanted[last + 1]!;
        const [previous, previousLength] = wanted[last]!;
        if (offset - (previous + previousLength) > READ_GAP_BYTES || offset + length - start > READ_SPAN_BYTES) break;
        last++;
      }
      const end = wanted[last]![0] + wanted[last]![1];
      const span = Buffer.allocUnsafe(end - start);
      await readFully(file, span, start);
      for (let i = first; i <= last; i++) {
        const [offset, length, room] = wanted[i]!;
        const [, event] = JSON.parse(span.toString('utf8', offset - start, offset - start + length)) as [string, RoomEvent];
        rememberEvent(room, event);
      }
      first = last + 1;
    }
  }
}

async function readFully(file: FileHandle, into: Buffer, position: number): Promise<void> {
  for (let read = 0; read < into.length; ) {
    const { bytesRead } = await file.read(into, read, into.length - read, position + read);
    if (bytesRead === 0) throw new Error(`the log ended before byte ${position + into.length}`);
    read += bytesRead;
  }
}
