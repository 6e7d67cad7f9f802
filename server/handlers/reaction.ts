import { hasReacted } from '../../shared/room-state.js';
import { ReactionSetInput } from '../../shared/schemas/reaction.js';
import type { Router } from '../router.js';
import type { AppContext } from '../context.js';
import { authorize, postOrNotFound } from './session.js';
import { onWrite } from './write.js';

export function bindReactionHandlers(ctx: AppContext, router: Router): void {
  onWrite(ctx, router, 'reaction:set', ReactionSetInput, (input, state, { memberId, now }) => {
      const post = postOrNotFound(state, input.postId);
      authorize(state, memberId, 'reaction.set', post, now);
      // Already as asked: nothing to log, so a retry or a double click counts once.
      if (hasReacted(post, input.emoji, memberId) === input.on) return null;
      return { type: input.on ? 'reaction.added' : 'reaction.removed', actorId: memberId, postId: post.id, emoji: input.emoji };
  });
}
