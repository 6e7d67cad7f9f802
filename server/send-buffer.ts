import type { AppServer, AppSocket } from './sockets.js';

/** What engine.io and ws expose of a connection's backlog (not in their public types). */
interface Connection {
  writeBuffer?: { data?: unknown }[];
  transport?: { socket?: { bufferedAmount?: number; terminate?: () => void } };
  close(discard?: boolean): void;
}

/**
 * Bytes sent to this socket that have not gone out yet: what engine.io holds while the transport is busy,
 * plus what the websocket holds while the kernel will take no more (the peer stopped reading).
 */
function unsentBytes(socket: AppSocket): number {
  const conn = socket.conn as unknown as Connection;
  let bytes = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer ?? []) {
    const data = packet.data;
    if (typeof data === 'string') bytes += data.length;
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) bytes += data.byteLength;
  }
  return bytes;
}

/**
 * A socket that stops reading keeps everything sent to it in server memory until its heartbeat times out
 * (tens of seconds); a few of them asking for big answers could hold hundreds of MB. So a socket whose
 * backlog passes `maxBytes` is dropped, not fed: each read answer is checked before it goes, and a sweep
 * every `sweepMs` catches sockets that fell behind on live frames. Nothing is added to the fan-out path.
 */
export class SendBufferGuard {
  private readonly timer: NodeJS.Timeout;
  /** Sockets dropped so far (for tests and logs). */
  dropped = 0;

  constructor(
    private readonly io: AppServer,
    private readonly maxBytes: number,
    sweepMs: number,
  ) {
    this.timer = setInterval(() => this.sweep(), sweepMs);
    this.timer.unref();
  }

  /** True when `socket` may be sent `bytes` more; otherwise it is dropped. */
  admit(socket: AppSocket, bytes: number): boolean {
    if (unsentBytes(socket) + bytes <= this.maxBytes) return true;
    this.drop(socket);
    return false;
  }

  sweep(): void {
    for (const socket of this.io.of('/').sockets.values()) if (unsentBytes(socket) > this.maxBytes) this.drop(socket);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private drop(socket: AppSocket): void {
    if (!socket.connected) return;
    this.dropped++;
    const conn = socket.conn as unknown as Connection;
    // A close handshake would wait behind the backlog it is meant to free: cut the connection instead.
    const ws = conn.transport?.socket;
    if (typeof ws?.terminate === 'function') ws.terminate();
    else conn.close(true);
    socket.disconnect(true);
  }
}
