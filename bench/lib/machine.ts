import { readFileSync } from 'node:fs';
import { sleep } from './clock.js';

/** Busy ticks (user + nice + system) per CPU: the machine may be shared, and others' work skews results. */
export function busyTicks(): number[] {
  try {
    return readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .filter((line) => /^cpu\d+ /.test(line))
      .map((line) => {
        const [user, nice, system] = line.split(/\s+/).slice(1, 4).map(Number);
        return user! + nice! + system!;
      });
  } catch {
    return [];
  }
}

/**
 * Waits (up to `maxMs`) for a second in which the CPUs are mostly idle, so a run does not start in the
 * middle of somebody else's test suite. Returns the busy fraction of the last second looked at.
 */
export async function waitForQuiet(maxMs: number, threshold = 0.25, ticksPerSec = 100): Promise<{ busy: number; waitedMs: number }> {
  const start = Date.now();
  if (maxMs <= 0) return { busy: NaN, waitedMs: 0 };
  for (;;) {
    const before = busyTicks();
    await sleep(1_000);
    const after = busyTicks();
    const busy = after.reduce((sum, ticks, cpu) => sum + ticks - (before[cpu] ?? 0), 0) / (ticksPerSec * Math.max(1, after.length));
    if (busy < threshold || Date.now() - start >= maxMs) return { busy, waitedMs: Date.now() - start };
  }
}
