import { z } from 'zod';
import { limits } from '../limits.js';
import { Id, text } from './common.js';

/** Markdown source, stored exactly as written. */
export const PostBody = text(limits.bodyMax, { multiline: true });

const Offset = z.number().int().min(0).max(limits.bodyMax);

/** Quote-reply by reference (see PostQuote in room-events.ts): a post id and, for a selection, where it lies in that post's text. */
export const PostQuoteInput = z
  .strictObject({ postId: Id, start: Offset.optional(), end: Offset.optional() })
  .refine((quote) => (quote.start === undefined) === (quote.end === undefined), { message: 'Give both ends of the quoted part, or neither.', path: ['end'] })
  .refine((quote) => quote.start === undefined || quote.start < quote.end!, { message: 'The quoted part ends before it starts.', path: ['end'] });

export const PostCreateInput = z
  .strictObject({
    /** Client-generated, so a retried post is stored once. */
    id: Id,
    parentId: Id.nullable().default(null),
    body: PostBody,
    /** Only for replies: supporting, rebutting or questioning the parent. */
    stance: z.enum(['support', 'rebut', 'question']).nullable().default(null),
    /** Only for replies: quoting the post replied to. */
    quote: PostQuoteInput.nullable().default(null),
  })
  .refine((post) => post.stance === null || post.parentId !== null, { message: 'Only a reply can take a stance.', path: ['stance'] })
  .refine((post) => post.quote === null || post.quote.postId === post.parentId, { message: 'A reply can quote only the post it replies to.', path: ['quote'] });
export type PostCreateInput = z.input<typeof PostCreateInput>;

export const PostEditInput = z.strictObject({ postId: Id, body: PostBody });
export type PostEditInput = z.input<typeof PostEditInput>;

export const PostDeleteInput = z.strictObject({ postId: Id });
export type PostDeleteInput = z.input<typeof PostDeleteInput>;
