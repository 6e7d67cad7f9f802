import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { threadOf, threadPage } from '../../shared/post-window.js';
import { ThreadIndex } from '../../shared/thread-index.js';
import { RoomBuilder, T0 } from '../helpers/room-builder.js';

/** Posts in any order of time (an approved held post keeps its own, older time), replies at any depth, some pinned; `look` marks where a reader pages it. */
const roomSpec = fc.array(fc.record({ parent: fc.nat(30), at: fc.integer({ min: 0, max: 50 }), pin: fc.boolean(), look: fc.boolean() }), { minLength: 1, maxLength: 80 });

describe('a thread index kept up to date as posts come', () => {
  it('pages and threads the room exactly as one built afresh, at every point', () => {
    fc.assert(
      fc.property(roomSpec, fc.integer({ min: 1, max: 12 }), (spec, budget) => {
        const b = new RoomBuilder('host');
        const ids: string[] = [];
        let kept: ThreadIndex | null = null;
        spec.forEach(({ parent, at, pin, look }, i) => {
          const parentId = i > 0 && parent % 3 !== 0 ? ids[parent % ids.length]! : null;
          ids.push(`p${i}`);
          b.post(`p${i}`, 'host', { parentId, at: T0 + 1_000_000 + at });
          if (pin && !parentId) b.add({ type: 'post.pinned', actorId: 'host', postId: `p${i}`, at: T0 + 2_000_000 });
          if (!look && i < spec.length - 1) return;
          const state = b.state;
          kept = kept ? kept.update(state) : new ThreadIndex(state);
          for (let before: number | null = null, pages = 0; pages < 100; pages++) {
            const page = threadPage(state, before, budget, kept);
            expect(page).toEqual(threadPage(state, before, budget));
            if (!page.more) break;
            before = page.cursor;
          }
          const some = ids[parent % ids.length]!;
          expect(threadOf(state, some, undefined, kept)).toEqual(threadOf(state, some));
        });
      }),
      { numRuns: 200 },
    );
  });

  it('starts afresh when the order was not only appended to (a client merging a page)', () => {
    const b = new RoomBuilder('host');
    b.post('a', 'host', { at: T0 + 1 });
    b.post('b', 'host', { at: T0 + 2 });
    const index = new ThreadIndex(b.state);
    b.state.postOrder.reverse();
    expect(index.update(b.state)).not.toBe(index);
    expect(index.update(b.state).roots).toEqual(['b', 'a']);
  });
});
