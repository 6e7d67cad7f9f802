import { z } from 'zod';
import { limits } from '../limits.js';
import { Id, text } from './common.js';

/** Markdown source, stored exactly as written. */
export const PostBody = text(limits.bodyMax, { multiline: true });

export const PostCreateInput = z
  .strictObject({
    /** Client-generated, so a retried post is stored once. */
    id: Id,
    parentId: Id.nullable().default(null),
    body: PostBody,
    /** Only for replies: supporting, rebutting or questioning the parent. */
    stance: z.enum(['support', 'rebut', 'question']).nullable().default(null),
  })
  .refine((post) => post.stance === null || post.parentId !== null, { message: 'Only a reply can take a stance.', path: ['stance'] });
export type PostCreateInput = z.input<typeof PostCreateInput>;

export const PostEditInput = z.strictObject({ postId: Id, body: PostBody });
export type PostEditInput = z.input<typeof PostEditInput>;

export const PostDeleteInput = z.strictObject({ postId: Id });
export type PostDeleteInput = z.input<typeof PostDeleteInput>;
