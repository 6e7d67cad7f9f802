import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import type { StoreNotices } from '../../server/store/room-store.js';
import { openRedisStore, type RedisRoomStore } from '../../server/store/redis.js';
import { appendEvent, TURN_MS } from '../../server/store/redis-scripts.js';
import { deleteKeys, redisTestGate, redisUrlForTests, uniqueKeyPrefix } from '../helpers/redis.js';
import { createRoom, newRoomId, nextNumberedPost, postDraft } from '../helpers/room-store.contract.js';

const url = redisUrlForTests();
const rawClient = () => createClient({ url });
type Raw = ReturnType<typeof rawClient>;
const gate = await redisTestGate(url);

if (gate.failure) {
  it('needs Redis', () => {
    throw new Error(gate.failure!);
  });
}

/** Stores on a fresh prefix with what each was told, a raw client beside them, and cleanup. */
async function scene(test: (ctx: { open: () => Promise<{ store: RedisRoomStore; told: string[] }>; raw: Raw; key: (roomId: string, what: string) => string }) => Promise<void>) {
  const keyPrefix = uniqueKeyPrefix();
  const raw = rawClient();
  await raw.connect();
  const stores: RedisRoomStore[] = [];
  const open = async () => {
    const store = await openRedisStore({ url, keyPrefix });
    stores.push(store);
    const told: string[] = [];
    const notices: StoreNotices = { landed: () => {}, newEpoch: (_roomId, epoch) => told.push(epoch) };
    store.watch!(notices);
    return { store, told };
  };
  try {
    await test({ open, raw, key: (roomId, what) => `${keyPrefix}room:{${roomId}}:${what}` });
  } finally {
    await Promise.allSettled(stores.map((store) => store.close()));
    raw.destroy();
    await deleteKeys(url, keyPrefix);
  }
}

/** What a Redis restarted from an older snapshot holds: the log cut back to `seq`, everything else as it was then. */
async function restoreOlderCopy(raw: Raw, key: (what: string) => string, seq: number) {
  const kept = await raw.xRange(key('log'), '-', `${seq}-0`);
  await raw.del(key('log'));
  for (const entry of kept ?? []) await raw.xAdd(key('log'), entry.id, entry.message);
  await raw.set(key('seq'), String(seq));
}

describe.skipIf(gate.skip)('Redis store epochs', () => {
  it('keeps the epoch beside the seq key, created with the room', () =>
    scene(async ({ open, raw, key }) => {
      const { store } = await open();
      const roomId = newRoomId();
      const { epoch } = await store.append(roomId, createRoom(roomId));
      expect(await raw.get(key(roomId, 'epoch'))).toBe(epoch);
    }));

  it('a node that finds its room’s seq went backwards starts a new epoch, tells its clients, and goes on from the log', () =>
    scene(async ({ open, raw, key }) => {
      const [a, b] = [await open(), await open()];
      const roomId = newRoomId();
      const { epoch: before } = await a.store.append(roomId, createRoom(roomId));
      for (let i = 0; i < 9; i++) await a.store.append(roomId, nextNumberedPost);
      await b.store.load(roomId);
      await restoreOlderCopy(raw, (what) => key(roomId, what), 6);

      const state = (await a.store.load(roomId))!;
      expect(state.seq).toBe(6);
      const after = await a.store.epoch(roomId);
      expect(after).not.toBe(before);
      expect(a.told).toEqual([after]);
      // Seq 7 is another event now: a (seq, epoch) pair still names one event for good.
      const next = await a.store.append(roomId, () => postDraft('post-new-history', 'after the loss'));
      expect(next).toMatchObject({ event: { seq: 7 }, epoch: after });
      // The other node adopts the new epoch (one compare-and-set decides) and tells its own clients.
      expect(await b.store.load(roomId)).toEqual(await a.store.load(roomId));
      expect(await b.store.epoch(roomId)).toBe(after);
      expect(b.told).toEqual([after]);
    }));

  it('a node whose copy is of the lost history cannot write on top of the new one at the same seq', () =>
    scene(async ({ open, raw, key }) => {
      const [a, b] = [await open(), await open()];
      const roomId = newRoomId();
      await a.store.append(roomId, createRoom(roomId));
      for (let i = 0; i < 5; i++) await a.store.append(roomId, nextNumberedPost);
      await b.store.load(roomId); // B holds seq 6 of the first history.
      await restoreOlderCopy(raw, (what) => key(roomId, what), 3);
      // A finds out, starts a new epoch and brings the log back to seq 6, with other events.
      for (let i = 0; i < 3; i++) await a.store.append(roomId, () => postDraft(`post-other-${i}`, 'another history'));
      expect((await a.store.load(roomId))!.seq).toBe(6);

      const written = await b.store.append(roomId, nextNumberedPost);
      expect(written.event!.seq).toBe(7);
      expect(written.epoch).toBe(await a.store.epoch(roomId));
      expect(written.state).toEqual(await a.store.load(roomId));
      expect(written.state!.postOrder).toContain('post-other-2');
    }));

  it('a log without an epoch key gets one', () =>
    scene(async ({ open, raw, key }) => {
      const { store } = await open();
      const roomId = newRoomId();
      await store.append(roomId, createRoom(roomId));
      await raw.del(key(roomId, 'epoch'));
      const { store: cold } = await open();
      const epoch = await cold.epoch(roomId);
      expect(epoch).toEqual(expect.any(String));
      expect(await raw.get(key(roomId, 'epoch'))).toBe(epoch);
      expect((await cold.append(roomId, nextNumberedPost)).epoch).toBe(epoch);
    }));

  it(`a writer that lost a race and went silent (a frozen node) holds the room's next turn for ${TURN_MS} ms at most`, () =>
    scene(async ({ open, key }) => {
      const { store } = await open();
      const roomId = newRoomId();
      const { epoch } = await store.append(roomId, createRoom(roomId));
      await store.append(roomId, nextNumberedPost);
      // A node that loses a race (it thought the room was at seq 1) and is given the turn, then freezes.
      const frozen = createClient({ url, scripts: { appendEvent } });
      await frozen.connect();
      const keys = { seq: key(roomId, 'seq'), log: key(roomId, 'log'), checkpoint: key(roomId, 'checkpoint'), turn: key(roomId, 'turn'), epoch: key(roomId, 'epoch') };
      const lost = await frozen.appendEvent(keys, 1, '{}', '', 'frozen-node', epoch!);
      expect(lost.slice(0, 3)).toEqual([0, '2', 1]);
      const ttl = await frozen.pTTL(keys.turn);
      frozen.destroy();
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(TURN_MS);
      // Every other writer gets through once it lapses.
      expect((await store.append(roomId, nextNumberedPost)).event!.seq).toBe(3);
    }));
});
