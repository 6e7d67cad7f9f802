/**
 * Just enough of Engine.IO v4 / Socket.IO v5 over a bare websocket for thousands of viewers in one process.
 * Over websocket every packet is its own text frame: the first byte is the Engine.IO type (0 open,
 * 2 ping, 3 pong, 4 message), the second the Socket.IO type (0 connect, 2 event, 3 ack, 4 connect error,
 * 6 binary ack), then an optional ack id and the JSON array. A binary ack (`46<n>-<id>[…]`) is followed by
 * n binary frames, its attachments (the app's join snapshot travels that way).
 *
 * Event frames are scanned, not parsed: on a two-core box the viewers share one core and must spend far
 * less per delivery than the server does, or the benchmark measures itself. The scan is exact for what it
 * reads, because JSON escapes every quote inside a string, so the bytes `"seq":` occur only as a key.
 * The socket.io-client viewers that run beside these parse every frame in full.
 */

export const EIO_OPEN = 0x30;
export const EIO_PING = 0x32;
export const EIO_MESSAGE = 0x34;
export const SIO_CONNECT = 0x30;
export const SIO_EVENT = 0x32;
export const SIO_ACK = 0x33;
export const SIO_CONNECT_ERROR = 0x34;
export const SIO_BINARY_ACK = 0x36;

export const ROOM_EVENTS_PREFIX = Buffer.from('42["room:events",');
const SEQ_KEY = Buffer.from('"seq":');
/** Posters start every body with `~t=<intended send time, epoch ms>~`: the corpus never contains it. */
const MARK = Buffer.from('~t=');
export const markBody = (intendedMs: number, text: string) => `~t=${intendedMs.toFixed(3)}~ ${text}`;
export const MARK_PATTERN = /^~t=([0-9.]+)~/;

export function encodeEmit(event: string, payload: unknown, ackId?: number): string {
  return `42${ackId ?? ''}${JSON.stringify([event, payload])}`;
}

export function startsWith(data: Buffer, prefix: Buffer): boolean {
  return data.length >= prefix.length && data.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}

/** Reads an unsigned decimal (with an optional fraction) at `at`; NaN when there is none. */
function readNumber(data: Buffer, at: number): number {
  let value = 0;
  let i = at;
  while (i < data.length && data[i]! >= 0x30 && data[i]! <= 0x39) value = value * 10 + data[i++]! - 0x30;
  if (i === at) return NaN;
  if (data[i] === 0x2e) {
    let scale = 0.1;
    for (i++; i < data.length && data[i]! >= 0x30 && data[i]! <= 0x39; i++, scale /= 10) value += (data[i]! - 0x30) * scale;
  }
  return value;
}

/** The ack id of a `43<id>[…]` frame (or, from `from`, of a binary ack's) and where its JSON starts. */
export function readAckId(data: Buffer, from = 2): { id: number; json: number } {
  let id = 0;
  let i = from;
  while (data[i]! >= 0x30 && data[i]! <= 0x39) id = id * 10 + data[i++]! - 0x30;
  return { id, json: i };
}

/** Calls `onSeq` for every event of a `room:events` frame, in order; returns how many there were. */
export function scanSeqs(data: Buffer, from: number, onSeq: (seq: number) => void): number {
  let count = 0;
  for (let at = data.indexOf(SEQ_KEY, from); at >= 0; at = data.indexOf(SEQ_KEY, at + SEQ_KEY.length)) {
    onSeq(readNumber(data, at + SEQ_KEY.length));
    count++;
  }
  return count;
}

/**
 * Calls `onMark` with the intended send time of every post body in the frame. Marks are not tied to their
 * event's seq, so the scan does not depend on the order in which the server writes an event's keys.
 */
export function scanMarks(data: Buffer, from: number, onMark: (mark: number) => void): void {
  for (let at = data.indexOf(MARK, from); at >= 0; at = data.indexOf(MARK, at + MARK.length)) onMark(readNumber(data, at + MARK.length));
}

/** The first seq in a frame (a join ack's snapshot: `room` precedes `seq` and carries none of its own). */
export function firstSeq(data: Buffer, from: number): number {
  const at = data.indexOf(SEQ_KEY, from);
  return at < 0 ? NaN : readNumber(data, at + SEQ_KEY.length);
}

/** Whether an ack's JSON (`[{"ok":true…`) reports success, without parsing a possibly huge snapshot. */
export function ackOk(data: Buffer, json: number): boolean {
  return data.toString('latin1', json, json + 11) === '[{"ok":true';
}

/** The join ack's token: the last `"token":"…"` in the frame (the Joined object ends with it). */
export function lastToken(data: Buffer): string | null {
  const at = data.lastIndexOf('"token":"');
  if (at < 0) return null;
  const start = at + 9;
  const end = data.indexOf(0x22, start);
  return end < 0 ? null : data.toString('latin1', start, end);
}
