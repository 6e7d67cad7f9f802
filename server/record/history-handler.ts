import { recordLimits } from '../../shared/record-limits.js';
import { RoomHistoryInput, type HistoryPage } from '../../shared/schemas/export.js';
import type { AppContext } from '../context.js';
import { audienceOf } from '../handlers/room-read.js';
import { roomOrNotFound, sessionOf } from '../handlers/session.js';
import type { Router } from '../router.js';
import type { RoomRecord } from './index.js';
import { historyPage } from './served.js';

/**
 * `room:history`: the room's log for replay, a bounded page at a time, as this reader may see it. Metered
 * per address, requests and bytes (the meter runs inside, since the bytes are known only once read).
 */
export function bindHistoryHandler(ctx: AppContext, router: Router, { history, meter }: RoomRecord): void {
  router.on('room:history', RoomHistoryInput, async (input, socket): Promise<HistoryPage> => {
    const { roomId, memberId } = sessionOf(socket);
    await meter.request(socket.data.address);
    const state = roomOrNotFound(await ctx.store.load(roomId));
    const page = await historyPage(history, state, audienceOf(state, memberId), input.from, input.limit ?? recordLimits.historyPageEvents);
    await meter.answer(socket.data.address, page.bytes);
    return { events: page.events, seq: page.seq };
  });
}
