import { now, sleep } from '../lib/clock.js';
import { distribution, Samples } from '../lib/stats.js';
import type { Viewer } from './viewer.js';

export interface ChurnPlan {
  fraction: number;
  periodMs: number;
  offMs: number;
  cycles: number;
}

export interface ChurnResult {
  cuts: number;
  catchUp: ReturnType<typeof distribution>;
  stages: { open: ReturnType<typeof distribution>; join: ReturnType<typeof distribution> };
  meanBytes: number;
  meanEvents: number;
  snapshots: number;
  failures: number;
}

/**
 * Every `periodMs`, cuts the next `fraction` of viewers (rotating, so all take their turn), keeps them off
 * for `offMs`, then brings them all back at once: a network blip for a slice of the audience.
 */
export function startChurn(viewers: Viewer[], args: ChurnPlan): { slice: number; done: Promise<ChurnResult> } {
  const catchUp = new Samples();
  const stages = { open: new Samples(), join: new Samples() };
  const bytes: number[] = [];
  const synced: number[] = [];
  let snapshots = 0;
  let failures = 0;
  const slice = Math.max(1, Math.round(viewers.length * args.fraction));
  const done = (async (): Promise<ChurnResult> => {
    const start = now();
    for (let cycle = 0; cycle < args.cycles; cycle++) {
      await sleep(Math.max(0, start + (cycle + 0.5) * args.periodMs - now()));
      const group = Array.from({ length: slice }, (_, i) => viewers[(cycle * slice + i) % viewers.length]!);
      for (const viewer of group) viewer.cut();
      await sleep(args.offMs);
      await Promise.all(group.map(async (viewer) => {
        for (let attempt = 1; ; attempt++) {
          try {
            const rejoined = await viewer.rejoin();
            catchUp.add(rejoined.ms);
            for (const stage of ['open', 'join'] as const) stages[stage].add(rejoined.stages[stage]);
            if (Number.isFinite(rejoined.bytes)) bytes.push(rejoined.bytes);
            synced.push(Math.max(0, rejoined.events));
            if (rejoined.snapshot) snapshots++;
            return;
          } catch {
            failures++;
            viewer.cut();
            if (attempt >= 5) return;
            await sleep(250 * attempt);
          }
        }
      }));
    }
    const samples = catchUp.take();
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
    return {
      cuts: samples.length,
      catchUp: distribution(samples),
      stages: { open: distribution(stages.open.take()), join: distribution(stages.join.take()) },
      meanBytes: mean(bytes),
      meanEvents: mean(synced),
      snapshots,
      failures,
    };
  })();
  return { slice, done };
}
