import { SIDE_NAMES } from './common-ground.js';
import { changedMind } from './debate.js';
import type { Side } from './room-events.js';
import type { RoomState } from './room-state.js';
import { own } from './own.js';

/**
 * What moves people, live: who now stands somewhere other than where they started (the "minds moved"
 * strip, the same flow as the final vote's, during the debate), and which replies and authors did it.
 * Bounded by the room's members, never by its posts.
 */

export interface Move {
  memberId: string;
  from: Side;
  to: Side;
  at: number;
  /** The reply they said changed their mind, if they said so. */
  postId: string | null;
}

/** Whether this person stands somewhere else than where they first stood. */
export function hasMoved(state: RoomState, memberId: string): boolean {
  const journey = state.ground && own(state.ground.journeys, memberId);
  return !!journey?.movedAt && own(state.members, memberId)?.side !== journey.first;
}

/** Everyone who moved, latest first, with the flow between sides ("for>against": 3). */
export function mindsMoved(state: RoomState): { moves: Move[]; flow: Map<string, number> } {
  const moves: Move[] = [];
  const flow = new Map<string, number>();
  // Read by listing, not by own(): a live view (Vue) sees a key listed, never one only asked after.
  const credited = new Map(Object.entries(state.mindChanges));
  for (const [memberId, journey] of Object.entries(state.ground?.journeys ?? {})) {
    const member = own(state.members, memberId);
    if (!journey.movedAt || !member?.side || member.side === journey.first || member.banned) continue;
    moves.push({ memberId, from: journey.first, to: member.side, at: journey.movedAt, postId: credited.get(memberId) ?? null });
    const key = `${journey.first}>${member.side}`;
    flow.set(key, (flow.get(key) ?? 0) + 1);
  }
  moves.sort((a, b) => b.at - a.at || (a.memberId < b.memberId ? -1 : 1));
  return { moves, flow };
}

/** From where to where a person who credited a reply moved: their ballots where those show it, else their declared sides. */
export function moverSides(state: RoomState, memberId: string): { from: Side; to: Side } | null {
  if (changedMind(state, memberId)) return { from: state.votes.initial!.ballots[memberId] as Side, to: state.votes.final!.ballots[memberId] as Side };
  const journey = state.ground && own(state.ground.journeys, memberId);
  const now = own(state.members, memberId)?.side;
  return journey && now && now !== journey.first ? { from: journey.first, to: now } : null;
}

export interface Credit {
  /** People who said it changed their mind. */
  people: number;
  /** "For → Against": how many of them moved that way. */
  moves: Map<string, number>;
}

/** "Changed my mind" credit per reply, with the movers' sides. */
export function creditByPost(state: RoomState): Map<string, Credit> {
  const credit = new Map<string, Credit>();
  for (const [memberId, postId] of Object.entries(state.mindChanges)) {
    if (!own(state.posts, postId)) continue;
    const entry = credit.get(postId) ?? { people: 0, moves: new Map() };
    entry.people++;
    const sides = moverSides(state, memberId);
    const label = sides ? `${SIDE_NAMES[sides.from]} → ${SIDE_NAMES[sides.to]}` : 'side not shown';
    entry.moves.set(label, (entry.moves.get(label) ?? 0) + 1);
    credit.set(postId, entry);
  }
  return credit;
}

/** Minds changed per author, over all their replies. */
export function creditByAuthor(state: RoomState, byPost = creditByPost(state)): Map<string, number> {
  const credit = new Map<string, number>();
  for (const [postId, { people }] of byPost) {
    const author = state.posts[postId].authorId;
    credit.set(author, (credit.get(author) ?? 0) + people);
  }
  return credit;
}

/** "2 For → Against · 1 Undecided → For". */
export const describeMoves = (moves: Map<string, number>): string =>
  [...moves].sort((a, b) => b[1] - a[1]).map(([label, count]) => `${count} ${label}`).join(' · ');
