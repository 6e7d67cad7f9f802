import { defineStore } from 'pinia';
import { check, type Action, type Verdict } from '../../shared/permissions.js';
import type { Member, Post } from '../../shared/room-state.js';
import { useRoomStore } from './room.js';

/**
 * The one front door to the permission question on this page: the shared rule (shared/permissions.ts),
 * asked with who I am in this room at the room's rule clock (room.actor). Components and stores ask
 * here and nowhere else, so a button is shown exactly when the server would accept its request.
 */
export const usePermissionsStore = defineStore('permissions', () => {
  const room = useRoomStore();

  function verdict(action: Action, target?: Post | Member): Verdict {
    return check(room.actor, action, target);
  }
  /** Whether I may do this now. */
  function can(action: Action, target?: Post | Member): boolean {
    return verdict(action, target).ok;
  }
  /** Why I may not, as a sentence for the person (null when I may). */
  function reason(action: Action, target?: Post | Member): string | null {
    const answer = verdict(action, target);
    return answer.ok ? null : answer.reason;
  }

  return { can, reason, verdict };
});
