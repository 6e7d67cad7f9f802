/**
 * The cost of keeping common ground current, per reaction, in a 5,000-post room: `npx tsx bench/common-ground.ts`.
 *
 * "kept" is the reducer as it runs on the server and in every browser: applyEvent on a reaction, which
 * also moves that post's counts by one (shared/reducers/common-ground.ts). "before" is the same applyEvent
 * with the common-ground step taken out (the reducer this change started from), so kept − before is what
 * the score adds to a reaction. "recount" is what keeping the score current would cost without it:
 * recounting every post's endorsers by side from its reactions (countGround) after each reaction. All
 * run in one process, on the same room, at the same moment; figures are medians of batches.
 */
import { performance } from 'node:perf_hooks';
import { bridgingScore, commonGround, countGround } from '../shared/common-ground.js';
import { REACTIONS } from '../shared/limits.js';
import { applyDebateEvent } from '../shared/reducers/debate.js';
import { applyModerationEvent } from '../shared/reducers/moderation.js';
import { applyPostEvent } from '../shared/reducers/posts.js';
import type { EventDraft, RoomEvent, Side } from '../shared/room-events.js';
import { applyEvent, type RoomState } from '../shared/room-state.js';

const POSTS = 5_000;
const MEMBERS = 600;
const REACTIONS_PER_POST = 8;
const SIDES: Side[] = ['for', 'against', 'undecided'];

let seq = 0;
let at = Date.UTC(2025, 0, 6, 12);
const stamp = (draft: EventDraft): RoomEvent => ({ ...draft, seq: ++seq, at: (at += 500) }) as RoomEvent;
/** A fixed pseudo-random sequence, so every run measures the same room. */
let seed = 42;
const random = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n);

function buildRoom(): RoomState {
  let state = applyEvent(null, stamp({ type: 'room.opened', actorId: 'm0', room: { id: 'bench-room', title: 'T', motion: 'M', hostId: 'm0', createdAt: at } }));
  for (let m = 0; m < MEMBERS; m++) {
    state = applyEvent(state, stamp({ type: 'member.joined', actorId: `m${m}`, name: `M${m}`, role: m ? 'participant' : 'host' }));
    if (m % 10) state = applyEvent(state, stamp({ type: 'member.side', actorId: `m${m}`, side: SIDES[m % 3] }));
  }
  for (let p = 0; p < POSTS; p++) {
    const parentId = p % 5 ? `p${p - (p % 5)}` : null;
    state = applyEvent(state, stamp({ type: 'post.created', actorId: `m${random(MEMBERS)}`, postId: `p${p}`, parentId, body: `Post ${p} on the motion.` }));
    for (let r = 0; r < REACTIONS_PER_POST; r++) {
      state = applyEvent(state, stamp({ type: 'reaction.added', actorId: `m${random(MEMBERS)}`, postId: `p${p}`, emoji: REACTIONS[random(3) === 0 ? 1 : random(2) ? 0 : 5] }));
    }
  }
  return state;
}

/** The reducer without its common-ground step: what a reaction cost before. */
function applyBefore(state: RoomState, event: RoomEvent): RoomState {
  state.seq = event.seq;
  if (!applyPostEvent(state, event) && !applyDebateEvent(state, event)) applyModerationEvent(state, event);
  return state;
}

/** Reactions that toggle on and off, so the room stays the size it is. */
function reactionStream(count: number): RoomEvent[] {
  const events: RoomEvent[] = [];
  for (let i = 0; i < count; i++) {
    const actorId = `m${random(MEMBERS)}`;
    const postId = `p${random(POSTS)}`;
    events.push(stamp({ type: 'reaction.added', actorId, postId, emoji: '👍' }), stamp({ type: 'reaction.removed', actorId, postId, emoji: '👍' }));
  }
  return events;
}

function recountRoom(state: RoomState): number {
  let best = 0;
  for (const id of state.postOrder) best = Math.max(best, bridgingScore(countGround(state, state.posts[id])));
  return best;
}

/** Median µs per event over batches of `batch` events. */
function perEvent(state: RoomState, apply: (state: RoomState, event: RoomEvent) => unknown, batch: number, batches: number): number {
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    const events = reactionStream(batch / 2);
    const start = performance.now();
    for (const event of events) apply(state, event);
    samples.push(((performance.now() - start) * 1_000) / events.length);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

function median(run: () => void, times: number): number {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    run();
    samples.push((performance.now() - start) * 1_000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const built = performance.now();
const state = buildRoom();
console.log(`common ground, a room of ${POSTS.toLocaleString()} posts, ${MEMBERS} members, ${(POSTS * REACTIONS_PER_POST).toLocaleString()} reactions (built in ${((performance.now() - built) / 1000).toFixed(1)} s), Node ${process.version}\n`);

// Warm up all three paths, then measure them interleaved, three rounds each.
perEvent(state, applyEvent, 2_000, 3);
perEvent(state, applyBefore, 2_000, 3);
const rounds = { kept: [] as number[], before: [] as number[], recount: [] as number[] };
for (let round = 0; round < 3; round++) {
  rounds.before.push(perEvent(state, applyBefore, 20_000, 9));
  rounds.kept.push(perEvent(state, applyEvent, 20_000, 9));
  rounds.recount.push(perEvent(state, (s, e) => (applyBefore(s, e), recountRoom(s)), 10, 5));
}
const mid = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const before = mid(rounds.before);
const kept = mid(rounds.kept);
const recount = mid(rounds.recount);

// Rebuild the counts the bench's "before" reactions skipped, so the last rows read a consistent room.
for (const id of state.postOrder) {
  const post = state.posts[id];
  post.ground = { ...(post.ground ?? {}), ...countGround(state, post) };
}
const sideChange = median(() => {
  const member = `m${1 + random(MEMBERS - 1)}`;
  applyEvent(state, stamp({ type: 'member.side', actorId: member, side: SIDES[random(3)] }));
}, 200);
const lane = median(() => commonGround(state, 5), 50);

console.log('| per event | µs | × before |\n|---|---:|---:|');
console.log(`| reaction, reducer before common ground | ${before.toFixed(2)} | 1.0 |`);
console.log(`| reaction, reducer keeping the score current | ${kept.toFixed(2)} | ${(kept / before).toFixed(1)} |`);
console.log(`| reaction, then recounting the room's scores | ${recount.toFixed(0)} | ${(recount / before).toFixed(0)} |`);
console.log(`| side change (moves that person's reactions: a pass over the posts) | ${sideChange.toFixed(0)} | ${(sideChange / before).toFixed(0)} |`);
console.log(`| the lane read: top 5 of ${POSTS.toLocaleString()} posts (client, when counts change) | ${lane.toFixed(0)} | ${(lane / before).toFixed(0)} |`);
console.log(`\nKeeping the score adds ${(kept - before).toFixed(2)} µs to a reaction; recounting would add ${((recount - before) / 1000).toFixed(1)} ms (${(recount / kept).toFixed(0)}× the kept cost).`);
