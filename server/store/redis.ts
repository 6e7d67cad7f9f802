import { randomBytes, randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { AppError } from '../../shared/errors.js';
import type { RoomEvent } from '../../shared/room-events.js';
import { applyEvent, type RoomState } from '../../shared/room-state.js';
import type { Appended, Decide, RoomStore, StoreNotices } from './room-store.js';
import { redisCalls, unavailable } from '../redis-calls.js';
import { appendEvent, CATCH_UP_BATCH, parseEntry, releaseTurn, startEpoch, type Lost, type RoomKeys } from './redis-scripts.js';

/** Every this many events the state is written beside the log, so a cold node replays at most that many. */
const CHECKPOINT_EVERY = 200;
/** Rounds of "another node wrote first" before a writer gives up. */
const MAX_ATTEMPTS = 10;
/** Rooms re-read at once after Redis comes back (to find lost history and writes whose answer was lost). */
const VERIFY_CONCURRENCY = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const newEpochId = () => randomBytes(9).toString('base64url');

interface RedisStoreOptions {
  url: string;
  /** Prepended to every key; defaults to 'debate:'. */
  keyPrefix?: string;
  /** How long a call may wait for Redis before UNAVAILABLE (default 2 s). */
  timeoutMs?: number;
}

export type RedisRoomStore = RoomStore & { readonly keyPrefix: string };

/**
 * The log of each room in a Redis Stream (entry id `${seq}-0`, field `e` = event JSON) beside a seq key and
 * an epoch key, written by one Lua script: one round trip per write. Every node folds the log into its own
 * copy of each room it has touched and catches up from the stream before reading or after losing a race.
 *
 * A node never dies of its Redis and never waits on it for long: every call has a deadline, and any failure
 * reaches callers as UNAVAILABLE. An append whose answer was lost (a timeout, a dropped connection) may have
 * been logged anyway; the node finds out later (the late answer, or the next read of the room) and has it
 * published then, so nothing logged goes unheard.
 */
export async function openRedisStore(opts: RedisStoreOptions): Promise<RedisRoomStore> {
  const keyPrefix = opts.keyPrefix ?? 'debate:';
  let everReady = false;
  let outage = false;
  let closed = false;
  const client = createClient({
    url: opts.url,
    // A caller gets UNAVAILABLE at once during an outage instead of waiting on a queue.
    disableOfflineQueue: true,
    scripts: { appendEvent, releaseTurn, startEpoch },
    socket: {
      connectTimeout: 5_000,
      // Fail fast on a bad URL at startup; once up, ride out outages for as long as they last.
      reconnectStrategy: (retries, cause) => (!everReady && retries >= 5 ? cause : Math.min(50 * 2 ** retries, 1_000)),
    },
  });
  client.on('error', (err: Error) => {
    if (!outage) console.warn(`Redis store: ${err.message}; reconnecting.`);
    outage = true;
  });
  client.on('ready', () => {
    const recovered = outage;
    if (outage) console.warn('Redis store: reconnected.');
    everReady = true;
    outage = false;
    if (recovered) void verifyAll();
  });
  const calls = redisCalls({ ping: () => client.ping(), onRecovered: () => void verifyAll(), timeoutMs: opts.timeoutMs, name: 'Redis store' });
  try {
    await client.connect();
  } catch (cause) {
    throw unavailable('The store is unavailable; try again.', cause);
  }

  const nodeId = randomUUID();
  const rooms = new Map<string, RoomState>();
  const epochs = new Map<string, string>();
  const queues = new Map<string, Promise<unknown>>();
  /** The epoch of each room this node's sockets were last told of: a change is announced to them. */
  const told = new Map<string, string>();
  /** Appends whose outcome is unknown, by room: logged if the log holds this very JSON at this seq. */
  const inDoubt = new Map<string, { seq: number; json: string }[]>();
  let notices: StoreNotices | null = null;

  const keys = (roomId: string): RoomKeys => {
    const room = `${keyPrefix}room:{${roomId}}`;
    return { seq: `${room}:seq`, log: `${room}:log`, checkpoint: `${room}:checkpoint`, turn: `${room}:turn`, epoch: `${room}:epoch` };
  };

  function forget(roomId: string): void {
    rooms.delete(roomId);
    epochs.delete(roomId);
    told.delete(roomId);
    inDoubt.delete(roomId);
  }

  /**
   * The epoch this node's copy of the room is in. When it differs from the one this node's sockets were
   * told of, they hear of the new one (every node tells its own: the adapter may not be back yet).
   */
  function setEpoch(roomId: string, epoch: string): void {
    epochs.set(roomId, epoch);
    const before = told.get(roomId);
    told.set(roomId, epoch);
    if (before !== undefined && before !== epoch) {
      console.warn(`Redis store: room ${roomId} goes on under a new epoch (its history was lost).`);
      notices?.newEpoch(roomId, epoch);
    }
  }

  /** Folds whatever the log holds beyond this node's copy into it; returns the room's state (null: no such room). */
  async function catchUp(roomId: string, cold = !rooms.has(roomId)): Promise<RoomState | null> {
    const k = keys(roomId);
    let checkpoint: RoomState | null = null;
    if (cold) {
      rooms.delete(roomId);
      epochs.delete(roomId);
      const json = await calls.run(() => client.get(k.checkpoint));
      checkpoint = json ? (JSON.parse(json) as RoomState) : null;
    }
    let from = cold ? (checkpoint?.seq ?? 0) : rooms.get(roomId)!.seq;
    for (;;) {
      const [logSeq, batch, epoch] = await readLog(k, from, CATCH_UP_BATCH);
      if (logSeq === null && !checkpoint) {
        forget(roomId);
        return null;
      }
      const known = epochs.get(roomId);
      // Another node started a new epoch (or the key vanished): this copy belongs to another history.
      if (!cold && known !== undefined && epoch !== known) return catchUp(roomId, true);
      if ((logSeq ?? 0) < from) {
        console.warn(`Redis store: room ${roomId} is behind this node's copy (${logSeq ?? 0} < ${from}); its history was lost.`);
        if (cold) return null;
        return restartHistory(roomId, known ?? '');
      }
      if (epoch === null) {
        // A log without an epoch (older data, or a lost key): give it one, as for a lost history.
        if (cold) return restartHistory(roomId, '');
        return catchUp(roomId, true);
      }
      setEpoch(roomId, epoch);
      if (!fold(roomId, checkpoint, batch)) {
        if (cold) throw Object.assign(new AppError('INTERNAL', 'The room log is damaged.'), { cause: `hole after ${from} in ${k.log}` });
        return catchUp(roomId, true);
      }
      checkpoint = null;
      if (batch.length < CATCH_UP_BATCH) return rooms.get(roomId) ?? null;
      from = batch[batch.length - 1]!.seq;
    }
  }

  /**
   * The room's history was lost (Redis came back from an older copy): the log goes on under a new epoch,
   * so clients holding seqs of the lost history take a fresh snapshot. One node starts it (a compare-and-set
   * from the epoch it saw), every other adopts it; each tells its own sockets (see setEpoch).
   */
  async function restartHistory(roomId: string, seen: string): Promise<RoomState | null> {
    await calls.run(() => client.startEpoch(keys(roomId), seen, newEpochId()));
    inDoubt.delete(roomId);
    return catchUp(roomId, true);
  }

  /** The seq key, up to `count` events after `since` and the epoch, read atomically in one round trip. */
  async function readLog(k: RoomKeys, since: number, count: number): Promise<[number | null, RoomEvent[], string | null]> {
    const [seq, entries, epoch] = (await calls.run(() =>
      client.multi().get(k.seq).xRange(k.log, `${since + 1}-0`, '+', { COUNT: count }).get(k.epoch).exec(),
    )) as unknown as [string | null, { message: Record<string, string> }[] | null, string | null];
    return [seq === null ? null : Number(seq), (entries ?? []).map((entry) => parseEntry(entry.message)), epoch];
  }

  /**
   * Applies events this node's copy lacks. Reads and writes of one room may overlap, so events already
   * folded in are skipped. Returns false on a hole, which only a lost write can cause. An applied event
   * that an append in doubt had sent is announced as landed.
   */
  function fold(roomId: string, checkpoint: RoomState | null, events: RoomEvent[]): boolean {
    let state = rooms.get(roomId) ?? null;
    if (checkpoint && (state?.seq ?? 0) < checkpoint.seq) state = checkpoint;
    const landed: RoomEvent[] = [];
    const doubts = inDoubt.get(roomId);
    for (const event of events) {
      const next = (state?.seq ?? 0) + 1;
      if (event.seq < next) continue;
      if (event.seq > next) return false;
      state = applyEvent(state, event);
      if (doubts?.some((doubt) => doubt.seq === event.seq && doubt.json === JSON.stringify(event))) landed.push(event);
    }
    if (state) rooms.set(roomId, state);
    if (doubts) settleDoubts(roomId, state?.seq ?? 0);
    const epoch = epochs.get(roomId);
    if (state && epoch) for (const event of landed) notices?.landed(roomId, { event, state, epoch });
    return true;
  }

  function settleDoubts(roomId: string, upTo: number): void {
    const left = inDoubt.get(roomId)?.filter((doubt) => doubt.seq > upTo);
    if (left?.length) inDoubt.set(roomId, left);
    else inDoubt.delete(roomId);
  }

  /** An append timed out: when Redis answers after all, a logged event is folded in (and published), a turn given back. */
  function afterTimeout(roomId: string, event: RoomEvent, epoch: string) {
    return (outcome: Promise<Awaited<ReturnType<typeof client.appendEvent>>>) => {
      outcome.then((reply) => {
        if (reply[0] === 1 && epochs.get(roomId) === epoch) fold(roomId, null, [event]);
        else if (reply[0] === 0 && reply[2] === 1) void client.releaseTurn(keys(roomId), nodeId).catch(() => {});
      }, () => {});
    };
  }

  async function appendNow(roomId: string, decide: Decide): Promise<Appended> {
    const k = keys(roomId);
    // Fresh: the state was just read from Redis, so a refusal or a no-op based on it is final.
    let fresh = !rooms.has(roomId);
    let state = fresh ? await catchUp(roomId) : rooms.get(roomId)!;
    let myTurn = false;
    try {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        let draft: ReturnType<Decide>;
        try {
          draft = decide(state);
        } catch (err) {
          if (fresh || !(await advanced())) throw err;
          continue;
        }
        if (!draft) {
          if (fresh || !(await advanced())) return { event: null, state, epoch: epochs.get(roomId) ?? null };
          continue;
        }
        const previous = state?.seq ?? 0;
        const epoch = (state && epochs.get(roomId)) || newEpochId();
        const event = { ...draft, seq: previous + 1, at: draft.at ?? Date.now() } as RoomEvent;
        const json = JSON.stringify(event);
        const checkpoint = event.seq % CHECKPOINT_EVERY === 0 ? JSON.stringify(applyEvent(structuredClone(state), event)) : '';
        let reply: Awaited<ReturnType<typeof client.appendEvent>>;
        try {
          reply = await calls.run(() => client.appendEvent(k, previous, json, checkpoint, nodeId, epoch), { late: afterTimeout(roomId, event, epoch) });
        } catch (error) {
          // Unless it was never sent, it may have been logged all the same: the next read of the room tells (see fold).
          if (!(error as { refused?: boolean }).refused) inDoubt.set(roomId, [...(inDoubt.get(roomId) ?? []), { seq: event.seq, json }]);
          throw error;
        }
        if (reply[0] === 1) {
          myTurn = false;
          settleDoubts(roomId, event.seq);
          setEpoch(roomId, epoch);
          if (!fold(roomId, null, [event])) await catchUp(roomId, true);
          return { event, state: rooms.get(roomId) ?? null, epoch };
        }
        // Another node wrote first, or holds the turn: decide again on what it wrote.
        const [, current, turn, missed, epochNow] = reply as Lost;
        myTurn = turn === 1;
        fresh = true;
        if (epochNow !== (epochs.get(roomId) ?? '')) state = await catchUp(roomId, true);
        else {
          const caughtUp =
            Number(current) >= previous &&
            fold(roomId, null, missed.map(([, fields]) => parseEntry(fields))) &&
            (rooms.get(roomId)?.seq ?? 0) >= Number(current);
          state = caughtUp ? rooms.get(roomId)! : await catchUp(roomId);
        }
        if (!myTurn) await sleep(Math.min(100, 2 ** attempt) * (0.5 + Math.random() / 2));
      }
      throw new AppError('UNAVAILABLE', 'The room is busy; try again.');
    } finally {
      // Not awaited: a stalled Redis must not hold the caller; the turn expires on its own anyway.
      if (myTurn) void client.releaseTurn(k, nodeId).catch(() => {});
    }

    /** Catches up; true when another node had written since this node last looked. */
    async function advanced(): Promise<boolean> {
      const before = state?.seq ?? 0;
      fresh = true;
      try {
        state = await catchUp(roomId);
      } catch {
        return false; // Unverifiable: the answer from this node's copy stands, and nothing was written.
      }
      return (state?.seq ?? 0) !== before;
    }
  }

  /** After an outage or a stall: re-read every room this node holds, so lost history and landed appends come to light now, not at the next write. */
  async function verifyAll(): Promise<void> {
    const waiting = [...rooms.keys()];
    const worker = async () => {
      for (let roomId = waiting.pop(); roomId !== undefined && !closed; roomId = waiting.pop()) {
        await catchUp(roomId).catch(() => {});
      }
    };
    await Promise.all(Array.from({ length: VERIFY_CONCURRENCY }, worker));
  }

  return {
    keyPrefix,

    load: (roomId) => catchUp(roomId),

    append(roomId, decide) {
      const run = (queues.get(roomId) ?? Promise.resolve()).then(() => appendNow(roomId, decide));
      const settled = run.catch(() => {});
      queues.set(roomId, settled);
      void settled.then(() => queues.get(roomId) === settled && queues.delete(roomId));
      return run;
    },

    async eventsSince(roomId, since, limit) {
      const [logSeq, events] = await readLog(keys(roomId), Math.max(0, Math.floor(since)), Math.max(1, Math.floor(limit)));
      if (logSeq === null) return null;
      return limit < 1 ? [] : events;
    },

    async epoch(roomId) {
      if (!epochs.has(roomId)) await catchUp(roomId);
      return epochs.get(roomId) ?? null;
    },

    async ping() {
      if (!client.isReady) throw unavailable('Redis is not connected; this node is reconnecting to it.');
      await calls.run(() => client.ping(), { timeoutMs: 1_000 });
    },

    watch(listener) {
      notices = listener;
    },

    async close() {
      closed = true;
      await Promise.allSettled([...queues.values()]);
      if (client.isReady && !calls.stalled) await Promise.race([client.close().catch(() => {}), sleep(1_000)]);
      if (client.isOpen) client.destroy();
    },
  };
}
