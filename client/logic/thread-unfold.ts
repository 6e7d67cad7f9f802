import { nextTick } from 'vue';

/**
 * Unfolding replies a little at a time. In a big room a thread comes into view as the reader nears it;
 * mounting all its posts at once (markdown, reactions, stances, a dozen small components each) is one
 * long task that stutters the scroll. Instead a post's replies are mounted in later frames, a few
 * replies at a time, with as many turns per frame as fit in a few milliseconds: the thread fills in
 * just below the viewport over a few frames, and no frame is long.
 */

/** Script time per frame spent mounting replies; the browser still needs the rest for layout and paint. */
const FRAME_BUDGET_MS = 6;

/** One per page (the thread-view store holds it), started over when the room changes. */
export function createUnfolding() {
  const queue: (() => void)[] = [];
  let frameRequested = false;
  /** Posts whose replies were shown once: shown again at once (after parking, say), never unfolded twice. */
  const unfolded = new Set<string>();
  let rushUntil = 0;

  /** Whether this post's replies may wait for a later frame. */
  function mayUnfoldLater(postId: string): boolean {
    return !unfolded.has(postId) && performance.now() >= rushUntil;
  }

  /**
   * Show this post's replies in coming frames, a few at a time: `showMore` is called at each turn and
   * says whether replies remain, for another turn after everything else waiting.
   */
  function unfoldLater(postId: string, showMore: () => boolean): () => void {
    let cancelled = false;
    const turn = () => {
      if (cancelled) return;
      if (showMore()) enqueue(turn);
      else unfolded.add(postId);
    };
    enqueue(turn);
    // A thread parked or gone before its turn: nothing to show.
    return () => {
      cancelled = true;
    };
  }

  function enqueue(turn: () => void): void {
    queue.push(turn);
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(() => void unfoldSome());
    }
  }

  /** Mark replies shown at once (not deferred), so that they are never deferred later either. */
  function markUnfolded(postId: string): void {
    unfolded.add(postId);
  }

  async function unfoldSome(): Promise<void> {
    const start = performance.now();
    // At least one turn per frame, however slow the machine, so a thread always fills in. The queue may
    // be empty by now: unfoldAllNow() or reset() can run between the frame request and this frame.
    for (let turn = queue.shift(); turn; turn = performance.now() - start < FRAME_BUDGET_MS ? queue.shift() : undefined) {
      turn();
      // Vue mounts the replies in a microtask, within this frame, so the budget counts their cost.
      await nextTick();
    }
    frameRequested = queue.length > 0;
    if (frameRequested) requestAnimationFrame(() => void unfoldSome());
  }

  /**
   * Everything at once for a moment: a permalink, a jump or "follow live" is about to scroll to a post
   * that must be on the page now, not a few frames later.
   */
  function unfoldAllNow(ms = 1_000): void {
    rushUntil = performance.now() + ms;
    while (queue.length) queue.shift()!();
  }

  /** The room changed: its posts' turns are dropped, and the next room's posts unfold afresh. */
  function reset(): void {
    queue.length = 0;
    unfolded.clear();
    rushUntil = 0;
  }

  return { mayUnfoldLater, unfoldLater, markUnfolded, unfoldAllNow, reset };
}

export type Unfolding = ReturnType<typeof createUnfolding>;
