import { DISSENTING, ENDORSING, JOURNEY_GRACE_MS, noCounts, type PostGround } from '../common-ground.js';
import { addsLink, restatementOf } from '../common-ground-text.js';
import type { RoomEvent, Side } from '../room-events.js';
import { isGone, type Post, type RoomState } from '../room-state.js';
import { canBeKey, own } from '../own.js';

/**
 * Common ground, kept current one event at a time: each post's endorsers by side, source requests and
 * steelman marks, and each member's journey across sides. Runs around the other reducers: `groundBefore`
 * reads what an event is about to change, `applyGroundEvent` adds the difference once it has. A reaction
 * costs O(1); a side change (or a ban, which stops a person counting) moves that person's reactions: O(posts).
 */
export type GroundBefore =
  | { kind: 'reaction'; post: Post; endorsed: boolean; dissented: boolean }
  | { kind: 'counted'; memberId: string; side: Side | null }
  | { kind: 'edit'; post: Post; body: string }
  | { kind: 'delete'; post: Post }
  | null;

const endorses = (post: Post, memberId: string) => ENDORSING.some((emoji) => post.reactions[emoji]?.includes(memberId) ?? false);
const dissents = (post: Post, memberId: string) => post.reactions[DISSENTING]?.includes(memberId) ?? false;

/** The side a member's reactions count for: their declared side, none while banned or undeclared. */
function countedSide(state: RoomState, memberId: string): Side | null {
  const member = own(state.members, memberId);
  return member && !member.banned ? member.side : null;
}

const groundOf = (post: Post): PostGround => (post.ground ??= { up: noCounts(), down: noCounts() });

export function groundBefore(state: RoomState, event: RoomEvent): GroundBefore {
  switch (event.type) {
    case 'reaction.added':
    case 'reaction.removed': {
      const post = own(state.posts, event.postId);
      return post ? { kind: 'reaction', post, endorsed: endorses(post, event.actorId), dissented: dissents(post, event.actorId) } : null;
    }
    case 'member.side':
      return { kind: 'counted', memberId: event.actorId, side: countedSide(state, event.actorId) };
    case 'member.banned':
    case 'member.unbanned':
      return { kind: 'counted', memberId: event.memberId, side: countedSide(state, event.memberId) };
    case 'appeal.accepted':
      // Accepting a ban's appeal lifts the ban (reducers/member-record.ts): the person counts again.
      return event.sanction === 'ban' ? { kind: 'counted', memberId: event.memberId, side: countedSide(state, event.memberId) } : null;
    case 'post.edited': {
      const post = own(state.posts, event.postId);
      return post ? { kind: 'edit', post, body: post.body } : null;
    }
    case 'post.deleted': {
      // Only the deletion that takes effect clears its reactions (and so its counts); a repeat changes nothing.
      const post = own(state.posts, event.postId);
      return post && post.deletedAt === null ? { kind: 'delete', post } : null;
    }
    default:
      return null;
  }
}

/** Applies the common-ground part of an event; returns whether the event is one of its own. */
export function applyGroundEvent(state: RoomState, event: RoomEvent, before: GroundBefore): boolean {
  if (before?.kind === 'reaction') countReaction(state, before, event.actorId);
  else if (before?.kind === 'counted') {
    const now = countedSide(state, before.memberId);
    if (now !== before.side) moveReactions(state, before.memberId, before.side, now);
    if (event.type === 'member.side') journey(state, event.actorId, event.side, event.at);
  } else if (before?.kind === 'edit') afterEdit(before.post, before.body, event.at);
  else if (before?.kind === 'delete') delete before.post.ground;

  switch (event.type) {
    case 'source.requested': {
      const post = own(state.posts, event.postId);
      if (!post || isGone(post) || post.ground?.sourceGivenAt || !canBeKey(event.actorId)) return true;
      const asks = (groundOf(post).sourceAsks ??= []);
      if (!asks.includes(event.actorId)) asks.push(event.actorId);
      return true;
    }
    case 'steelman.confirmed': {
      const post = own(state.posts, event.postId);
      if (post && !isGone(post)) groundOf(post).steelmannedAt ??= event.at;
      return true;
    }
    default:
      return false;
  }
}

function countReaction(state: RoomState, before: Extract<GroundBefore, { kind: 'reaction' }>, actorId: string): void {
  const { post } = before;
  const side = countedSide(state, actorId);
  if (!side || post.authorId === actorId) return;
  const up = Number(endorses(post, actorId)) - Number(before.endorsed);
  const down = Number(dissents(post, actorId)) - Number(before.dissented);
  if (!up && !down) return;
  const ground = groundOf(post);
  ground.up[side] += up;
  ground.down[side] += down;
}

/** A member now counts for another side (or none): every reaction of theirs moves with them. */
function moveReactions(state: RoomState, memberId: string, from: Side | null, to: Side | null): void {
  for (const id of state.postOrder) {
    const post = state.posts[id];
    if (post.authorId === memberId) continue;
    const up = endorses(post, memberId);
    const down = dissents(post, memberId);
    if (!up && !down) continue;
    const ground = groundOf(post);
    if (from) {
      ground.up[from] -= Number(up);
      ground.down[from] -= Number(down);
    }
    if (to) {
      ground.up[to] += Number(up);
      ground.down[to] += Number(down);
    }
  }
}

/** Where they started, and whether they stand elsewhere now (back where they started: not moved). */
function journey(state: RoomState, memberId: string, side: Side, at: number): void {
  if (!own(state.members, memberId) || !canBeKey(memberId)) return;
  const journeys = (state.ground ??= { journeys: {} }).journeys;
  const known = own(journeys, memberId);
  if (!known) journeys[memberId] = { first: side, since: at, movedAt: null };
  else if (known.movedAt === null && at - known.since < JOURNEY_GRACE_MS) known.first = side;
  else known.movedAt = side === known.first ? null : at;
}

/** An edit that adds a link answers the source requests; one that rewrites the restatement loses its confirmation. */
function afterEdit(post: Post, body: string, at: number): void {
  const ground = post.ground;
  if (!ground || post.body === body) return;
  if (ground.sourceAsks?.length && !ground.sourceGivenAt && addsLink(body, post.body)) ground.sourceGivenAt = at;
  if (ground.steelmannedAt && restatementOf(body) !== restatementOf(post.body)) delete ground.steelmannedAt;
}
