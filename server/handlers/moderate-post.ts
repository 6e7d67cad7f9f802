import { nanoid } from 'nanoid';
import { AppError } from '../../shared/errors.js';
import type { EventDraft } from '../../shared/room-events.js';
import type { Post, RoomState } from '../../shared/room-state.js';
import { DismissReportsInput, ModeratePostInput, ReportCreateInput, ReviewHeldInput } from '../../shared/schemas/moderation.js';
import type { Router } from '../router.js';
import type { AppContext } from '../context.js';
import { authorize, postOrNotFound } from './session.js';
import { onWrite, type Acting } from './write.js';
import { newFromBannedNetwork } from '../../shared/network.js';
import { spendIfNewToRoom } from './identities.js';

/** Acting on posts: remove, restore, pin, lock; the review queue (held posts, reports); reporting. */
export function bindPostModerationHandlers(ctx: AppContext, router: Router): void {
  onWrite(ctx, router, 'mod:post', ModeratePostInput, (input, state, acting) => moderatePost(state, acting, input));

  onWrite(ctx, router, 'mod:held', ReviewHeldInput, (input, state, { memberId, now }) => {
      authorize(state, memberId, 'queue.review', undefined, now);
      const held = state.held[input.postId];
      if (!held) {
        // Already decided (a retry, or another moderator was quicker): nothing more to do.
        if (state.posts[input.postId]) return null;
        throw new AppError('NOT_FOUND', 'That post is not waiting for review.');
      }
      return input.action === 'approve'
        ? { type: 'post.approved', actorId: memberId, postId: held.id, body: held.body }
        : { type: 'post.rejected', actorId: memberId, postId: held.id, reason: input.reason };
  });

  onWrite(ctx, router, 'mod:reports', DismissReportsInput, (input, state, { memberId, now }) => {
      authorize(state, memberId, 'queue.review', undefined, now);
      postOrNotFound(state, input.postId);
      const open = Object.values(state.reports).some((report) => report.postId === input.postId);
      return open ? { type: 'report.dismissed', actorId: memberId, postId: input.postId, ...(input.reason ? { reason: input.reason } : {}) } : null;
  });

  onWrite(ctx, router, 'report:create', ReportCreateInput, (input, state, { memberId, now, addressKey }) => {
      const post = postOrNotFound(state, input.postId);
      authorize(state, memberId, 'post.report', post, now);
      if (newFromBannedNetwork(state, addressKey, memberId)) throw new AppError('FORBIDDEN', 'A ban in this room covers your network; you cannot report here.');
      // One open report per person per post: reporting again changes nothing.
      const already = Object.values(state.reports).some((report) => report.postId === post.id && report.reporterId === memberId);
      return already ? null : { type: 'report.filed', actorId: memberId, reportId: nanoid(12), postId: post.id, reason: input.reason };
  }, { before: (_input, socket) => spendIfNewToRoom(ctx, socket) });
}

function moderatePost(state: RoomState, { memberId, now }: Acting, input: ReturnType<typeof ModeratePostInput.parse>): EventDraft | null {
  const post: Post = postOrNotFound(state, input.postId);
  const postId = post.id;
  switch (input.action) {
    case 'remove':
      authorize(state, memberId, 'post.remove', post, now);
      return post.removed ? null : { type: 'post.removed', actorId: memberId, postId, reason: input.reason };
    case 'restore':
      authorize(state, memberId, 'post.restore', post, now);
      return post.removed ? { type: 'post.restored', actorId: memberId, postId, body: post.body } : null;
    case 'pin':
    case 'unpin':
      authorize(state, memberId, 'post.pin', post, now);
      if ((post.pinnedAt !== null) === (input.action === 'pin')) return null;
      return { type: input.action === 'pin' ? 'post.pinned' : 'post.unpinned', actorId: memberId, postId };
    case 'lock':
    case 'unlock':
      authorize(state, memberId, 'thread.lock', post, now);
      if (post.locked === (input.action === 'lock')) return null;
      return { type: input.action === 'lock' ? 'thread.locked' : 'thread.unlocked', actorId: memberId, postId };
  }
}
