import type { EventDraft, RoomEvent, Side, Stance } from '../../shared/room-events.js';
import { REACTIONS } from '../../shared/limits.js';
import { EXPORT_FORMAT, EXPORT_VERSION, type RoomExport } from '../../shared/schemas/export.js';
import { corpusLines } from '../lib/corpus.js';

/**
 * A big debate as a JSON export, to import and replay: 80 people over about three hours, threads of
 * replies with stances, reactions, edits, a few deletions and removals, sides, both votes, four phases.
 * Deterministic (a fixed seed), so every run replays the same room.
 */
export function bigRoomExport(total = 20_000, seed = 42): RoomExport {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const lines = corpusLines();
  const events: RoomEvent[] = [];
  let at = Date.UTC(2026, 4, 20, 18, 0, 0);
  const add = (draft: EventDraft, gapMs = 0) => {
    at += gapMs;
    events.push({ ...draft, seq: events.length + 1, at } as RoomEvent);
  };
  const host = 'host-0000000';
  const members = [host, ...Array.from({ length: 79 }, (_, i) => `member-${String(i).padStart(6, '0')}`)];
  const posts: string[] = [];
  add({ type: 'room.opened', actorId: host, room: { id: 'bench-room', title: 'A three-hour debate', motion: 'This house would ban cars from city centres', hostId: host, createdAt: at } });
  members.forEach((id, i) => add({ type: 'member.joined', actorId: id, name: i ? `Speaker ${i}` : 'Host', role: i ? 'participant' : 'host' }, 2_000));
  add({ type: 'phase.changed', actorId: host, phase: 'opening', endsAt: at + 600_000 }, 1_000);
  for (const id of members) add({ type: 'member.side', actorId: id, side: pick(['for', 'against', 'undecided'] as Side[]) }, 700);
  add({ type: 'vote.opened', actorId: host, vote: 'initial', hideResults: true }, 5_000);
  for (const id of members) add({ type: 'vote.cast', actorId: id, vote: 'initial', choice: pick(['for', 'against', 'undecided'] as Side[]) }, 900);
  add({ type: 'vote.closed', actorId: host, vote: 'initial', tally: { for: 27, against: 30, undecided: 23 } }, 20_000);
  add({ type: 'phase.changed', actorId: host, phase: 'open', endsAt: null }, 2_000);
  const bulkEnd = total - members.length - 8;
  while (events.length < bulkEnd) {
    // Mostly a few seconds apart, in bursts now and then.
    const gap = Math.round(random() < 0.1 ? 100 + random() * 400 : 200 + random() * 900);
    const author = pick(members);
    const roll = random();
    if (roll < 0.42 || posts.length < 20) {
      const id = `post-${String(posts.length).padStart(7, '0')}`;
      const reply = posts.length > 5 && random() < 0.88;
      const parentId = reply ? posts[Math.max(0, posts.length - 1 - Math.floor(random() * Math.min(posts.length, 60)))]! : null;
      const stance = reply && random() < 0.7 ? { stance: pick(['support', 'rebut', 'question'] as Stance[]) } : {};
      add({ type: 'post.created', actorId: author, postId: id, parentId, body: pick(lines), ...stance }, gap);
      posts.push(id);
    } else if (roll < 0.9) add({ type: 'reaction.added', actorId: author, postId: pick(posts.slice(-200)), emoji: pick(REACTIONS) }, gap);
    else if (roll < 0.95) add({ type: 'post.edited', actorId: author, postId: pick(posts.slice(-50)), body: `${pick(lines)} (edited)` }, gap);
    else if (roll < 0.97) add({ type: 'post.removed', actorId: host, postId: pick(posts.slice(-100)), reason: 'off topic' }, gap);
    else if (roll < 0.98) add({ type: 'post.deleted', actorId: author, postId: pick(posts.slice(-100)) }, gap);
    else add({ type: 'post.pinned', actorId: host, postId: pick(posts) }, gap);
  }
  add({ type: 'phase.changed', actorId: host, phase: 'closing', endsAt: at + 600_000 }, 3_000);
  add({ type: 'vote.opened', actorId: host, vote: 'final', hideResults: false }, 2_000);
  for (const id of members) add({ type: 'vote.cast', actorId: id, vote: 'final', choice: pick(['for', 'against', 'undecided'] as Side[]) }, 800);
  add({ type: 'vote.closed', actorId: host, vote: 'final', tally: { for: 31, against: 33, undecided: 16 } }, 15_000);
  add({ type: 'phase.changed', actorId: host, phase: 'ended', endsAt: null }, 2_000);
  while (events.length < total) add({ type: 'mind.changed', actorId: pick(members), postId: pick(posts) }, 500);
  const log = events.slice(0, total);
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: at, audience: 'moderators', seq: log.length, events: log };
}
