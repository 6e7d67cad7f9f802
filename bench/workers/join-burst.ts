import { now } from '../lib/clock.js';
import { ackOk } from '../lib/protocol.js';
import { joinStart, RawSocket } from '../lib/raw-socket.js';
import { distribution } from '../lib/stats.js';

/**
 * `count` fresh viewers connecting and joining at once; the room may be big, so acks are scanned, not parsed.
 * Times per viewer: `handshake` (websocket + namespace connect), `toSnapshot` (connected → the whole join
 * answer, attachments included, is in: the snapshot is usable) and `total` (both).
 */
export async function joinBurst(args: { url: string; roomId: string; count: number }) {
  const start = now();
  const sockets: RawSocket[] = [];
  const results = await Promise.all(Array.from({ length: args.count }, async () => {
    const t0 = now();
    try {
      const socket = await RawSocket.open(args.url, 120_000);
      sockets.push(socket);
      const connected = now();
      const frame = await socket.request('room:join', { roomId: args.roomId, role: 'viewer' }, 120_000);
      const ok = ackOk(frame.data, frame.json);
      const start = ok ? joinStart(frame) : null;
      const seq = start && 'snapshotSeq' in start ? start.snapshotSeq : NaN;
      return { ok, total: frame.at - t0, connect: connected - t0, toSnapshot: frame.at - connected, bytes: frame.bytes, seq, at: frame.at };
    } catch {
      return { ok: false, total: NaN, connect: NaN, toSnapshot: NaN, bytes: 0, seq: NaN, at: now() };
    }
  }));
  const wallMs = Math.max(...results.map((r) => r.at)) - start;
  for (const socket of sockets) socket.terminate();
  const good = results.filter((r) => r.ok);
  return {
    joined: good.length,
    failed: results.length - good.length,
    wallMs,
    joinsPerSec: good.length / (wallMs / 1000),
    openToSnapshot: distribution(good.map((r) => r.total)),
    handshake: distribution(good.map((r) => r.connect)),
    connectToSnapshot: distribution(good.map((r) => r.toSnapshot)),
    bytesPerJoin: good.reduce((sum, r) => sum + r.bytes, 0) / Math.max(1, good.length),
    snapshotSeq: good[0]?.seq ?? NaN,
  };
}
