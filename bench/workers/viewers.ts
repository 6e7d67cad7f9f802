/**
 * The viewer swarm: thousands of bare-websocket viewers plus a few real socket.io-client ones, all
 * following one room by seq. It reports per phase (frames, events, latency samples) and at the end checks
 * that every viewer got every event exactly once. Also: cut-and-rejoin churn, and join bursts.
 */
import { now } from '../lib/clock.js';
import { distribution, Receipts, Samples, writeSamples } from '../lib/stats.js';
import { serve } from '../lib/workers.js';
import { startChurn, type ChurnPlan, type ChurnResult } from './churn.js';
import { joinBurst } from './join-burst.js';
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
  // A broadcast reaches sockets in the order they joined, one write each, so the socket.io-client viewers are
  // spread evenly through the join order: at the front they would only ever see the first writes.
  const total = args.raw + args.io;
  const fidelityAt = new Set(Array.from({ length: args.io }, (_, i) => Math.floor(((i + 0.5) * total) / args.io)));
  const fresh: Viewer[] = Array.from({ length: total }, (_, i) =>
    fidelityAt.has(i) ? new IoViewer(args.url, args.roomId, sink, true) : new RawViewer(args.url, args.roomId, sink, false));
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

let churning: Promise<ChurnResult> | null = null;

function churn(args: ChurnPlan) {
  const started = startChurn(viewers, args);
  churning = started.done;
  return { slice: started.slice };
}

const churnResult = () => churning;

function closeAll() {
  for (const viewer of viewers) viewer.close();
  viewers = [];
  churning = null;
  return null;
}

const commands = { connect, begin, status, end, check, churn, churnResult, joinBurst, closeAll };
export type ViewerCommands = typeof commands;
serve(commands);
