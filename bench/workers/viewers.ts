/**
 * The viewer swarm: thousands of bare-websocket viewers plus a few real socket.io-client ones, all
 * following one room by seq. It reports per phase (frames, events, latency samples) and at the end checks
 * that every viewer got every event exactly once. Also: cut-and-rejoin churn, and join bursts.
 */
import { now, sleep } from '../lib/clock.js';
import { ackOk, firstSeq } from '../lib/protocol.js';
import { RawSocket } from '../lib/raw-socket.js';
import { distribution, Receipts, Samples, writeSamples } from '../lib/stats.js';
import { serve } from '../lib/workers.js';
import { IoViewer, RawViewer, type Sink, type Viewer } from './viewer.js';

let viewers: Viewer[] = [];

const phase = { frames: 0, events: 0, bytes: 0, firstAt: 0, lastAt: 0 };
const receipts = new Receipts();
const fidelityReceipts = new Receipts();
const postLatency = new Samples();
const sink: Sink = {
  frame(bytes, events, at) {
    phase.frames++;
    phase.events += events;
    phase.bytes += bytes;
    if (!phase.firstAt) phase.firstAt = at;
    phase.lastAt = at;
  },
  receipt(seq, at, fidelity) {
    (fidelity ? fidelityReceipts : receipts).add(seq, at);
  },
  postLatency(ms, fidelity) {
    if (!fidelity) postLatency.add(ms);
  },
};

/** Runs `task` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await task(items[index]!);
    }
  });
  await Promise.all(lanes);
  return out;
}

async function connect(args: { url: string; roomId: string; raw: number; io: number; concurrency?: number }) {
  const start = now();
  const fresh: Viewer[] = [
    ...Array.from({ length: args.io }, () => new IoViewer(args.url, args.roomId, sink, true)),
    ...Array.from({ length: args.raw }, () => new RawViewer(args.url, args.roomId, sink, false)),
  ];
  await pool(fresh, args.concurrency ?? 100, (viewer) => viewer.join());
  viewers.push(...fresh);
  const bases = fresh.map((viewer) => viewer.follower.base);
  return { viewers: viewers.length, ms: now() - start, minBase: Math.min(...bases), maxBase: Math.max(...bases) };
}

function begin() {
  Object.assign(phase, { frames: 0, events: 0, bytes: 0, firstAt: 0, lastAt: 0 });
  receipts.clear();
  fidelityReceipts.clear();
  postLatency.take();
  return null;
}

function status() {
  let minLast = Infinity;
  let catchingUp = 0;
  for (const viewer of viewers) {
    minLast = Math.min(minLast, viewer.follower.last);
    if (viewer.follower.catchingUp) catchingUp++;
  }
  return { minLast, catchingUp, lastAt: phase.lastAt };
}

/**
 * The phase's receipts. `intended` is [seq, intended send time, …] for every acknowledged write, so every
 * event (reactions too, which carry no mark) becomes a latency sample; samples go to `samplesPath`.
 */
function end(args: { samplesPath?: string; intended: number[] }) {
  const sentAt = new Map<number, number>();
  for (let i = 0; i < args.intended.length; i += 2) sentAt.set(args.intended[i]!, args.intended[i + 1]!);
  const samples = receipts.latencies(sentAt);
  const fidelity = fidelityReceipts.latencies(sentAt);
  const posts = postLatency.take();
  if (args.samplesPath) {
    writeSamples(args.samplesPath, samples);
    writeSamples(args.samplesPath.replace(/\.f32\.gz$/, '.posts.f32.gz'), posts);
  }
  return { ...phase, latency: distribution(samples), fidelityLatency: distribution(fidelity), postLatency: distribution(posts), unmatched: receipts.count - samples.length };
}

/** Delivery over the whole life of the swarm: every viewer owes every seq after its join, once. */
function check(args: { finalSeq: number }) {
  const totals = { viewers: viewers.length, perfect: 0, applied: 0, viaSnapshot: 0, duplicates: 0, missing: 0, overlap: 0, dropped: 0, owed: 0 };
  const examples: string[] = [];
  for (const [index, viewer] of viewers.entries()) {
    const f = viewer.follower;
    totals.applied += f.applied;
    totals.viaSnapshot += f.viaSnapshot;
    totals.duplicates += f.duplicates;
    totals.missing += f.missing;
    totals.overlap += f.overlap;
    totals.dropped += viewer.dropped;
    totals.owed += args.finalSeq - f.base;
    const problems = f.problems(args.finalSeq);
    if (problems.length === 0) totals.perfect++;
    else if (examples.length < 5) examples.push(`viewer ${index} (${viewer instanceof IoViewer ? 'socket.io-client' : 'raw'}): ${problems.join(', ')}`);
  }
  return { ...totals, delivered: (totals.applied + totals.viaSnapshot) / Math.max(1, totals.owed), examples };
}

export interface ChurnResult {
  cuts: number;
  catchUp: ReturnType<typeof distribution>;
  stages: { open: ReturnType<typeof distribution>; join: ReturnType<typeof distribution>; sync: ReturnType<typeof distribution> };
  meanBytes: number;
  meanEvents: number;
  snapshots: number;
  failures: number;
}
let churning: Promise<ChurnResult> | null = null;

/**
 * Every `periodMs`, cuts the next `fraction` of viewers (rotating, so all take their turn), keeps them off
 * for `offMs`, then brings them all back at once: a network blip for a slice of the audience.
 */
function churn(args: { fraction: number; periodMs: number; offMs: number; cycles: number }) {
  const catchUp = new Samples();
  const stages = { open: new Samples(), join: new Samples(), sync: new Samples() };
  const bytes: number[] = [];
  const synced: number[] = [];
  let snapshots = 0;
  let failures = 0;
  const slice = Math.max(1, Math.round(viewers.length * args.fraction));
  churning = (async (): Promise<ChurnResult> => {
    const start = now();
    for (let cycle = 0; cycle < args.cycles; cycle++) {
      await sleep(Math.max(0, start + (cycle + 0.5) * args.periodMs - now()));
      const group = Array.from({ length: slice }, (_, i) => viewers[(cycle * slice + i) % viewers.length]!);
      for (const viewer of group) viewer.cut();
      await sleep(args.offMs);
      await Promise.all(group.map(async (viewer) => {
        for (let attempt = 1; ; attempt++) {
          try {
            const rejoined = await viewer.rejoin();
            catchUp.add(rejoined.ms);
            for (const stage of ['open', 'join', 'sync'] as const) stages[stage].add(rejoined.stages[stage]);
            if (Number.isFinite(rejoined.bytes)) bytes.push(rejoined.bytes);
            synced.push(rejoined.events);
            if (rejoined.snapshot) snapshots++;
            return;
          } catch {
            failures++;
            viewer.cut();
            if (attempt >= 5) return;
            await sleep(250 * attempt);
          }
        }
      }));
    }
    const samples = catchUp.take();
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
    return {
      cuts: samples.length,
      catchUp: distribution(samples),
      stages: { open: distribution(stages.open.take()), join: distribution(stages.join.take()), sync: distribution(stages.sync.take()) },
      meanBytes: mean(bytes),
      meanEvents: mean(synced),
      snapshots,
      failures,
    };
  })();
  return { slice };
}

const churnResult = () => churning;

/** `count` fresh viewers connecting and joining at once; the room may be big, so acks are scanned, not parsed. */
async function joinBurst(args: { url: string; roomId: string; count: number }) {
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

function closeAll() {
  for (const viewer of viewers) viewer.close();
  viewers = [];
  churning = null;
  return null;
}

const commands = { connect, begin, status, end, check, churn, churnResult, joinBurst, closeAll };
export type ViewerCommands = typeof commands;
serve(commands);
