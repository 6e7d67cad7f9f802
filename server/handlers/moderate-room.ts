import { ModerateRoomInput } from '../../shared/schemas/moderation.js';
import type { EventDraft } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import type { Router } from '../router.js';
import type { AppContext } from '../context.js';
import { authorize } from './session.js';
import { onWrite, type Acting } from './write.js';

/** The room: slow mode, who may post, moderator names, blocked terms, lock, close. */
export function bindRoomModerationHandlers(ctx: AppContext, router: Router): void {
  onWrite(ctx, router, 'mod:room', ModerateRoomInput, (input, state, acting) => moderateRoom(state, acting, input));
}

function moderateRoom(state: RoomState, { memberId, now }: Acting, input: ReturnType<typeof ModerateRoomInput.parse>): EventDraft | null {
  switch (input.action) {
    case 'settings': {
      const { showModNames, publicExport, steelman, ...rest } = input.settings;
      // What the audience may see of the room is the host's to decide; the rest any moderator may change.
      if (showModNames !== undefined) authorize(state, memberId, 'room.modNames', undefined, now);
      if (publicExport !== undefined) authorize(state, memberId, 'room.exports', undefined, now);
      if (steelman !== undefined) authorize(state, memberId, 'room.steelman', undefined, now);
      if (Object.keys(rest).length > 0) authorize(state, memberId, 'room.settings', undefined, now);
      const changed = Object.fromEntries(Object.entries(input.settings).filter(([key, value]) => state.settings[key as keyof typeof state.settings] !== value));
      return Object.keys(changed).length ? { type: 'room.settings', actorId: memberId, settings: changed } : null;
    }
    case 'blockedTerms':
      authorize(state, memberId, 'room.blockedTerms', undefined, now);
      return { type: 'room.blockedTerms', actorId: memberId, terms: input.terms };
    case 'lock':
      authorize(state, memberId, 'room.lock', undefined, now);
      return state.status === 'open' ? { type: 'room.locked', actorId: memberId, reason: input.reason } : null;
    case 'unlock':
      authorize(state, memberId, 'room.lock', undefined, now);
      return state.status === 'locked' ? { type: 'room.unlocked', actorId: memberId } : null;
    case 'close':
      authorize(state, memberId, 'room.close', undefined, now);
      return { type: 'room.closed', actorId: memberId, reason: input.reason };
  }
}
