import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../shared/room-events.js';
import { foldEvents } from '../../shared/room-state.js';
import { openRedisStore, type RedisRoomStore } from '../../server/store/redis.js';
import { redisRequired, redisServerAvailable, startPrivateRedis, type PrivateRedis } from '../helpers/redis.js';
import { createRoom, newRoomId, nextNumberedPost } from './room-store.contract.js';

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
});
