import WebSocket from 'ws';
import { now } from './clock.js';
import {
  EIO_MESSAGE, EIO_OPEN, EIO_PING, ROOM_EVENTS_PREFIX, SIO_ACK, SIO_BINARY_ACK, SIO_CONNECT, SIO_CONNECT_ERROR, SIO_EVENT,
  encodeEmit, firstSeq, readAckId, scanSeqs, startsWith,
} from './protocol.js';

export interface AckFrame {
  data: Buffer;
  /** Where the ack's JSON array starts in `data`. */
  json: number;
  /** A binary ack's attachments, in order (the JSON holds placeholders for them). */
  attachments: Buffer[];
  /** Bytes of the frame and its attachments. */
  bytes: number;
  /** When it arrived (clock.now). */
  at: number;
}

const wsUrl = (base: string) => `${base.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;

/**
 * One Socket.IO connection to the default namespace over a bare `ws` socket. Frames stay Buffers: acks are
 * handed over raw and events go to `onEvents` with their receive time, so the caller decides how much to parse.
 */
export class RawSocket {
  onEvents: ((data: Buffer, at: number) => void) | null = null;
  onClose: (() => void) | null = null;
  bytesIn = 0;
  closed = false;
  private nextId = 1;
  private pending = new Map<number, { resolve: (frame: AckFrame) => void; reject: (error: Error) => void }>();
  /** A binary ack still waiting for `count` attachments. */
  private binaryAck: { id: number; frame: AckFrame; count: number } | null = null;

  private constructor(private readonly ws: WebSocket) {}

  /** Resolves once the namespace is connected (the server answered `40`). */
  static open(base: string, timeoutMs = 20_000): Promise<RawSocket> {
    // No compression (the server offers none) and no UTF-8 validation: both would be client cost only.
    const ws = new WebSocket(wsUrl(base), { perMessageDeflate: false, skipUTF8Validation: true });
    const socket = new RawSocket(ws);
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        clearTimeout(timer);
        ws.terminate();
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(`connect timed out after ${timeoutMs} ms`)), timeoutMs);
      ws.on('error', (error) => (socket.closed ? undefined : fail(error)));
      ws.on('close', () => socket.closedByPeer());
      ws.on('message', (data: Buffer) => {
        socket.bytesIn += data.length;
        if (data[0] === EIO_OPEN) ws.send('40');
        else if (data[0] === EIO_MESSAGE && data[1] === SIO_CONNECT) {
          clearTimeout(timer);
          ws.removeAllListeners('message');
          ws.on('message', socket.receive);
          resolve(socket);
        } else if (data[0] === EIO_MESSAGE && data[1] === SIO_CONNECT_ERROR) fail(new Error(`connect refused: ${data.toString()}`));
      });
    });
  }

  /** Emits with an ack and resolves with the raw ack frame. */
  request(event: string, payload: unknown, timeoutMs = 30_000): Promise<AckFrame> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${event}: no ack within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (frame) => (clearTimeout(timer), resolve(frame)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      this.ws.send(encodeEmit(event, payload, id));
    });
  }

  /** Emits with an ack without a promise or timer each: the posters' hot path. */
  send(event: string, payload: unknown, onAck: (frame: AckFrame) => void, onLost: (error: Error) => void): void {
    const id = this.nextId++;
    this.pending.set(id, { resolve: onAck, reject: onLost });
    this.ws.send(encodeEmit(event, payload, id));
  }

  get outstanding(): number {
    return this.pending.size;
  }

  /** Drops the connection without a close handshake, as a network cut would. */
  terminate(): void {
    this.closed = true;
    this.ws.terminate();
  }

  private receive = (data: Buffer, isBinary: boolean) => {
    this.bytesIn += data.length;
    if (isBinary) return this.attach(data);
    const engine = data[0];
    if (engine === EIO_PING) return this.ws.send('3');
    if (engine !== EIO_MESSAGE) return;
    if (data[1] === SIO_EVENT) {
      if (this.onEvents && startsWith(data, ROOM_EVENTS_PREFIX)) this.onEvents(data, now());
    } else if (data[1] === SIO_ACK) {
      const { id, json } = readAckId(data);
      this.settle(id, { data, json, attachments: [], bytes: data.length, at: now() });
    } else if (data[1] === SIO_BINARY_ACK) {
      const dash = data.indexOf(0x2d, 2);
      const { id, json } = readAckId(data, dash + 1);
      this.binaryAck = { id, count: Number(data.toString('latin1', 2, dash)), frame: { data, json, attachments: [], bytes: data.length, at: 0 } };
    }
  };

  private attach(data: Buffer): void {
    const ack = this.binaryAck;
    if (!ack) return;
    ack.frame.attachments.push(data);
    ack.frame.bytes += data.length;
    if (ack.frame.attachments.length < ack.count) return;
    this.binaryAck = null;
    this.settle(ack.id, { ...ack.frame, at: now() });
  }

  private settle(id: number, frame: AckFrame): void {
    const waiter = this.pending.get(id);
    if (!waiter) return;
    this.pending.delete(id);
    waiter.resolve(frame);
  }

  private closedByPeer(): void {
    const wasOpen = !this.closed;
    this.closed = true;
    const lost = new Error('connection closed');
    for (const waiter of this.pending.values()) waiter.reject(lost);
    this.pending.clear();
    if (wasOpen) this.onClose?.();
  }
}

/**
 * Where a join answer starts the viewer: the snapshot's seq (scanned in the binary attachment, not parsed)
 * or, for a rejoin with `since`, the seqs of the missed events (scanned in theirs). Both travel as an
 * attachment; the ack's JSON says which (`"kind":"events"` or `"kind":"snapshot"`).
 */
export function joinStart(frame: AckFrame): { snapshotSeq: number } | { events: number[] } {
  const attachment = frame.attachments[0];
  if (!attachment) throw new Error(`a join answer without its attachment: ${frame.data.toString('utf8', 0, 200)}`);
  if (frame.data.indexOf('"kind":"events"', frame.json) < 0) return { snapshotSeq: firstSeq(attachment, 0) };
  const events: number[] = [];
  scanSeqs(attachment, 0, (seq) => void events.push(seq));
  return { events };
}

/** An ack's first argument, parsed in full (for small acks only). */
export function ackBody<T = { ok: boolean; data?: unknown; error?: { code: string; message: string } }>(frame: AckFrame): T {
  return (JSON.parse(frame.data.toString('utf8', frame.json)) as T[])[0]!;
}
