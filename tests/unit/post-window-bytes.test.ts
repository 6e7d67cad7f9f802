import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergePosts, postBytes, threadOf, threadPage, type PageBudget, type ThreadPage } from '../../shared/post-window.js';
import type { RoomState } from '../../shared/room-state.js';
import { RoomBuilder, T0 } from '../helpers/room-builder.js';

/** Random rooms: threads of replies at any depth, long and short posts (multi-byte text), some pinned. */
const roomSpec = fc.array(fc.record({ parent: fc.nat(40), chars: fc.nat(3_000), gapMs: fc.integer({ min: 0, max: 3 }), pin: fc.boolean() }), { minLength: 1, maxLength: 100 });
const budgetSpec = fc.record({ posts: fc.integer({ min: 1, max: 20 }), targetBytes: fc.integer({ min: 500, max: 20_000 }), maxBytes: fc.integer({ min: 4_000, max: 30_000 }) });

type RoomSpec = { parent: number; chars: number; gapMs: number; pin: boolean }[];

function build(spec: RoomSpec): RoomState {
  const b = new RoomBuilder('host');
  let at = T0 + 10_000_000;
  const ids: string[] = [];
  spec.forEach(({ parent, chars, gapMs, pin }, i) => {
    at += gapMs;
    const parentId = i > 0 && parent % 3 !== 0 ? ids[parent % ids.length] : null;
    ids.push(`p${i}`);
    b.post(`p${i}`, 'host', { parentId, body: 'é'.repeat(chars), at });
    if (pin && !parentId) b.add({ type: 'post.pinned', actorId: 'host', postId: `p${i}`, at });
  });
  return b.state;
}

const bytesOf = (page: ThreadPage) => page.posts.reduce((sum, post) => sum + postBytes(post), 0);

describe('pages are bounded in bytes', () => {
  it('paging reaches every thread, every post arrives with its parent, and no page passes the cap by more than one post', () => {
    fc.assert(
      fc.property(roomSpec, budgetSpec, (spec, budget: PageBudget) => {
        const state = build(spec);
        const client: RoomState = { ...state, posts: {}, postOrder: [] };
        const distinctTimes = new Set(spec.map((_, i) => state.posts[`p${i}`].createdAt)).size === spec.length;
        let page = threadPage(state, null, budget);
        for (let pages = 0; ; pages++) {
          expect(pages).toBeLessThan(500);
          // Roots of one millisecond travel together (the cursor is a time), so only distinct times bound a page.
          if (distinctTimes) expect(bytesOf(page)).toBeLessThanOrEqual(budget.maxBytes + Math.max(0, ...page.posts.map(postBytes)));
          mergePosts(client, page.posts);
          for (const post of page.posts) if (post.parentId) expect(client.posts[post.parentId]).toBeDefined();
          if (!page.more) break;
          page = threadPage(state, page.cursor, budget);
        }
        for (const post of Object.values(state.posts)) if (post.parentId === null) expect(client.posts[post.id]).toBeDefined();
      }),
      { numRuns: 1_000 },
    );
  });

  it('a thread bigger than an answer is cut, keeping the way down to the post asked for and every parent', () => {
    const b = new RoomBuilder('host');
    b.post('root', 'host', { body: 'root' });
    let parent = 'root';
    for (let i = 0; i < 60; i++) {
      b.post(`r${i}`, 'host', { parentId: i % 4 ? parent : 'root', body: 'x'.repeat(9_000) });
      parent = `r${i}`;
    }
    const posts = threadOf(b.state, 'r57', 100_000);
    const ids = new Set(posts.map((post) => post.id));
    expect(posts.reduce((sum, post) => sum + postBytes(post), 0)).toBeLessThanOrEqual(100_000);
    expect(ids.has('root') && ids.has('r57') && ids.has('r56')).toBe(true);
    for (const post of posts) if (post.parentId) expect(ids.has(post.parentId)).toBe(true);
    expect(threadOf(b.state, 'r57')).toHaveLength(61);
  });
});
