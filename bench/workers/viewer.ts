import { io as ioClient, type Socket } from 'socket.io-client';
import { now } from '../lib/clock.js';
import { SeqFollower } from '../lib/follower.js';
import type { Joined } from '../../shared/events.js';
import { decodeEvents, decodeSnapshot } from '../../shared/snapshot-codec.js';
import { ackOk, lastToken, MARK_PATTERN, ROOM_EVENTS_PREFIX, scanMarks, scanSeqs } from '../lib/protocol.js';
import { joinStart, RawSocket } from '../lib/raw-socket.js';

/** Where a viewer's receipts go: counters for the current phase and the latency samples. */
export interface Sink {
  frame(bytes: number, events: number, at: number): void;
  /** An event applied on arrival: its seq and when it came (matched later with the write's intended time). */
  receipt(seq: number, at: number, fidelity: boolean): void;
  /** A post's body carried its intended send time: a latency sample that needs no matching. */
  postLatency(ms: number, fidelity: boolean): void;
}

export interface Rejoined {
  ms: number;
  /** Where the time went: websocket + namespace connect, then the join answer with what was missed. */
  stages: { open: number; join: number };
  bytes: number;
  /** Events the join answer carried (0 when it was a snapshot). */
  events: number;
  snapshot: boolean;
}

/**
 * A viewer of one room: joins, follows the log by seq, and after a cut rejoins with its token and the last
 * seq it applied, as the real client does, and applies what the join answer says it missed. Two implementations share the follower and the checks.
 */
export abstract class Viewer {
  token: string | null = null;
  /** Connections the server closed on its own (none are expected). */
  dropped = 0;
  readonly follower: SeqFollower;

  constructor(protected readonly url: string, protected readonly roomId: string, protected readonly sink: Sink, private readonly fidelity: boolean) {
    this.follower = new SeqFollower();
  }

  /**
   * Latency is sampled from a frame only when every event in it was applied on arrival: not while catching
   * up, not for a duplicate, not for an event a sync answer had already brought.
   */
  protected received(seqs: number[], marks: (sample: (mark: number) => void) => void, at: number): void {
    let applied = 0;
    for (const seq of seqs) if (this.follower.live(seq)) applied++;
    if (applied !== seqs.length || applied === 0) return;
    for (const seq of seqs) this.sink.receipt(seq, at, this.fidelity);
    marks((mark) => this.sink.postLatency(at - mark, this.fidelity));
  }

  abstract join(): Promise<void>;
  /** Drops the connection abruptly (a network cut). */
  abstract cut(): void;
  /** Reconnects, rejoins with the same token since the last seq, and applies the answer. */
  abstract rejoin(): Promise<Rejoined>;
  abstract close(): void;

  protected joinPayload() {
    return this.token ? { roomId: this.roomId, role: 'viewer', token: this.token, since: this.follower.last } : { roomId: this.roomId, role: 'viewer' };
  }

  /** Applies where a join answer starts this viewer: the first join's snapshot, or a rejoin's missed events (or snapshot). */
  protected started(start: { snapshotSeq: number } | { events: number[] }): void {
    if (this.follower.base < 0) this.follower.joined('snapshotSeq' in start ? start.snapshotSeq : NaN);
    else if ('snapshotSeq' in start) this.follower.snapshot(start.snapshotSeq);
    else this.follower.synced(start.events);
    this.follower.caughtUp();
  }
}

/** The bulk viewer: a bare websocket that scans frames instead of parsing them (see protocol.ts). */
export class RawViewer extends Viewer {
  private socket: RawSocket | null = null;

  async join(): Promise<void> {
    await this.connect();
  }

  cut(): void {
    this.socket?.terminate();
    this.socket = null;
  }

  async rejoin(): Promise<Rejoined> {
    const start = now();
    this.follower.reconnecting();
    const joined = await this.connect();
    return { ms: now() - start, stages: { open: joined.openMs, join: joined.joinMs }, bytes: joined.bytes, events: joined.events, snapshot: joined.events < 0 };
  }

  close(): void {
    this.cut();
  }

  /** Opens, listens, joins; the first join sets the seq the viewer is owed everything after. `events` is -1 for a snapshot. */
  private async connect(): Promise<{ bytes: number; openMs: number; joinMs: number; events: number }> {
    const start = now();
    const socket = await RawSocket.open(this.url, 60_000);
    const opened = now();
    this.socket = socket;
    socket.onClose = () => void this.dropped++;
    socket.onEvents = (data, at) => {
      // A terminated socket may still hand over frames it had buffered: they belong to the old connection.
      if (this.socket !== socket) return;
      const seqs: number[] = [];
      scanSeqs(data, ROOM_EVENTS_PREFIX.length, (seq) => void seqs.push(seq));
      this.received(seqs, (sample) => scanMarks(data, ROOM_EVENTS_PREFIX.length, sample), at);
      this.sink.frame(data.length, seqs.length, at);
    };
    const frame = await socket.request('room:join', this.joinPayload(), 120_000);
    if (!ackOk(frame.data, frame.json)) throw new Error(`room:join refused: ${frame.data.toString('utf8', 0, 200)}`);
    this.token ??= lastToken(frame.data);
    const begin = joinStart(frame);
    this.started(begin);
    return { bytes: frame.bytes, openMs: opened - start, joinMs: frame.at - opened, events: 'events' in begin ? begin.events.length : -1 };
  }
}

type EventLike = { seq: number; body?: unknown };
type Answer<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** The fidelity viewer: the real socket.io-client, parsing every frame in full. */
export class IoViewer extends Viewer {
  private socket: Socket | null = null;

  async join(): Promise<void> {
    await this.connect();
  }

  cut(): void {
    this.socket?.disconnect();
    this.socket = null;
  }

  async rejoin(): Promise<Rejoined> {
    const start = now();
    this.follower.reconnecting();
    const joined = await this.connect();
    return { ms: now() - start, stages: { open: joined.openMs, join: joined.joinMs }, bytes: NaN, events: joined.events, snapshot: joined.events < 0 };
  }

  close(): void {
    this.cut();
  }

  private async connect(): Promise<{ openMs: number; joinMs: number; events: number }> {
    const start = now();
    const socket = ioClient(this.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    this.socket = socket;
    socket.on('disconnect', (reason) => reason !== 'io client disconnect' && this.dropped++);
    socket.on('room:events', (events: EventLike[]) => {
      if (this.socket !== socket) return;
      const at = now();
      this.received(events.map((event) => event.seq), (sample) => {
        for (const event of events) {
          const mark = typeof event.body === 'string' ? MARK_PATTERN.exec(event.body) : null;
          if (mark) sample(Number(mark[1]));
        }
      }, at);
      this.sink.frame(0, events.length, at);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const opened = now();
    const answer = (await socket.timeout(120_000).emitWithAck('room:join', this.joinPayload())) as Answer<Joined>;
    if (!answer.ok) throw new Error(`room:join refused: ${answer.error.code}`);
    this.token ??= answer.data.token;
    const { start: begin } = answer.data;
    const missed = begin.kind === 'events' ? decodeEvents(begin.encoded) : null;
    this.started(missed ? { events: missed.map((event) => event.seq) } : { snapshotSeq: decodeSnapshot(begin.encoded).snapshot.seq });
    return { openMs: opened - start, joinMs: now() - opened, events: missed ? missed.length : -1 };
  }
}
