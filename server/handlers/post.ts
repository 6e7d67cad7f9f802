import { blockedTermIn } from '../../shared/automod-strict.js';
import { guardHolds } from '../../shared/conduct.js';
import { AppError } from '../../shared/errors.js';
import { isModerator } from '../../shared/permissions.js';
import { newFromBannedNetwork } from '../../shared/network.js';
import type { EventDraft, PostQuote, RoomEvent } from '../../shared/room-events.js';
import type { Post, RoomState } from '../../shared/room-state.js';
import { PostCreateInput, PostDeleteInput, PostEditInput } from '../../shared/schemas/post.js';
import type { AppContext } from '../context.js';
import type { Router } from '../router.js';
import { authorize, postOrNotFound } from './session.js';
import { onWrite, type Acting } from './write.js';
import { own } from '../../shared/own.js';
import type { z } from 'zod';

export function bindPostHandlers(ctx: AppContext, router: Router): void {
  onWrite(ctx, router, 'post:create', PostCreateInput, createPost, {
    // Held for review, now or when first sent: the author's client shows it as waiting, not as lost.
    ack: ({ event, state, input, seq }) => (isHeld(event, state, input.id) ? { seq, held: true } : { seq }),
  });

  onWrite(ctx, router, 'post:edit', PostEditInput, (input, state, { memberId, now }) => {
      const post = postOrNotFound(state, input.postId);
      // A retry of an edit already made changes nothing, even where slow mode now counts that edit.
      if (post.authorId === memberId && post.deletedAt === null && !post.removed && post.body === input.body) return null;
      const actor = authorize(state, memberId, 'post.edit', post, now);
      // An edit cannot wait in the review queue, so any blocked term refuses it.
      const blocked = isModerator(actor) ? null : blockedTermIn(state, input.body);
      if (blocked) throw blockedTermError(blocked.term);
      return { type: 'post.edited', actorId: memberId, postId: post.id, body: input.body };
  });

  onWrite(ctx, router, 'post:delete', PostDeleteInput, (input, state, { memberId, now }) => {
      const post = postOrNotFound(state, input.postId);
      if (post.authorId === memberId && post.deletedAt !== null) return null;
      authorize(state, memberId, 'post.delete', post, now);
      return { type: 'post.deleted', actorId: memberId, postId: post.id };
  });
}

function createPost(input: z.output<typeof PostCreateInput>, state: RoomState, { memberId, now, addressKey }: Acting): EventDraft | null {
  const existing = own(state.posts, input.id) ?? own(state.held, input.id);
  if (existing) {
    // A retry of a post already stored: same effect as the first time.
    if (existing.authorId !== memberId) throw new AppError('CONFLICT', 'That post id is already used; send it again with a new id.');
    return null;
  }
  const parent = input.parentId === null ? undefined : own(state.posts, input.parentId);
  if (input.parentId !== null && !parent) throw new AppError('NOT_FOUND', 'The post you are replying to does not exist.');
  const actor = authorize(state, memberId, parent ? 'post.reply' : 'post.create', parent, now);
  // Logged only when set, so plain posts stay as small as before.
  const optional = { ...(input.stance ? { stance: input.stance } : {}), ...(input.quote ? { quote: quoteOf(input.quote, parent!) } : {}) };
  const blocked = isModerator(actor) ? null : blockedTermIn(state, input.body);
  if (blocked?.action === 'reject') throw blockedTermError(blocked.term);
  if (blocked) return { type: 'post.held', actorId: memberId, postId: input.id, parentId: input.parentId, body: input.body, term: blocked.term, ...optional };
  // Someone new on a network a ban covers (ban evasion, most likely) waits for a moderator.
  if (!isModerator(actor) && newFromBannedNetwork(state, addressKey, memberId)) {
    return { type: 'post.held', actorId: memberId, postId: input.id, parentId: input.parentId, body: input.body, term: '', why: 'network', ...optional };
  }
  // The room's guard: a new member's first posts, or everything new members post under shield mode.
  const guarded = isModerator(actor) ? null : guardHolds(state, actor.member!);
  if (guarded) return { type: 'post.held', actorId: memberId, postId: input.id, parentId: input.parentId, body: input.body, term: '', why: guarded, ...optional };
  return { type: 'post.created', actorId: memberId, postId: input.id, parentId: input.parentId, body: input.body, ...optional };
}

/** The post waits for review: held just now, or (a retry) held when first sent and not yet approved. */
function isHeld(event: RoomEvent | null, state: RoomState, postId: string): boolean {
  return event ? event.type === 'post.held' : !own(state.posts, postId) && !!own(state.held, postId);
}

/** A quote points into the post replied to (the schema checked it is that post): its part must lie in that post's text. */
function quoteOf(quote: PostQuote, parent: Post): PostQuote {
  if (quote.end !== undefined && quote.end > parent.body.length) throw new AppError('INVALID_PAYLOAD', 'The quoted part is not in that post.', [{ path: 'quote.end', message: 'Past the end of the post.' }]);
  return quote.start === undefined ? { postId: quote.postId } : { postId: quote.postId, start: quote.start, end: quote.end };
}

function blockedTermError(term: string): AppError {
  return new AppError('BLOCKED_TERM', `This room does not allow “${term}”; please rephrase.`);
}
