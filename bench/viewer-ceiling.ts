/**
 * How many frames a second the bench's viewer core can take, and how long a frame waits there: the ceiling
 * of any fan-out figure this machine can measure. No app: a bare Socket.IO server on the server core writes
 * one ready-made `room:events` frame (10 events, as an 8× coalesced frame carries) to every socket, a chunk
 * of 256 per turn, each chunk's frame stamped with its write time; the bench's own bulk viewers (RawSocket)
 * on the other core note when they read it. "transit" is read time − write time: no waiting for a sweep,
 * only the sockets and the viewers' queue. Sweeps go back to back, then with pauses between them.
 *
 *   npx tsx bench/viewer-ceiling.ts [viewers=5000]
 */
import { execFileSync, fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { Server } from 'socket.io';
import { now, sleep } from './lib/clock.js';
import { pinned, pinning } from './lib/pinning.js';
import { RawSocket } from './lib/raw-socket.js';
import { distribution } from './lib/stats.js';
import { textFrame } from '../server/frame-writer.js';

const SWEEP_CHUNK = 256;
const PHASE_MS = 6_000;
const PAUSES_MS = [0, 15, 30, 60];

interface ViewerReport { frames: number; cpuMs: number; ms: number; transit: number[] }

if (process.argv[2] === '--viewers') await runViewers(process.argv[3]!, Number(process.argv[4]));
else await runServer(Number(process.argv[2] ?? 5_000));

async function runServer(viewers: number): Promise<void> {
  if (pinning.enabled) execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  io.on('connection', (socket) => void socket.join('room'));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const [command, ...args] = pinned('generator', [process.execPath, '--import', 'tsx', import.meta.filename, '--viewers', url, String(viewers)]);
  const child = fork(args.at(-4)!, args.slice(-3), { execPath: command, execArgv: args.slice(0, -4) });
  const messages: ViewerReport[] = [];
  let ready!: () => void;
  const connected = new Promise<void>((resolve) => (ready = resolve));
  child.on('message', (message: 'ready' | ViewerReport) => (message === 'ready' ? ready() : messages.push(message)));
  await connected;

  const tcp = [...(io.of('/').adapter.rooms.get('room') ?? [])].map(
    (id) => (io.of('/').sockets.get(id)!.conn as unknown as { transport: { socket: { _socket: NetSocket } } }).transport.socket._socket,
  );
  console.log(`${tcp.length} viewers on one core; ${pinning.why}. Server and viewers: a bare Socket.IO server and the bench's RawSocket viewers.`);
  console.log('| pause between sweeps | sweep ms | frames/s written | server CPU µs/frame | viewers CPU | viewers CPU µs/frame | transit p50 / p99 ms |');
  console.log('|---|---|---|---|---|---|---|');
  for (const pauseMs of PAUSES_MS) {
    child.send('start');
    const cpu = process.cpuUsage();
    const start = performance.now();
    let sweeps = 0;
    while (performance.now() - start < PHASE_MS) {
      for (let from = 0; from < tcp.length; from += SWEEP_CHUNK) {
        const frame = stampedFrame();
        for (const socket of tcp.slice(from, from + SWEEP_CHUNK)) socket.write(frame);
        await new Promise((resolve) => setImmediate(resolve));
      }
      sweeps++;
      if (pauseMs) await sleep(pauseMs);
    }
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    await sleep(500);
    child.send('stop');
    while (messages.length === 0) await sleep(20);
    const report = messages.shift()!;
    const written = sweeps * tcp.length;
    const transit = distribution(report.transit);
    console.log(`| ${pauseMs} ms | ${(ms / sweeps).toFixed(1)} | ${Math.round((written / ms) * 1000).toLocaleString('en')} | ${((used.user + used.system) / written).toFixed(1)} | ${Math.round((report.cpuMs / report.ms) * 100)} % | ${((report.cpuMs * 1000) / report.frames).toFixed(1)} | ${transit.p50.toFixed(1)} / ${transit.p99.toFixed(1)} |`);
  }
  child.kill();
  io.close();
}

/** A `room:events` frame of ten 300-byte posts whose first event carries the time it is written (`"t":`). */
function stampedFrame(): Buffer {
  const events = Array.from({ length: 10 }, (_, i) => ({ type: 'post.created', seq: i + 1, ...(i === 0 ? { t: now() } : {}), post: { id: `post-${i}`, body: 'x'.repeat(300) } }));
  return textFrame(`42${JSON.stringify(['room:events', events, 'epoch'])}`);
}

async function runViewers(url: string, count: number): Promise<void> {
  const stamp = Buffer.from('"t":');
  let counting = false;
  let frames = 0;
  const transit: number[] = [];
  const sockets: RawSocket[] = [];
  for (let i = 0; i < count; i += 250) sockets.push(...(await Promise.all(Array.from({ length: Math.min(250, count - i) }, () => RawSocket.open(url, 60_000)))));
  for (const socket of sockets) {
    socket.onEvents = (data, at) => {
      if (!counting) return;
      frames++;
      const mark = data.indexOf(stamp);
      if (mark >= 0) transit.push(at - parseFloat(data.toString('latin1', mark + stamp.length, mark + stamp.length + 20)));
    };
  }
  let cpu = process.cpuUsage();
  let start = 0;
  process.on('message', (message: 'start' | 'stop') => {
    if (message === 'start') {
      counting = true;
      frames = 0;
      transit.length = 0;
      cpu = process.cpuUsage();
      start = performance.now();
      return;
    }
    counting = false;
    const used = process.cpuUsage(cpu);
    process.send!({ frames, cpuMs: (used.user + used.system) / 1000, ms: performance.now() - start, transit } satisfies ViewerReport);
  });
  process.send!('ready');
}
