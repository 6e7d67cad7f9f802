import { defineScript, type CommandParser } from 'redis';
import type { RoomEvent } from '../../shared/room-events.js';

/** How long a writer that lost a race may keep the room's next turn (ms), should it never come back (a frozen node). */
export const TURN_MS = 200;
export const CATCH_UP_BATCH = 1_000;

export interface RoomKeys {
  seq: string;
  log: string;
  checkpoint: string;
  /** The node owed the next write after losing a race. */
  turn: string;
  /** The identity of the history the log holds (see RoomStore epochs). */
  epoch: string;
}

export type Written = [written: 1, seq: string];
export type Lost = [written: 0, seq: string, myTurn: 0 | 1, missed: [id: string, fields: string[]][], epoch: string];

/**
 * Appends a batch of events (a room's pending writes, group-committed) if nobody appended since the writer
 * last looked (a compare-and-set on the seq key and the epoch), so nodes share a room without a lock: the
 * whole batch or none of it, since each event was decided on top of the ones before it. A loser is given
 * the next turn, so a node whose retries cost as much as another node's fresh writes cannot lose forever,
 * and is handed the events it missed, so its retry costs one round trip. The epoch check keeps a node whose
 * copy comes from a lost history from writing on top of a new one that happens to have reached the same
 * seq. The first event of a room creates its epoch. Seqs travel as strings so Lua never formats a number.
 * KEYS: seq, log, checkpoint, turn, epoch. ARGV: previous seq, first new seq, checkpoint or '', node id,
 * turn ms, count, the writer's epoch (for a new room: the epoch to create), then seq and event of each.
 */
export const appendEvents = defineScript({
  SCRIPT: `
    local current = redis.call('GET', KEYS[1]) or '0'
    local epoch = redis.call('GET', KEYS[5])
    local turn = redis.call('GET', KEYS[4])
    local same = epoch == ARGV[7] or (not epoch and current == '0')
    if current == ARGV[1] and same and (not turn or turn == ARGV[4]) then
      for i = 8, #ARGV, 2 do
        redis.call('XADD', KEYS[2], ARGV[i] .. '-0', 'e', ARGV[i + 1])
      end
      redis.call('SET', KEYS[1], ARGV[#ARGV - 1])
      if not epoch then redis.call('SET', KEYS[5], ARGV[7]) end
      if ARGV[3] ~= '' then redis.call('SET', KEYS[3], ARGV[3]) end
      if turn then redis.call('DEL', KEYS[4]) end
      return {1, ARGV[#ARGV - 1]}
    end
    local mine = 0
    if not turn or turn == ARGV[4] then
      redis.call('SET', KEYS[4], ARGV[4], 'PX', ARGV[5])
      mine = 1
    end
    local missed = {}
    if same and tonumber(current) > tonumber(ARGV[1]) then
      missed = redis.call('XRANGE', KEYS[2], ARGV[2] .. '-0', '+', 'COUNT', ARGV[6])
    end
    return {0, current, mine, missed, epoch or ''}`,
  NUMBER_OF_KEYS: 5,
  /** `events`: JSON of events numbered previous + 1, previous + 2 … (at least one). */
  parseCommand(parser: CommandParser, keys: RoomKeys, previous: number, events: string[], checkpoint: string, nodeId: string, epoch: string) {
    parser.pushKeys([keys.seq, keys.log, keys.checkpoint, keys.turn, keys.epoch]);
    parser.push(String(previous), String(previous + 1), checkpoint, nodeId, String(TURN_MS), String(CATCH_UP_BATCH), epoch);
    events.forEach((event, i) => parser.push(String(previous + 1 + i), event));
  },
  transformReply: (reply: unknown) => reply as Written | Lost,
});

/** Gives up a turn this node no longer needs (its decision changed to a refusal or a no-op). */
export const releaseTurn = defineScript({
  SCRIPT: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
  NUMBER_OF_KEYS: 1,
  parseCommand(parser: CommandParser, keys: RoomKeys, nodeId: string) {
    parser.pushKey(keys.turn);
    parser.push(nodeId);
  },
  transformReply: (reply: unknown) => reply as number,
});

/**
 * Starts a new epoch unless another node already did: a compare-and-set from the epoch the caller saw
 * ('' for none). Returns [1, new] when this call started it, [0, current] when someone else had.
 */
export const startEpoch = defineScript({
  SCRIPT: `
    local current = redis.call('GET', KEYS[1]) or ''
    if current == ARGV[1] then
      redis.call('SET', KEYS[1], ARGV[2])
      return {1, ARGV[2]}
    end
    return {0, current}`,
  NUMBER_OF_KEYS: 1,
  parseCommand(parser: CommandParser, keys: RoomKeys, seen: string, next: string) {
    parser.pushKey(keys.epoch);
    parser.push(seen, next);
  },
  transformReply: (reply: unknown) => reply as [started: 0 | 1, epoch: string],
});

export const parseEntry = (fields: string[] | Record<string, string>): RoomEvent =>
  JSON.parse(Array.isArray(fields) ? fields[1]! : fields.e!) as RoomEvent;
