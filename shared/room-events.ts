import type { Reaction } from './limits.js';

export type MemberRole = 'host' | 'moderator' | 'participant';
export type RoomStatus = 'open' | 'locked' | 'closed';

export interface RoomInfo {
  id: string;
  title: string;
  motion: string;
  hostId: string;
  createdAt: number;
}

/** Fields every logged event carries. `seq` is 1, 2, 3 … per room; `at` is the server's clock (ms). */
interface EventBase {
  seq: number;
  at: number;
  /** The member who caused it. */
  actorId: string;
}

export type RoomEvent = EventBase &
  (
    | { type: 'room.opened'; room: RoomInfo }
    | { type: 'member.joined'; name: string; role: MemberRole }
    | { type: 'post.created'; postId: string; parentId: string | null; body: string }
    | { type: 'post.edited'; postId: string; body: string }
    | { type: 'post.deleted'; postId: string }
    | { type: 'reaction.added'; postId: string; emoji: Reaction }
    | { type: 'reaction.removed'; postId: string; emoji: Reaction }
  );

export type RoomEventType = RoomEvent['type'];

/** An event before the store stamps it with `seq` (and `at`, where the decision did not). */
export type EventDraft = RoomEvent extends infer E ? (E extends RoomEvent ? Omit<E, 'seq' | 'at'> & { at?: number } : never) : never;
