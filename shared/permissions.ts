import type { MemberRole } from './room-events.js';
import type { Post, RoomState } from './room-state.js';

/** Who is acting: a member of the room, or a viewer (who may have an identity but no name). */
export interface Actor {
  id: string | null;
  role: MemberRole | 'viewer';
}

export type Action = 'post.create' | 'post.reply' | 'post.edit' | 'post.delete' | 'reaction.set';

export type Verdict = { ok: true } | { ok: false; reason: string };

const allow: Verdict = { ok: true };
const deny = (reason: string): Verdict => ({ ok: false, reason });

export function actorOf(state: RoomState, memberId: string | null): Actor {
  const member = memberId ? state.members[memberId] : undefined;
  return member ? { id: member.id, role: member.role } : { id: memberId, role: 'viewer' };
}

/**
 * The one authorization rule. The server enforces it on every write; the client asks it which
 * buttons to show. `reason` is a plain sentence a person can read.
 */
export function check(actor: Actor, action: Action, target?: Post): Verdict {
  if (actor.role === 'viewer' || actor.id === null) return deny('Join the room as a participant to do that.');
  switch (action) {
    case 'post.create':
      return allow;
    case 'post.reply':
    case 'reaction.set':
      if (!target) return deny('That post does not exist.');
      if (target.deletedAt !== null) return deny('That post was deleted.');
      return allow;
    case 'post.edit':
    case 'post.delete':
      if (!target) return deny('That post does not exist.');
      if (target.authorId !== actor.id) return deny('You can only change your own posts.');
      if (target.deletedAt !== null) return deny('That post was already deleted.');
      return allow;
  }
}

export function can(actor: Actor, action: Action, target?: Post): boolean {
  return check(actor, action, target).ok;
}
