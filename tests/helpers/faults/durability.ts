// What each Redis persistence setting keeps when Redis is killed (kill -9) under load: acknowledged
// appends against what the restarted Redis still has. Figures for the README's "Durability" note.
//   npx tsx tests/helpers/faults/durability.ts [seconds of load, default 3]
import { openRedisStore } from '../../../server/store/redis.js';
import { startPrivateRedis } from '../redis.js';
import { createRoom, newRoomId, nextNumberedPost } from '../room-store.contract.js';

const SETTINGS: [name: string, args: string[]][] = [
  ['appendonly yes, appendfsync always', ['--appendonly', 'yes', '--appendfsync', 'always', '--save', '']],
  ['appendonly yes, appendfsync everysec', ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '']],
  ['appendonly no, save 1 1 (an RDB snapshot every second)', ['--appendonly', 'no', '--save', '1 1']],
  ['appendonly no, Debian default saves (3600 1 300 100 60 10000)', ['--appendonly', 'no', '--save', '3600 1 300 100 60 10000']],
];
const ROOMS = 8;
const seconds = Number(process.argv[2] ?? 3);

for (const [name, args] of SETTINGS) {
  const redis = await startPrivateRedis(undefined, args);
  const store = await openRedisStore({ url: redis.url });
  const rooms = Array.from({ length: ROOMS }, newRoomId);
  for (const roomId of rooms) await store.append(roomId, createRoom(roomId));
  // A second for the first snapshot of the rooms themselves, where the setting takes any.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const acked = new Map(rooms.map((roomId) => [roomId, 1]));
  let running = true;
  const writers = rooms.map(async (roomId) => {
    while (running) {
      try {
        await store.append(roomId, nextNumberedPost);
        acked.set(roomId, acked.get(roomId)! + 1);
      } catch {
        return;
      }
    }
  });
  await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
  await redis.kill();
  running = false;
  await Promise.all(writers);
  await store.close();
  await redis.restart();
  const reader = await openRedisStore({ url: redis.url });
  let survived = 0;
  let roomsGone = 0;
  for (const roomId of rooms) {
    const state = await reader.load(roomId);
    if (!state) roomsGone++;
    survived += Math.min(state?.seq ?? 0, acked.get(roomId)!);
  }
  const total = [...acked.values()].reduce((sum, n) => sum + n, 0);
  const lost = total - survived;
  console.log(`| ${name} | ${total} | ${survived} | ${lost} (${((lost / total) * 100).toFixed(1)} %) | ${roomsGone} of ${ROOMS} |`);
  await reader.close();
  await redis.dispose();
}
process.exit(0);
