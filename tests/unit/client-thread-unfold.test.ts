import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createUnfolding } from '../../client/logic/thread-unfold.js';

// Frames by hand: each call to frame() runs the callbacks requested so far, then lets their promises settle.
let callbacks: FrameRequestCallback[] = [];
async function frame(): Promise<void> {
  const due = callbacks;
  callbacks = [];
  for (const callback of due) callback(performance.now());
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('thread unfolding', () => {
  beforeEach(() => {
    callbacks = [];
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => callbacks.push(callback));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows replies in later frames, a turn at a time, each post waiting behind the others', async () => {
    const { unfoldLater, mayUnfoldLater } = createUnfolding();
    const log: string[] = [];
    let a = 0;
    unfoldLater('a', () => (log.push(`a${++a}`), a < 2));
    unfoldLater('b', () => (log.push('b'), false));
    expect(log).toEqual([]);
    for (let i = 0; i < 3; i++) await frame();
    expect(log).toEqual(['a1', 'b', 'a2']);
    // Unfolded once: shown at once next time (after parking, say).
    expect(mayUnfoldLater('a')).toBe(false);
    expect(mayUnfoldLater('c')).toBe(true);
  });

  it('drops the turns of a post that went away before them', async () => {
    const { unfoldLater } = createUnfolding();
    const shown = vi.fn(() => false);
    const cancel = unfoldLater('a', shown);
    cancel();
    await frame();
    expect(shown).not.toHaveBeenCalled();
  });

  it('shows everything at once before a jump, and nothing waits for a moment after it', async () => {
    const { unfoldLater, unfoldAllNow, mayUnfoldLater } = createUnfolding();
    let turns = 0;
    unfoldLater('a', () => ++turns < 3);
    unfoldAllNow();
    expect(turns).toBe(3);
    expect(mayUnfoldLater('b')).toBe(false);
  });

  it('a frame requested before everything was shown at once finds nothing to do, and does it quietly', async () => {
    const { unfoldLater, unfoldAllNow } = createUnfolding();
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      unfoldLater('a', () => false);
      unfoldAllNow();
      await frame();
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('unhandledRejection', onRejection);
    }
    expect(failures).toEqual([]);
    expect(callbacks).toEqual([]);
  });

  it('starts over when the room changes: nothing of the last room waits, and no post counts as unfolded', async () => {
    const { unfoldLater, markUnfolded, mayUnfoldLater, unfoldAllNow, reset } = createUnfolding();
    const shown = vi.fn(() => false);
    markUnfolded('a');
    unfoldAllNow();
    unfoldLater('b', shown);
    reset();
    await frame();
    expect(shown).not.toHaveBeenCalled();
    expect(mayUnfoldLater('a')).toBe(true);
  });
});
