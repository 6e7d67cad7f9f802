import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../shared/room-events.js';
import { foldEvents } from '../../shared/room-state.js';
import { openRedisStore, type RedisRoomStore } from '../../server/store/redis.js';
import { redisRequired, redisServerAvailable, startPrivateRedis, type PrivateRedis } from '../helpers/redis.js';
import { createRoom, newRoomId, nextNumberedPost } from '../helpers/room-store.contract.js';

const available = redisServerAvailable();

if (!available && redisRequired()) {
  it('needs redis-server', () => {
    throw new Error('/usr/bin/redis-server is missing, and REQUIRE_REDIS=1.');
  });
}

describe.skipIf(!available)('Redis store across a Redis crash (SIGKILL, appendfsync always)', () => {
  let redis: PrivateRedis;
  const stores: RedisRoomStore[] = [];
  const open = async () => {
    const store = await openRedisStore({ url: redis.url, keyPrefix: 'restart:' });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
  });

  afterAll(async () => {
    await Promise.allSettled(stores.map((store) => store.close()));
    await redis?.dispose();
  });

  it('loses nothing acknowledged, refuses calls during the outage, and recovers', async () => {
    const before = await open();
    const roomId = newRoomId();
    const acknowledged: RoomEvent[] = [(await before.append(roomId, createRoom(roomId))).event!];

    // Keep writing until the crash: the kill lands while a write is in flight.
    let crashed!: () => void;
    const enoughWritten = new Promise<void>((resolve) => (crashed = resolve));
    const writer = (async () => {
      for (;;) {
        try {
          acknowledged.push((await before.append(roomId, nextNumberedPost)).event!);
        } catch (err) {
          return err;
        }
        if (acknowledged.length === 250) crashed(); // past the checkpoint at 200
      }
    })();
    await enoughWritten;
    await redis.kill();
    expect(await writer).toMatchObject({ code: 'UNAVAILABLE' });
    await expect(before.load(roomId)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(before.append(roomId, nextNumberedPost)).rejects.toMatchObject({ code: 'UNAVAILABLE' });

    await redis.restart();
    const after = await open();
    const logged = (await after.eventsSince(roomId, 0, 10_000))!;
    // Every acknowledged event is there, unchanged; at most the one in flight at the crash follows them.
    expect(logged.slice(0, acknowledged.length)).toEqual(acknowledged);
    expect(logged.length - acknowledged.length).toBeLessThanOrEqual(1);
    expect(await after.load(roomId)).toEqual(foldEvents(logged));

    // The node that lived through the outage reconnects and carries on from the log, not from its old copy.
    let next: RoomEvent | null = null;
    await expect.poll(async () => (next = (await before.append(roomId, nextNumberedPost).catch(() => null))?.event ?? null), { timeout: 10_000 }).not.toBeNull();
    expect(next!.seq).toBe(logged.length + 1);
    expect(await after.load(roomId)).toEqual(await before.load(roomId));
  }, 30_000);

  it('a frozen Redis (SIGSTOP): calls time out as UNAVAILABLE, then are refused at once; a write it had received lands when it wakes, and the store says so', async () => {
    const store = await openRedisStore({ url: redis.url, keyPrefix: 'stall:', timeoutMs: 500 });
    stores.push(store);
    const landed: RoomEvent[] = [];
    store.watch!({ landed: (_roomId, appended) => landed.push(appended.event), newEpoch: () => {} });
    const roomId = newRoomId();
    await store.append(roomId, createRoom(roomId));
    redis.freeze();
    try {
      await expect(store.append(roomId, nextNumberedPost)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'The store did not answer in time; try again.' });
      await expect(store.load(newRoomId())).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'The store is not answering; try again in a moment.' });
      await expect(store.ping!()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      redis.thaw();
    }
    await expect.poll(() => landed.map((event) => event.seq), { timeout: 5_000 }).toEqual([2]);
    await expect.poll(() => store.ping!().then(() => true, () => false), { timeout: 5_000 }).toBe(true);
    expect((await store.load(roomId))!.postOrder).toEqual(['post-0']);
    expect((await store.append(roomId, nextNumberedPost)).event!.seq).toBe(3);
  }, 30_000);
});
