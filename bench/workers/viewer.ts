import { io as ioClient, type Socket } from 'socket.io-client';
import { now } from '../lib/clock.js';
import { SeqFollower } from '../lib/follower.js';
import { ackOk, firstSeq, lastToken, MARK_PATTERN, ROOM_EVENTS_PREFIX, scanMarks, scanSeqs } from '../lib/protocol.js';
import { ackBody, RawSocket } from '../lib/raw-socket.js';

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
  /** Where the time went: websocket + namespace connect, join ack, sync ack. */
  stages: { open: number; join: number; sync: number };
  bytes: number;
  /** Events the sync answer carried (0 when it was a snapshot). */
  events: number;
  snapshot: boolean;
}

/**
 * A viewer of one room: joins, follows the log by seq, and after a cut rejoins with its token and syncs
 * from its last seq, as the real client does. Two implementations share the follower and the checks.
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
  /** Reconnects, rejoins with the same token, syncs since the last seq and applies it. */
  abstract rejoin(): Promise<Rejoined>;
  abstract close(): void;

  protected joinPayload() {
    return this.token ? { roomId: this.roomId, role: 'viewer', token: this.token } : { roomId: this.roomId, role: 'viewer' };
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
    const synced = now();
    const frame = await this.socket!.request('room:sync', { since: this.follower.last });
    if (!ackOk(frame.data, frame.json)) throw new Error(`room:sync refused: ${frame.data.toString('utf8', 0, 200)}`);
    const head = frame.data.toString('latin1', frame.json, frame.json + 48);
    let events = 0;
    if (head.includes('"kind":"events"')) {
      const answer = ackBody<{ data: { events: { seq: number }[] } }>(frame);
      events = answer.data.events.length;
      this.follower.synced(answer.data.events.map((event) => event.seq));
    } else this.follower.snapshot(firstSeq(frame.data, frame.json));
    this.follower.caughtUp();
    const end = now();
    return {
      ms: end - start,
      stages: { open: joined.openMs, join: joined.joinMs, sync: end - synced },
      bytes: joined.bytes + frame.data.length,
      events,
      snapshot: !head.includes('"kind":"events"'),
    };
  }

  close(): void {
    this.cut();
  }

  /** Opens, listens, joins; the first join sets the seq the viewer is owed everything after. */
  private async connect(): Promise<{ bytes: number; openMs: number; joinMs: number }> {
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
    if (this.follower.base < 0) {
      this.follower.joined(firstSeq(frame.data, frame.json));
      this.follower.caughtUp();
    }
    return { bytes: frame.data.length, openMs: opened - start, joinMs: frame.at - opened };
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
    const synced = now();
    type Sync = { kind: 'events'; events: EventLike[] } | { kind: 'snapshot'; snapshot: { seq: number } };
    const answer = (await this.socket!.timeout(30_000).emitWithAck('room:sync', { since: this.follower.last })) as Answer<Sync>;
    if (!answer.ok) throw new Error(`room:sync refused: ${answer.error.code}`);
    if (answer.data.kind === 'events') this.follower.synced(answer.data.events.map((event) => event.seq));
    else this.follower.snapshot(answer.data.snapshot.seq);
    this.follower.caughtUp();
    const end = now();
    return {
      ms: end - start,
      stages: { open: joined.openMs, join: joined.joinMs, sync: end - synced },
      bytes: NaN,
      events: answer.data.kind === 'events' ? answer.data.events.length : 0,
      snapshot: answer.data.kind !== 'events',
    };
  }

  close(): void {
    this.cut();
  }

  private async connect(): Promise<{ openMs: number; joinMs: number }> {
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
    const answer = (await socket.timeout(120_000).emitWithAck('room:join', this.joinPayload())) as Answer<{ snapshot: { seq: number }; token: string }>;
    if (!answer.ok) throw new Error(`room:join refused: ${answer.error.code}`);
    this.token ??= answer.data.token;
    if (this.follower.base < 0) {
      this.follower.joined(answer.data.snapshot.seq);
      this.follower.caughtUp();
    }
    return { openMs: opened - start, joinMs: now() - opened };
  }
}
