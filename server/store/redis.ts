import { randomBytes, randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { AppError } from '../../shared/errors.js';
import type { RoomEvent } from '../../shared/room-events.js';
import { applyEvent, type RoomState } from '../../shared/room-state.js';
import type { Appended, Decide, RoomStore, StoreNotices } from './room-store.js';
import { redisCalls, unavailable } from '../redis-calls.js';
import { appendEvents, CATCH_UP_BATCH, parseEntry, releaseTurn, startEpoch, type Lost, type RoomKeys } from './redis-scripts.js';
import { decideBatch, stateAfter, type Outcome } from './batch-decisions.js';
import { roomBatches, type PendingAppend } from './room-batches.js';

/**
 * The state is written beside the log every this many events at least, so a cold node replays few. In a
 * long room the interval doubles as the log grows (one eighth to one sixteenth of it): each checkpoint
 * writes the whole state, so at a fixed interval a room taking thousands of writes a second would spend
 * most of its time writing checkpoints, where this keeps their cost per event constant.
 */
const CHECKPOINT_EVERY = 200;
const checkpointInterval = (seq: number) => CHECKPOINT_EVERY * 2 ** Math.max(0, Math.floor(Math.log2(seq / (8 * CHECKPOINT_EVERY))));
/** Whether a batch taking the log from `previous` to `last` passes a checkpoint. */
const passesCheckpoint = (previous: number, last: number) => {
  const interval = checkpointInterval(previous);
  return Math.floor(last / interval) > Math.floor(previous / interval);
};
/** Rounds of "another node wrote first" before a writer gives up. */
const MAX_ATTEMPTS = 10;
/** A room's pending appends that go to Redis in one script call, at most (a few hundred KB of posts). */
const MAX_BATCH = 256;
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
 * an epoch key, written by one Lua script: one round trip per batch of a room's pending writes (group
 * commit, see room-batches.ts), so a busy room is not held to one write per round trip. Every node folds the log into its own
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
    scripts: { appendEvents, releaseTurn, startEpoch },
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
  /**
   * Per room, a second copy of this node's state with every event it logged applied (a batch's decisions go
   * onto it, since `applyEvent` mutates in place), so a busy room is not copied for every batch. Dropped
   * whenever the room changes any other way.
   */
  const spares = new Map<string, RoomState>();
  /** The epoch of each room this node's sockets were last told of: a change is announced to them. */
  const told = new Map<string, string>();
  /** Appends whose outcome is unknown, by room: logged if the log holds this very JSON at this seq. */
  const inDoubt = new Map<string, { seq: number; json: string }[]>();
  let notices: StoreNotices | null = null;
  const batches = roomBatches((roomId, batch) => commitBatch(roomId, batch), MAX_BATCH);
  /** When each room this node holds was last read or written, and its appends not yet settled (see evictIdle). */
  const lastUsed = new Map<string, number>();
  const appending = new Map<string, number>();

  const keys = (roomId: string): RoomKeys => {
    const room = `${keyPrefix}room:{${roomId}}`;
    return { seq: `${room}:seq`, log: `${room}:log`, checkpoint: `${room}:checkpoint`, turn: `${room}:turn`, epoch: `${room}:epoch` };
  };

  function forget(roomId: string): void {
    rooms.delete(roomId);
    spares.delete(roomId);
    lastUsed.delete(roomId);
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
    lastUsed.set(roomId, Date.now());
    let checkpoint: RoomState | null = null;
    if (cold) {
      rooms.delete(roomId);
      spares.delete(roomId);
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
   * that an append in doubt had sent is announced as landed. Events of this node's own batch (`ownBatch`)
   * are on the room's spare copy already; any other change makes it stale.
   */
  function fold(roomId: string, checkpoint: RoomState | null, events: RoomEvent[], ownBatch = false): boolean {
    let state = rooms.get(roomId) ?? null;
    if (checkpoint && (state?.seq ?? 0) < checkpoint.seq) {
      state = checkpoint;
      spares.delete(roomId);
    }
    const landed: RoomEvent[] = [];
    const doubts = inDoubt.get(roomId);
    for (const event of events) {
      const next = (state?.seq ?? 0) + 1;
      if (event.seq < next) continue;
      if (event.seq > next) return false;
      if (!ownBatch) spares.delete(roomId);
      state = applyEvent(state, event);
      if (doubts?.some((doubt) => doubt.seq === event.seq && doubt.json === JSON.stringify(event))) landed.push(event);
    }
    if (state) {
      rooms.set(roomId, state);
      lastUsed.set(roomId, Date.now());
    }
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

  /** A batch timed out: when Redis answers after all, its logged events are folded in (and published), a turn given back. */
  function afterTimeout(roomId: string, events: RoomEvent[], epoch: string) {
    return (outcome: Promise<Awaited<ReturnType<typeof client.appendEvents>>>) => {
      outcome.then((reply) => {
        if (reply[0] === 1 && epochs.get(roomId) === epoch) fold(roomId, null, events);
        else if (reply[0] === 0 && reply[2] === 1) void client.releaseTurn(keys(roomId), nodeId).catch(() => {});
      }, () => {});
    };
  }

  /**
   * Group commit: the room's pending appends, decided in order on the latest state this node has, go to
   * Redis as one script call that logs all of them or, should another node have written first, none; then
   * every one of them is decided again on what that node wrote. Each append is answered only once its
   * event is stored (or its refusal or no-op is known to rest on the room's latest state).
   */
  async function commitBatch(roomId: string, batch: PendingAppend[]): Promise<void> {
    const k = keys(roomId);
    // Fresh: the state was just read from Redis, so refusals and no-ops based on it are final.
    let fresh = !rooms.has(roomId);
    if (fresh) await catchUp(roomId);
    let myTurn = false;
    try {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const base = rooms.get(roomId) ?? null;
        const spare = spares.get(roomId) ?? null;
        const decided = decideBatch(base, spare, batch.map((pending) => pending.decide));
        const { events } = decided;
        if (events.length === 0) {
          if (fresh || !(await advanced(roomId, base?.seq ?? 0))) return settle(roomId, batch, decided.outcomes);
          fresh = true;
          continue;
        }
        // The spare now holds this batch's events: it is the room's again only once they are stored.
        spares.delete(roomId);
        const previous = base?.seq ?? 0;
        const last = events.at(-1)!.seq;
        const epoch = (base && epochs.get(roomId)) || newEpochId();
        const json = events.map((event) => JSON.stringify(event));
        const checkpoint = passesCheckpoint(previous, last) ? JSON.stringify(stateAfter(base, decided)) : '';
        let reply: Awaited<ReturnType<typeof client.appendEvents>>;
        try {
          reply = await calls.run(() => client.appendEvents(k, previous, json, checkpoint, nodeId, epoch), { late: afterTimeout(roomId, events, epoch) });
        } catch (error) {
          // Unless it was never sent, it may have been logged all the same: the next read of the room tells (see fold).
          if (!(error as { refused?: boolean }).refused) inDoubt.set(roomId, [...(inDoubt.get(roomId) ?? []), ...events.map((event, i) => ({ seq: event.seq, json: json[i]! }))]);
          throw error;
        }
        if (reply[0] === 1) {
          myTurn = false;
          settleDoubts(roomId, last);
          setEpoch(roomId, epoch);
          if (!fold(roomId, null, events, true)) await catchUp(roomId, true);
          // Unless a read meanwhile folded in later events of another node's: then the copy lacks them.
          else if (decided.after && rooms.get(roomId)?.seq === last) spares.set(roomId, decided.after);
          return settle(roomId, batch, decided.outcomes);
        }
        // Another node wrote first, or holds the turn: decide the whole batch again on what it wrote.
        const [, current, turn, missed, epochNow] = reply as Lost;
        myTurn = turn === 1;
        fresh = true;
        if (epochNow !== (epochs.get(roomId) ?? '')) await catchUp(roomId, true);
        else {
          const caughtUp =
            Number(current) >= previous &&
            fold(roomId, null, missed.map(([, fields]) => parseEntry(fields))) &&
            (rooms.get(roomId)?.seq ?? 0) >= Number(current);
          if (!caughtUp) await catchUp(roomId);
        }
        if (!myTurn) await sleep(Math.min(100, 2 ** attempt) * (0.5 + Math.random() / 2));
      }
      throw new AppError('UNAVAILABLE', 'The room is busy; try again.');
    } finally {
      // Not awaited: a stalled Redis must not hold the caller; the turn expires on its own anyway.
      if (myTurn) void client.releaseTurn(k, nodeId).catch(() => {});
    }
  }

  /** Catches up; true when another node had written since this node's copy was at `seq`. */
  async function advanced(roomId: string, seq: number): Promise<boolean> {
    try {
      return ((await catchUp(roomId))?.seq ?? 0) !== seq;
    } catch {
      return false; // Unverifiable: the answer from this node's copy stands, and nothing was written.
    }
  }

  /** Answers a batch's appends in order, each with the room as it now stands. */
  function settle(roomId: string, batch: PendingAppend[], outcomes: Outcome[]): void {
    const state = rooms.get(roomId) ?? null;
    const epoch = epochs.get(roomId) ?? null;
    outcomes.forEach((outcome, i) => {
      if ('refused' in outcome) batch[i]!.reject(outcome.refused);
      else batch[i]!.resolve({ event: outcome.event, state, epoch });
    });
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
      lastUsed.set(roomId, Date.now());
      appending.set(roomId, (appending.get(roomId) ?? 0) + 1);
      const run = batches.append(roomId, decide);
      // Settled before the caller hears (registered first), so a sweep right after an answer may let the room go.
      const settle = () => (appending.get(roomId) === 1 ? appending.delete(roomId) : appending.set(roomId, appending.get(roomId)! - 1));
      run.then(settle, settle);
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

    // Redis holds the log and checkpoints, so letting go is forgetting; a room being written, or with an append in doubt (its landing must still be published), stays.
    async evictIdle(idleMs, inUse) {
      const before = Date.now() - idleMs;
      const evicted: string[] = [];
      for (const roomId of [...rooms.keys()]) {
        if ((lastUsed.get(roomId) ?? 0) > before || appending.has(roomId) || inDoubt.has(roomId) || inUse(roomId)) continue;
        forget(roomId);
        evicted.push(roomId);
      }
      return evicted;
    },

    holds: (roomId) => rooms.has(roomId),

    async close() {
      closed = true;
      await batches.idle();
      if (client.isReady && !calls.stalled) await Promise.race([client.close().catch(() => {}), sleep(1_000)]);
      if (client.isOpen) client.destroy();
    },
  };
}
