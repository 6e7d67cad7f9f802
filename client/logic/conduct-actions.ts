import type { RoomGuard } from '../../shared/room-events.js';
import type { RequestPayload } from '../socket.js';

export type ConductEvent = 'mod:conduct' | 'mod:appeal' | 'mod:guard' | 'appeal:create';
type Send = <E extends ConductEvent>(event: E, payload: RequestPayload<E>) => Promise<void>;

/**
 * The requests of moderation in depth (notes, warnings, appeals, the guard), as the moderation store
 * sends every moderation write: through its one send().
 */
export function conductActions(send: Send) {
  return {
    note: (memberId: string, note: string) => send('mod:conduct', { action: 'note', memberId, note }),
    warn: (memberId: string, reason: string) => send('mod:conduct', { action: 'warn', memberId, reason }),
    decideAppeal: (appealId: string, action: 'accept' | 'decline', reason = '') => send('mod:appeal', { action, appealId, reason }),
    setGuard: (guard: Partial<RoomGuard>) => send('mod:guard', guard),
    /** `as`: the room and my token, when I cannot join (banned). */
    appeal: (sanctionSeq: number, text: string, as?: { roomId: string; token: string }) => send('appeal:create', { sanctionSeq, text, ...as }),
  };
}
