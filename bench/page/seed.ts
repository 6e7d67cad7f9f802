import type { TestSocket } from '../../tests/helpers/client.js';
import { connect, ok } from '../../tests/helpers/client.js';

/** A room shaped like a busy debate: threads of 1 root and 9 replies, nested up to 3 deep, with stances and reactions. */
export interface SeededRoom {
  roomId: string;
  posts: number;
  threads: number;
  seedMs: number;
}

const BODIES = [
  'Cars in centres cost everyone: noise, air, space. **Buses** move forty people in the road space of three cars.',
  'Deliveries still need access. What about tradespeople with tools?\n\n> Buses move forty people\n\nOnly when they are full.',
  'Short point.',
  'A longer argument with a list:\n\n- congestion charging worked in London\n- it did not in some other cities\n- the difference was the alternatives on offer\n\nSo the question is what replaces the car, not whether to ban it.',
  'I disagree. Night workers have no bus at 3am, and cycling is not for everyone, e.g. the elderly or people carrying children.',
  'Source? The numbers I have seen say the opposite: footfall in pedestrianised streets went *up*.',
];

const REPLIES_PER_THREAD = 9;
const AUTHORS = 12;

export async function seedRoom(url: string, total: number): Promise<SeededRoom> {
  const started = Date.now();
  const host = await connect(url);
  const created = await ok(host, 'room:create', { title: `Bench room, ${total} posts`, motion: 'This house would ban cars from city centres' });
  const roomId = created.roomId;
  await ok(host, 'room:join', { roomId, role: 'participant', name: 'Host', token: created.hostToken });
  const authors: TestSocket[] = [host];
  for (let i = 1; i < AUTHORS; i++) {
    const socket = await connect(url);
    await ok(socket, 'room:join', { roomId, role: 'participant', name: `Speaker ${i}` });
    authors.push(socket);
  }
  const threads = Math.ceil(total / (REPLIES_PER_THREAD + 1));
  let made = 0;
  let next = 0;
  // Each author writes whole threads, one post at a time (a reply needs its parent first); authors run in parallel.
  await Promise.all(
    authors.map(async (socket, a) => {
      for (let t = next++; t < threads; t = next++) {
        const ids: string[] = [];
        const count = Math.min(REPLIES_PER_THREAD + 1, total - t * (REPLIES_PER_THREAD + 1));
        for (let p = 0; p < count; p++) {
          const id = `b${String(t).padStart(5, '0')}-${String(p).padStart(2, '0')}`;
          // Replies hang off the root or an earlier reply (three levels deep).
          const parentId = p === 0 ? null : p < 4 ? ids[0] : ids[p - 3];
          await ok(socket, 'post:create', {
            id,
            parentId,
            body: `${BODIES[(t + p) % BODIES.length]} (#${t}.${p})`,
            stance: parentId ? (['support', 'rebut', 'question'] as const)[(t + p + a) % 3] : null,
          });
          ids.push(id);
          made++;
        }
        await ok(socket, 'reaction:set', { postId: ids[0], emoji: t % 3 ? '👍' : '👎', on: true });
      }
    }),
  );
  for (const socket of authors) socket.disconnect();
  return { roomId, posts: made, threads, seedMs: Date.now() - started };
}
