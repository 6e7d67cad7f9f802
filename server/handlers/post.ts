import { AppError } from '../../shared/errors.js';
import { PostCreateInput, PostDeleteInput, PostEditInput } from '../../shared/schemas/post.js';
import type { AppContext, AppSocket } from '../context.js';
import { on } from '../router.js';
import { authorize, postOrNotFound } from './session.js';
import { write } from './write.js';

export function bindPostHandlers(ctx: AppContext, socket: AppSocket): void {
  on(ctx.meter, socket, 'post:create', PostCreateInput, (input) =>
    write(ctx, socket, (state, memberId) => {
      const existing = state.posts[input.id];
      if (existing) {
        // A retry of a post already stored: same effect as the first time.
        if (existing.authorId === memberId) return null;
        throw new AppError('CONFLICT', 'That post id is already used; send it again with a new id.');
      }
      if (input.parentId === null) authorize(state, memberId, 'post.create');
      else {
        const parent = state.posts[input.parentId];
        if (!parent) throw new AppError('NOT_FOUND', 'The post you are replying to does not exist.');
        authorize(state, memberId, 'post.reply', parent);
      }
      return { type: 'post.created', actorId: memberId, postId: input.id, parentId: input.parentId, body: input.body };
    }), { write: true });

  on(ctx.meter, socket, 'post:edit', PostEditInput, (input) =>
    write(ctx, socket, (state, memberId) => {
      const post = postOrNotFound(state, input.postId);
      authorize(state, memberId, 'post.edit', post);
      if (post.body === input.body) return null;
      return { type: 'post.edited', actorId: memberId, postId: post.id, body: input.body };
    }), { write: true });

  on(ctx.meter, socket, 'post:delete', PostDeleteInput, (input) =>
    write(ctx, socket, (state, memberId) => {
      const post = postOrNotFound(state, input.postId);
      if (post.authorId === memberId && post.deletedAt !== null) return null;
      authorize(state, memberId, 'post.delete', post);
      return { type: 'post.deleted', actorId: memberId, postId: post.id };
    }), { write: true });
}
