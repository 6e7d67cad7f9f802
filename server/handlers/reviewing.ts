import { conductLimits } from '../../shared/conduct.js';
import { ReviewingInput } from '../../shared/schemas/conduct.js';
import type { AppContext } from '../context.js';
import { modsChannel } from '../channels.js';
import type { Router } from '../router.js';
import { authorize, roomOrNotFound, sessionOf } from './session.js';

/**
 * Moderator handover, "Mo is reviewing": which queue item a moderator has open, so two do not act on
 * the same report. Ephemeral like typing: relayed to the room's moderators only, never logged, at most
 * once per renew interval per socket for the same item, budgeted per address, sent volatile (a missed
 * one just expires on the other screens after conductLimits.reviewingTtlMs).
 */
export function bindReviewingHandler(ctx: AppContext, router: Router): void {
  router.on('mod:reviewing', ReviewingInput, async (input, socket) => {
    const { roomId, memberId } = sessionOf(socket);
    authorize(roomOrNotFound(await ctx.store.load(roomId)), memberId, 'queue.review', undefined, ctx.now());
    const now = Date.now();
    const last = socket.data.lastReviewing;
    if (last && last.item === input.item && now - last.at < conductLimits.reviewingRenewMs) return null;
    socket.data.lastReviewing = { item: input.item, at: now };
    socket.to(modsChannel(roomId)).volatile.emit('room:reviewing', { memberId, item: input.item });
    return null;
  }, { meter: (socket) => ctx.perAddress.reviewing.consume(socket.data.address) });
}
