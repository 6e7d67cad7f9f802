import { hasReacted } from '../../shared/room-state.js';
import { ReactionSetInput } from '../../shared/schemas/reaction.js';
import type { AppContext, AppSocket } from '../context.js';
import { on } from '../router.js';
import { authorize, postOrNotFound } from './session.js';
import { write, written } from './write.js';

export function bindReactionHandlers(ctx: AppContext, socket: AppSocket): void {
  on(ctx.meter, socket, 'reaction:set', ReactionSetInput, async (input) =>
    written(await write(ctx, socket, (state, { memberId, now }) => {
      const post = postOrNotFound(state, input.postId);
      authorize(state, memberId, 'reaction.set', post, now);
      // Already as asked: nothing to log, so a retry or a double click counts once.
      if (hasReacted(post, input.emoji, memberId) === input.on) return null;
      return { type: input.on ? 'reaction.added' : 'reaction.removed', actorId: memberId, postId: post.id, emoji: input.emoji };
    })), { write: true });
}
