/**
 * One clock for every process on the host: epoch milliseconds with a fraction. Posters stamp the intended
 * send time into a post with it and viewers subtract it from their receive time, so the two readings must
 * come from the same source in different processes (timeOrigin is taken from the wall clock at start,
 * now() is the monotonic clock after that).
 */
export const now = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds or `ms` pass; resolves to whether it held. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms: number, every = 50): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(every);
  }
}
