import type { Page } from 'playwright-core';

/** Installed before the page's own scripts: long tasks (buffered) and the moment the first post is on screen. */
export const PROBE = () => {
  const w = window as unknown as { __long: { start: number; duration: number }[]; __firstPost: number | null };
  w.__long = [];
  w.__firstPost = null;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) w.__long.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  const look = () => {
    const post = document.querySelector('article[data-post-id]');
    if (post && post.getBoundingClientRect().top < window.innerHeight) w.__firstPost = performance.now();
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
};

export interface ScrollFigures {
  durationMs: number;
  longTasks: number;
  longTaskTotalMs: number;
  longTaskMaxMs: number;
  /** Frames slower than 50 ms (a visible stutter) while scrolling, and all frames. */
  slowFrames: number;
  frames: number;
  /** Posts on the page at the end (threads far away are parked, so this stays small). */
  postsRendered: number;
  /** Posts the page holds in its room state at the end (the heading's count). */
  postsLoaded: number;
}

/**
 * Scroll to the bottom the way a reader flicks through (80 px a frame is about 4,800 px/s at 60 fps),
 * following the page as it grows (more threads rendered, older pages loaded), until the end stays the
 * end for 1.5 s.
 */
export async function scrollToBottom(page: Page, pxPerFrame = 80, timeoutMs = 240_000): Promise<ScrollFigures> {
  return page.evaluate(async ([px, timeout]) => {
    const w = window as unknown as { __long: { start: number; duration: number }[] };
    const t0 = performance.now();
    const frames: number[] = [];
    let last = t0;
    let settledSince: number | null = null;
    // A live collection: looking it up each frame with querySelector would walk the whole page.
    const renderMore = document.getElementsByClassName('render-more');
    await new Promise<void>((resolve) => {
      const step = (now: number) => {
        frames.push(now - last);
        last = now;
        const atEnd = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
        const busy = renderMore.length > 0;
        if (atEnd && !busy) settledSince ??= now;
        else settledSince = null;
        if ((settledSince !== null && now - settledSince > 1_500) || now - t0 > timeout) return resolve();
        window.scrollBy(0, px);
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
    const t1 = performance.now();
    const long = w.__long.filter((task) => task.start >= t0 && task.start <= t1);
    return {
      durationMs: Math.round(t1 - t0),
      longTasks: long.length,
      longTaskTotalMs: Math.round(long.reduce((sum, task) => sum + task.duration, 0)),
      longTaskMaxMs: Math.round(Math.max(0, ...long.map((task) => task.duration))),
      slowFrames: frames.filter((ms) => ms > 50).length,
      frames: frames.length,
      postsRendered: document.querySelectorAll('article[data-post-id]').length,
      postsLoaded: Number(/\d+/.exec(document.querySelector('.thread__count')?.textContent ?? '')?.[0] ?? 0),
    };
  }, [pxPerFrame, timeoutMs] as const);
}
