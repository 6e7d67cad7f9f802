import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { foldEvents } from '../../shared/room-state.js';
import { openRedisStore } from '../../server/store/redis.js';
import { deleteKeys, freePort, redisTestGate, redisUrlForTests, uniqueKeyPrefix } from '../helpers/redis.js';
import { createRoom, newRoomId, nextNumberedPost, roomStoreContract } from '../helpers/room-store.contract.js';

const url = redisUrlForTests();
const rawClient = () => createClient({ url });
const gate = await redisTestGate(url);

if (gate.failure) {
  it('needs Redis', () => {
    throw new Error(gate.failure!);
  });
}

describe.skipIf(gate.skip)('Redis store', () => {
  roomStoreContract(
    'redis',
    async () => {
      const keyPrefix = uniqueKeyPrefix();
      return { open: () => openRedisStore({ url, keyPrefix }), destroy: () => deleteKeys(url, keyPrefix) };
    },
    { sharedByNodes: true },
  );

  /** A store on a fresh prefix, a raw client beside it, and cleanup of both. */
  async function withStore(test: (ctx: { keyPrefix: string; raw: ReturnType<typeof rawClient> }) => Promise<void>) {
    const keyPrefix = uniqueKeyPrefix();
    const raw = rawClient();
    await raw.connect();
    try {
      await test({ keyPrefix, raw });
    } finally {
      raw.destroy();
      await deleteKeys(url, keyPrefix);
    }
  }

  it('keeps the log in a stream with ids seq-0 beside the seq key, both under the room hash tag', () =>
    withStore(async ({ keyPrefix, raw }) => {
      const store = await openRedisStore({ url, keyPrefix });
      const roomId = newRoomId();
      await store.append(roomId, createRoom(roomId));
      const { event } = await store.append(roomId, nextNumberedPost);
      await store.close();
      const entries = await raw.xRange(`${keyPrefix}room:{${roomId}}:log`, '-', '+');
      expect(entries!.map((entry) => entry.id)).toEqual(['1-0', '2-0']);
      expect(JSON.parse(entries![1]!.message.e!)).toEqual(event);
      expect(await raw.get(`${keyPrefix}room:{${roomId}}:seq`)).toBe('2');
    }));

  it('checkpoints every 200 events, and a cold node starts from the checkpoint', () =>
    withStore(async ({ keyPrefix, raw }) => {
      const writer = await openRedisStore({ url, keyPrefix });
      const roomId = newRoomId();
      await writer.append(roomId, createRoom(roomId));
      for (let i = 0; i < 449; i++) await writer.append(roomId, nextNumberedPost);
      const expected = await writer.load(roomId);
      await writer.close();

      const checkpoint = JSON.parse((await raw.get(`${keyPrefix}room:{${roomId}}:checkpoint`))!);
      expect(checkpoint.seq).toBe(400);
      const log = await raw.xRange(`${keyPrefix}room:{${roomId}}:log`, '-', '+');
      expect(checkpoint).toEqual(foldEvents(log!.slice(0, 400).map((entry) => JSON.parse(entry.message.e!))));

      const cold = await openRedisStore({ url, keyPrefix });
      expect(await cold.load(roomId)).toEqual(expected);
      expect((await cold.append(roomId, nextNumberedPost)).event!.seq).toBe(451);
      await cold.close();
    }));

  it('forgets its copy of a room that Redis no longer has', () =>
    withStore(async ({ keyPrefix }) => {
      const store = await openRedisStore({ url, keyPrefix });
      const roomId = newRoomId();
      await store.append(roomId, createRoom(roomId));
      await store.append(roomId, nextNumberedPost);
      await deleteKeys(url, keyPrefix);
      expect(await store.load(roomId)).toBeNull();
      expect((await store.append(roomId, createRoom(roomId))).event!.seq).toBe(1);
      await store.close();
    }));

  it('reports an unreachable Redis as UNAVAILABLE', async () => {
    const opening = openRedisStore({ url: `redis://127.0.0.1:${await freePort()}` });
    await expect(opening).rejects.toBeInstanceOf(AppError);
    await expect(opening).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('reports calls after close as UNAVAILABLE', () =>
    withStore(async ({ keyPrefix }) => {
      const store = await openRedisStore({ url, keyPrefix });
      await store.close();
      await expect(store.load(newRoomId())).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    }));
});
