import { limits } from '../../shared/limits.js';
import { TypingInput } from '../../shared/schemas/debate.js';
import type { AppContext } from '../context.js';
import { roomChannel } from '../channels.js';
import type { Router } from '../router.js';
import { authorize, roomOrNotFound, sessionOf } from './session.js';

/**
 * "Bea is replying to…": ephemeral, never logged. Each signal is relayed as it is (so it works across
 * nodes without shared state) but at most once per renew interval per socket, and as volatile
 * packets: a viewer who misses one just sees it expire.
 */
export function bindTypingHandlers(ctx: AppContext, router: Router): void {
  router.on('typing:set', TypingInput, async (input, socket) => {
    const { roomId, memberId } = sessionOf(socket);
    const state = roomOrNotFound(await ctx.store.load(roomId));
    const parent = input.parentId ? state.posts[input.parentId] : undefined;
    authorize(state, memberId, parent ? 'post.reply' : 'post.create', parent, ctx.now());
    const key = `${input.parentId}:${input.typing}`;
    const now = Date.now();
    const last = socket.data.lastTyping;
    if (input.typing && last && key === last.key && now - last.at < limits.typingRenewMs) return null;
    socket.data.lastTyping = { key, at: now };
    socket.to(roomChannel(roomId)).volatile.emit('room:typing', { memberId, parentId: input.parentId, typing: input.typing });
    return null;
  }, { meter: (socket) => ctx.perAddress.typing.consume(socket.data.address) });
}
