import { AppError } from '../../shared/errors.js';
import { actorOf, check, type Action, type Actor } from '../../shared/permissions.js';
import type { Member, Post, RoomState } from '../../shared/room-state.js';
import type { AppSocket, SocketSession } from '../sockets.js';
import { own } from '../../shared/own.js';

/** The socket's room session, or NOT_JOINED. */
export function sessionOf(socket: AppSocket): SocketSession {
  const session = socket.data.session;
  if (!session) throw new AppError('NOT_JOINED', 'Join a room first.');
  return session;
}

export function roomOrNotFound(state: RoomState | null): RoomState {
  if (!state) throw new AppError('NOT_FOUND', 'That room does not exist.');
  return state;
}

export function postOrNotFound(state: RoomState, postId: string): Post {
  const post = own(state.posts, postId);
  if (!post) throw new AppError('NOT_FOUND', 'That post does not exist.');
  return post;
}

/** Enforce the shared rule; the refusal carries its plain sentence. */
export function authorize(state: RoomState, memberId: string, action: Action, target: Post | Member | undefined, now: number): Actor {
  const actor = actorOf(state, memberId, now);
  const verdict = check(actor, action, target);
  if (!verdict.ok) throw new AppError(verdict.code, verdict.reason);
  return actor;
}

export function memberOrNotFound(state: RoomState, memberId: string): Member {
  const member = own(state.members, memberId);
  if (!member) throw new AppError('NOT_FOUND', 'That person is not a member of this room.');
  return member;
}
