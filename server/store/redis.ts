import { randomUUID } from 'node:crypto';
import { createClient, defineScript, type CommandParser } from 'redis';
import { AppError } from '../../shared/errors.js';
import type { RoomEvent } from '../../shared/room-events.js';
import { applyEvent, type RoomState } from '../../shared/room-state.js';
import type { Appended, Decide, RoomStore } from './room-store.js';

/** Every this many events the state is written beside the log, so a cold node replays at most that many. */
const CHECKPOINT_EVERY = 200;
/** Rounds of "another node wrote first" before a writer gives up. */
const MAX_ATTEMPTS = 10;
const CATCH_UP_BATCH = 1_000;
/** How long a writer that lost a race may keep the room's next turn (ms), should it never come back. */
const TURN_MS = 1_000;

interface RoomKeys {
  seq: string;
  log: string;
  checkpoint: string;
  /** The node owed the next write after losing a race. */
  turn: string;
}

type Written = [written: 1, seq: string];
type Lost = [written: 0, seq: string, myTurn: 0 | 1, missed: [id: string, fields: string[]][]];

/**
 * Appends one event if nobody appended since the writer last looked (a compare-and-set on the seq key), so
 * nodes share a room without a lock. A loser is given the next turn, so a node whose retries cost as much as
 * another node's fresh writes cannot lose forever, and is handed the events it missed, so its retry costs
 * one round trip. Seqs travel as strings so Lua never formats a number.
 * KEYS: seq, log, checkpoint, turn. ARGV: previous seq, new seq, event, checkpoint or '', node id, turn ms, count.
 */
const appendEvent = defineScript({
  SCRIPT: `
    local current = redis.call('GET', KEYS[1]) or '0'
    local turn = redis.call('GET', KEYS[4])
    if current == ARGV[1] and (not turn or turn == ARGV[5]) then
      redis.call('XADD', KEYS[2], ARGV[2] .. '-0', 'e', ARGV[3])
      redis.call('SET', KEYS[1], ARGV[2])
      if ARGV[4] ~= '' then redis.call('SET', KEYS[3], ARGV[4]) end
      if turn then redis.call('DEL', KEYS[4]) end
      return {1, ARGV[2]}
    end
    local mine = 0
    if not turn or turn == ARGV[5] then
      redis.call('SET', KEYS[4], ARGV[5], 'PX', ARGV[6])
      mine = 1
    end
    local missed = {}
    if tonumber(current) > tonumber(ARGV[1]) then
      missed = redis.call('XRANGE', KEYS[2], ARGV[2] .. '-0', '+', 'COUNT', ARGV[7])
    end
    return {0, current, mine, missed}`,
  NUMBER_OF_KEYS: 4,
  parseCommand(parser: CommandParser, keys: RoomKeys, previous: number, event: RoomEvent, checkpoint: string, nodeId: string) {
    parser.pushKeys([keys.seq, keys.log, keys.checkpoint, keys.turn]);
    parser.push(String(previous), String(event.seq), JSON.stringify(event), checkpoint, nodeId, String(TURN_MS), String(CATCH_UP_BATCH));
  },
  transformReply: (reply: unknown) => reply as Written | Lost,
});

/** Gives up a turn this node no longer needs (its decision changed to a refusal or a no-op). */
const releaseTurn = defineScript({
  SCRIPT: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
  NUMBER_OF_KEYS: 1,
  parseCommand(parser: CommandParser, keys: RoomKeys, nodeId: string) {
    parser.pushKey(keys.turn);
    parser.push(nodeId);
  },
  transformReply: (reply: unknown) => reply as number,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RedisStoreOptions {
  url: string;
  /** Prepended to every key; defaults to 'debate:'. */
  keyPrefix?: string;
}

export type RedisRoomStore = RoomStore & { readonly keyPrefix: string };

/**
 * The log of each room in a Redis Stream (entry id `${seq}-0`, field `e` = event JSON) beside a seq key,
 * both written by one Lua script: one round trip per write. Every node folds the log into its own copy of
 * each room it has touched and catches up from the stream before reading or after losing a race.
 */
export async function openRedisStore(opts: RedisStoreOptions): Promise<RedisRoomStore> {
  const keyPrefix = opts.keyPrefix ?? 'debate:';
  let everReady = false;
  let outage = false;
  const client = createClient({
    url: opts.url,
    // A caller gets UNAVAILABLE at once during an outage instead of waiting on a queue.
    disableOfflineQueue: true,
    scripts: { appendEvent, releaseTurn },
    socket: {
      connectTimeout: 5_000,
      // Fail fast on a bad URL at startup; once up, ride out outages for as long as they last.
      reconnectStrategy: (retries, cause) => (!everReady && retries >= 5 ? cause : Math.min(50 * 2 ** retries, 2_000)),
    },
  });
  client.on('error', (err: Error) => {
    if (!outage) console.warn(`Redis store: ${err.message}; reconnecting.`);
    outage = true;
  });
  client.on('ready', () => {
    if (outage) console.warn('Redis store: reconnected.');
    everReady = true;
    outage = false;
  });
  await redis(() => client.connect());

  const nodeId = randomUUID();
  const rooms = new Map<string, RoomState>();
  const queues = new Map<string, Promise<unknown>>();

  const keys = (roomId: string): RoomKeys => {
    const room = `${keyPrefix}room:{${roomId}}`;
    return { seq: `${room}:seq`, log: `${room}:log`, checkpoint: `${room}:checkpoint`, turn: `${room}:turn` };
  };

  /** Folds whatever the log holds beyond this node's copy into it; returns the room's state (null: no such room). */
  async function catchUp(roomId: string, cold = !rooms.has(roomId)): Promise<RoomState | null> {
    const k = keys(roomId);
    let checkpoint: RoomState | null = null;
    if (cold) {
      rooms.delete(roomId);
      const json = await redis(() => client.get(k.checkpoint));
      checkpoint = json ? (JSON.parse(json) as RoomState) : null;
    }
    let from = cold ? (checkpoint?.seq ?? 0) : rooms.get(roomId)!.seq;
    for (;;) {
      const [logSeq, batch] = await readLog(k, from, CATCH_UP_BATCH);
      if (logSeq === null && !checkpoint) {
        rooms.delete(roomId);
        return null;
      }
      if ((logSeq ?? 0) < from) {
        // Redis holds less than this node saw (a failover or a flush lost writes): start over from Redis.
        console.warn(`Redis store: room ${roomId} is behind this node's copy (${logSeq ?? 0} < ${from}); reloading.`);
        return cold ? null : catchUp(roomId, true);
      }
      if (!fold(roomId, checkpoint, batch)) {
        if (cold) throw Object.assign(new AppError('INTERNAL', 'The room log is damaged.'), { cause: `hole after ${from} in ${k.log}` });
        return catchUp(roomId, true);
      }
      checkpoint = null;
      if (batch.length < CATCH_UP_BATCH) return rooms.get(roomId) ?? null;
      from = batch[batch.length - 1]!.seq;
    }
  }

  /** The seq key and up to `count` events after `since`, read atomically in one round trip. */
  async function readLog(k: RoomKeys, since: number, count: number): Promise<[number | null, RoomEvent[]]> {
    const [seq, entries] = (await redis(() =>
      client.multi().get(k.seq).xRange(k.log, `${since + 1}-0`, '+', { COUNT: count }).exec(),
    )) as unknown as [string | null, { message: Record<string, string> }[] | null];
    return [seq === null ? null : Number(seq), (entries ?? []).map((entry) => JSON.parse(entry.message.e!) as RoomEvent)];
  }

  /**
   * Applies events this node's copy lacks. Reads and writes of one room may overlap, so events already
   * folded in are skipped. Returns false on a hole, which only a lost write can cause.
   */
  function fold(roomId: string, checkpoint: RoomState | null, events: RoomEvent[]): boolean {
    let state = rooms.get(roomId) ?? null;
    if (checkpoint && (state?.seq ?? 0) < checkpoint.seq) state = checkpoint;
    for (const event of events) {
      const next = (state?.seq ?? 0) + 1;
      if (event.seq < next) continue;
      if (event.seq > next) return false;
      state = applyEvent(state, event);
    }
    if (state) rooms.set(roomId, state);
    return true;
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
          if (fresh || !(await advanced())) return { event: null, state };
          continue;
        }
        const previous = state?.seq ?? 0;
        const event = { ...draft, seq: previous + 1, at: draft.at ?? Date.now() } as RoomEvent;
        const checkpoint = event.seq % CHECKPOINT_EVERY === 0 ? JSON.stringify(applyEvent(structuredClone(state), event)) : '';
        const reply = await redis(() => client.appendEvent(k, previous, event, checkpoint, nodeId));
        if (reply[0] === 1) {
          myTurn = false;
          if (!fold(roomId, null, [event])) await catchUp(roomId, true);
          return { event, state: rooms.get(roomId) ?? null };
        }
        // Another node wrote first, or holds the turn: decide again on what it wrote.
        const [, current, turn, missed] = reply as Lost;
        myTurn = turn === 1;
        fresh = true;
        const caughtUp =
          Number(current) >= previous &&
          fold(roomId, null, missed.map(([, fields]) => JSON.parse(fields[1]!) as RoomEvent)) &&
          (rooms.get(roomId)?.seq ?? 0) >= Number(current);
        state = caughtUp ? rooms.get(roomId)! : await catchUp(roomId);
        if (!myTurn) await sleep(Math.min(100, 2 ** attempt) * (0.5 + Math.random() / 2));
      }
      throw new AppError('UNAVAILABLE', 'The room is busy; try again.');
    } finally {
      if (myTurn) await client.releaseTurn(k, nodeId).catch(() => {});
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

    async close() {
      await Promise.allSettled([...queues.values()]);
      if (client.isReady) await client.close();
      else if (client.isOpen) client.destroy();
    },
  };
}

/** Runs a Redis call; any failure reaches callers as UNAVAILABLE (the cause stays attached for logs). */
async function redis<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw Object.assign(new AppError('UNAVAILABLE', 'The store is unavailable; try again.'), { cause });
  }
}
