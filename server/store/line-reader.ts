import type { FileHandle } from 'node:fs/promises';

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

interface LinesRead {
  /** Where reading stopped: just past the last complete line, or at the line `onLine` refused. */
  end: number;
  /** `onLine` returned false for the line starting at `end`. */
  stopped: boolean;
  /** Bytes after `end` with no newline (a line whose write never finished), when not stopped. */
  tornBytes: number;
  /** A "line" grew past `maxLineBytes` without a newline: what starts at `end` is not a log line. */
  overlong: boolean;
}

/**
 * Reads the complete lines of `file` in [from, to) a chunk at a time, so memory stays at about one chunk
 * whatever the file's size. `onLine` gets each line (without its newline, a view valid only during the
 * call) and its byte offset, and returns false to stop there.
 */
export async function forEachLine(
  file: FileHandle,
  from: number,
  to: number,
  onLine: (line: Buffer, offset: number) => boolean | void,
  maxLineBytes = 64 << 20,
): Promise<LinesRead> {
  // One buffer for the whole read: the unfinished end of a chunk moves to its front, the next chunk goes after it.
  let buffer = Buffer.allocUnsafe(CHUNK_BYTES * 2);
  let carried = 0;
  let carriedOffset = from;
  let position = from;
  while (position < to) {
    if (buffer.length - carried < CHUNK_BYTES) {
      if (carried > maxLineBytes) return { end: carriedOffset, stopped: false, tornBytes: 0, overlong: true };
      const larger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(larger, 0, 0, carried);
      buffer = larger;
    }
    const { bytesRead } = await file.read(buffer, carried, Math.min(buffer.length - carried, to - position), position);
    if (bytesRead === 0) break;
    position += bytesRead;
    const filled = carried + bytesRead;
    const data = buffer.subarray(0, filled);
    let start = 0;
    for (let newline = data.indexOf(NEWLINE, start); newline !== -1; newline = data.indexOf(NEWLINE, start)) {
      if (onLine(data.subarray(start, newline), carriedOffset + start) === false) {
        return { end: carriedOffset + start, stopped: true, tornBytes: 0, overlong: false };
      }
      start = newline + 1;
    }
    buffer.copyWithin(0, start, filled);
    carried = filled - start;
    carriedOffset += start;
  }
  return { end: carriedOffset, stopped: false, tornBytes: carried, overlong: false };
}
