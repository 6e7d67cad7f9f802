/**
 * Participants who write: open-loop posts and reactions on a fixed schedule, a seeder for big rooms, and a
 * probe that times a request the server answers at once (its ack delay is the event-loop lag seen from
 * outside). Open loop: the k-th write goes out at t0 + k/rate whether or not earlier ones were acknowledged,
 * and its body carries that intended time, so a server that falls behind shows it as latency instead of
 * quietly slowing the generator down (coordinated omission).
 */
import { randomBytes } from 'node:crypto';
import { now, waitFor } from '../lib/clock.js';
import { corpusLines, sizedBodies } from '../lib/corpus.js';
import { ackOk, firstSeq, markBody } from '../lib/protocol.js';
import { ackBody, RawSocket, type AckFrame } from '../lib/raw-socket.js';
import { distribution, Samples } from '../lib/stats.js';
import { serve } from '../lib/workers.js';

const EMOJIS = ['👍', '👎', '😂', '🔥', '🤔', '❤️'] as const;
const lines = corpusLines();
let url = '';
let participants: RawSocket[] = [];
let probe: RawSocket | null = null;
/** Acknowledged post ids, newest last: what replies and reactions may target. */
let pool: string[] = [];
const reacted = new Map<string, boolean>();
const idPrefix = randomBytes(4).toString('hex');
let idCounter = 0;
const nextPostId = () => `${idPrefix}${(idCounter++).toString(36).padStart(7, '0')}`;
const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;

function remember(postId: string): void {
  pool.push(postId);
  if (pool.length > 400) pool = pool.slice(-200);
}

function joinPayload(roomId: string, name: string) {
  return { roomId, role: 'participant', name };
}

async function join(args: { url: string; roomId: string; count: number }) {
  url = args.url;
  participants = [];
  pool = [];
  reacted.clear();
  for (let i = 0; i < args.count; i++) {
    const socket = await RawSocket.open(url);
    const answer = ackBody(await socket.request('room:join', joinPayload(args.roomId, `Poster ${i + 1}`)));
    if (!answer.ok) throw new Error(`poster join failed: ${JSON.stringify(answer.error)}`);
    participants.push(socket);
  }
  probe = await RawSocket.open(url);
  return { participants: participants.length };
}

async function createRoom(args: { url: string; title: string }) {
  const socket = await RawSocket.open(args.url);
  const answer = ackBody<{ ok: boolean; data: { roomId: string } }>(await socket.request('room:create', { title: args.title, motion: 'This house would benchmark before it optimises' }));
  socket.terminate();
  if (!answer.ok) throw new Error('room:create failed');
  return { roomId: answer.data.roomId };
}

interface RunArgs {
  writesPerSec: number;
  /** Reactions per post (10 in the brief). */
  reactionsPerPost: number;
  durationMs: number;
  bodyBytes: number;
  /** How long to wait for the last acks. */
  ackTimeoutMs?: number;
}

async function run(args: RunArgs) {
  // The mark adds about 22 bytes; the rest is corpus text.
  const bodies = sizedBodies(lines, Math.max(16, args.bodyBytes - 22));
  const interval = 1000 / args.writesPerSec;
  const total = Math.max(1, Math.round((args.writesPerSec * args.durationMs) / 1000));
  const sendLag = new Samples();
  const ackLag = new Samples();
  const probeRtt = new Samples();
  const errors: Record<string, number> = {};
  let acked = 0;
  let lost = 0;
  let maxSeq = 0;
  let posts = 0;

  const onLost = () => void lost++;
  // [seq, intended send time, …] of acknowledged writes: how viewers turn receipts into latencies.
  const intendedBySeq: number[] = [];
  const onAck = (intended: number, postId: string | null) => (frame: AckFrame) => {
    ackLag.add(frame.at - intended);
    if (ackOk(frame.data, frame.json)) {
      acked++;
      const seq = firstSeq(frame.data, frame.json);
      intendedBySeq.push(seq, intended);
      maxSeq = Math.max(maxSeq, seq);
      if (postId) remember(postId);
    } else {
      const code = (ackBody(frame).error?.code ?? 'UNKNOWN') as string;
      errors[code] = (errors[code] ?? 0) + 1;
    }
  };

  const fire = (k: number, intended: number, actual: number) => {
    sendLag.add(actual - intended);
    const socket = participants[k % participants.length]!;
    if (k % (args.reactionsPerPost + 1) === 0 || pool.length === 0) {
      posts++;
      const id = nextPostId();
      const parentId = pool.length > 0 && Math.random() < 0.7 ? pick(pool.slice(-50)) : null;
      socket.send('post:create', { id, parentId, body: markBody(intended, bodies[k % bodies.length]!) }, onAck(intended, id), onLost);
      return;
    }
    // Alternate each (member, post, emoji) on and off, so every reaction is logged and broadcast.
    const postId = pick(pool.slice(-50));
    const emoji = pick(EMOJIS as unknown as string[]);
    const key = `${k % participants.length}|${postId}|${emoji}`;
    const on = !reacted.get(key);
    reacted.set(key, on);
    socket.send('reaction:set', { postId, emoji, on }, onAck(intended, null), onLost);
  };

  let probing = false;
  const probeTimer = setInterval(() => {
    if (probing || !probe) return;
    probing = true;
    const sent = now();
    probe.send('room:sync', { since: -1 }, (frame) => ((probing = false), probeRtt.add(frame.at - sent)), () => (probing = false));
  }, 20);

  const t0 = now() + 5;
  let k = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const t = now();
      while (k < total && t0 + k * interval <= t) fire(k, t0 + k * interval, t), k++;
      if (k >= total) return resolve();
      setTimeout(tick, Math.max(0, t0 + k * interval - now() - 0.5));
    };
    tick();
  });
  const sentAt = now();
  await waitFor(() => participants.every((socket) => socket.outstanding === 0), args.ackTimeoutMs ?? 60_000, 10);
  clearInterval(probeTimer);
  return {
    sent: total,
    posts,
    acked,
    lost,
    unacked: participants.reduce((sum, socket) => sum + socket.outstanding, 0),
    errors,
    maxSeq,
    intended: intendedBySeq,
    firstSendAt: t0,
    sendMs: sentAt - t0,
    sendLag: distribution(sendLag.take()),
    ackLatency: distribution(ackLag.take()),
    probeRtt: distribution(probeRtt.take()),
  };
}

/**
 * A room of `count` real posts, one corpus line each (cycling), in a reply tree shaped like a live thread:
 * some new top-level arguments, most replies going to recent posts, some to older ones.
 */
async function seed(args: { count: number; wave?: number }) {
  const wave = args.wave ?? 200;
  // Parents come only from earlier waves: a reply must reach the server after the post it answers.
  const ids: string[] = [];
  let maxSeq = 0;
  for (let start = 0; start < args.count; start += wave) {
    const stored = ids.length;
    const sends: Promise<AckFrame>[] = [];
    for (let i = start; i < Math.min(args.count, start + wave); i++) {
      const id = nextPostId();
      const topLevel = stored === 0 || Math.random() < 0.15;
      const parentId = topLevel ? null : ids[Math.random() < 0.6 ? stored - 1 - Math.floor(Math.random() * Math.min(30, stored)) : Math.floor(Math.random() * stored)]!;
      sends.push(participants[i % participants.length]!.request('post:create', { id, parentId, body: lines[i % lines.length] }, 60_000));
      ids.push(id);
    }
    for (const frame of await Promise.all(sends)) {
      if (!ackOk(frame.data, frame.json)) throw new Error(`seed post refused: ${frame.data.toString()}`);
      maxSeq = Math.max(maxSeq, firstSeq(frame.data, frame.json));
    }
  }
  for (const id of ids.slice(-200)) remember(id);
  return { posts: ids.length, maxSeq };
}

function close() {
  for (const socket of participants) socket.terminate();
  probe?.terminate();
  participants = [];
  probe = null;
  return null;
}

const commands = { createRoom, join, run, seed, close };
export type PosterCommands = typeof commands;
serve(commands);
