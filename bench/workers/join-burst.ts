import { now } from '../lib/clock.js';
import { ackOk, firstSeq } from '../lib/protocol.js';
import { RawSocket } from '../lib/raw-socket.js';
import { distribution } from '../lib/stats.js';

/** `count` fresh viewers connecting and joining at once; the room may be big, so acks are scanned, not parsed. */
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
      return { ok: ackOk(frame.data, frame.json), total: frame.at - t0, connect: connected - t0, bytes: frame.data.length, seq: firstSeq(frame.data, frame.json), at: frame.at };
    } catch {
      return { ok: false, total: NaN, connect: NaN, bytes: 0, seq: NaN, at: now() };
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
    connectToSnapshot: distribution(good.map((r) => r.total)),
    handshake: distribution(good.map((r) => r.connect)),
    bytesPerJoin: good.reduce((sum, r) => sum + r.bytes, 0) / Math.max(1, good.length),
    snapshotSeq: good[0]?.seq ?? NaN,
  };
}
