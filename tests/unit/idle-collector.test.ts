import { describe, expect, it } from 'vitest';
import { getHeapStatistics } from 'node:v8';
import { IdleCollector, runtimeGc } from '../../server/idle-collector.js';

const MB = 1024 * 1024;

/** A collector whose heap and loop are whatever the test says, counting its collections. */
function scripted(growthMb: number, startMb = 40, settleLooks = 0) {
  const world = { heap: startMb * MB, busy: 0, collected: 0 };
  const collector = new IdleCollector({
    growthBytes: growthMb * MB,
    settleLooks,
    everyMs: 60_000,
    heapUsed: () => world.heap,
    busyShare: () => world.busy,
    collect: () => {
      world.collected++;
      world.heap -= 30 * MB; // what a collection frees
    },
  });
  return { world, collector };
}

/** Runs `steps` against a scripted collector, closing it afterwards. */
function withScripted(
  growthMb: number,
  steps: (world: { heap: number; busy: number; collected: number }, collector: IdleCollector) => void,
  startMb?: number,
  settleLooks?: number,
) {
  const { world, collector } = scripted(growthMb, startMb, settleLooks);
  try {
    steps(world, collector);
  } finally {
    collector.close();
  }
}

describe('IdleCollector', () => {
  it('after a collection, collects once more when the loop stayed idle for settleLooks looks, then waits for growth', () => {
    withScripted(16, (world, collector) => {
      expect(collector.look()).toBe(false); // nothing collected yet: no follow-up is owed
      expect(collector.look()).toBe(false);
      world.heap = 70 * MB;
      expect(collector.look()).toBe(true); // the growth test
      expect(collector.look()).toBe(false); // idle 1 of 2
      expect(collector.look()).toBe(true); // idle 2 of 2: the follow-up, though the heap did not grow
      for (let i = 0; i < 5; i++) expect(collector.look()).toBe(false); // and only one
      expect(world.collected).toBe(2);
    }, 40, 2);
  });

  it('a busy look puts the follow-up off until the loop has been idle that long again', () => {
    withScripted(16, (world, collector) => {
      world.heap = 70 * MB;
      expect(collector.look()).toBe(true);
      expect(collector.look()).toBe(false); // idle 1
      world.busy = 0.5;
      expect(collector.look()).toBe(false); // busy: start over
      world.busy = 0;
      expect(collector.look()).toBe(false); // idle 1
      expect(collector.look()).toBe(true); // idle 2
      expect(world.collected).toBe(2);
    }, 40, 2);
  });

  it('collects when the loop is idle and the heap grew past the threshold since its least', () => {
    withScripted(16, (world, collector) => {
      world.heap = 50 * MB; // 10 MB over the floor: not enough
      expect(collector.look()).toBe(false);
      world.heap = 60 * MB; // 20 MB over
      expect(collector.look()).toBe(true);
      expect(world.collected).toBe(1);
      expect(collector.collections).toBe(1);
    });
  });

  it('does not collect while the loop is busy, however much the heap grew, and does once it is quiet', () => {
    withScripted(16, (world, collector) => {
      world.heap = 300 * MB;
      world.busy = 0.6;
      expect(collector.look()).toBe(false);
      world.busy = 0.05;
      expect(collector.look()).toBe(true);
      expect(world.collected).toBe(1);
    });
  });

  it('measures growth from the heap after its last collection, and from a lower floor when the heap shrinks', () => {
    withScripted(16, (world, collector) => {
      world.heap = 70 * MB;
      expect(collector.look()).toBe(true); // floor now 40 MB (70 − 30 freed)
      world.heap = 50 * MB;
      expect(collector.look()).toBe(false); // 10 MB over the new floor
      world.heap = 20 * MB; // V8 collected on its own: the floor falls with it
      expect(collector.look()).toBe(false);
      world.heap = 38 * MB; // 18 MB over 20, though under the old floor
      expect(collector.look()).toBe(true);
      expect(world.collected).toBe(2);
    });
  });

  it('on a big heap, waits for garbage in proportion to it', () => {
    withScripted(16, (world, collector) => {
      world.heap = 1200 * MB; // 200 MB over a floor of 1000: under a quarter of it
      expect(collector.look()).toBe(false);
      world.heap = 1300 * MB;
      expect(collector.look()).toBe(true);
      expect(world.collected).toBe(1);
    }, 1000);
  });

  it('never collects at growth 0 (IDLE_COLLECT_MB=0 turns it off)', () => {
    const collects: number[] = [];
    const collector = new IdleCollector({ growthBytes: 0, collect: () => collects.push(1), busyShare: () => 0 });
    try {
      expect(collector.look()).toBe(false);
      expect(collects).toEqual([]);
    } finally {
      collector.close();
    }
  });

  it('gets a working full collection without --expose-gc', async () => {
    const gc = runtimeGc();
    expect(gc).toBeTypeOf('function');
    let garbage: object | null = { payload: new Array(1000).fill('x') };
    const ref = new WeakRef(garbage);
    garbage = null;
    // A WeakRef holds its target until the current job ends: let it end before collecting.
    await new Promise((resolve) => setImmediate(resolve));
    gc!();
    expect(ref.deref()).toBeUndefined();
  });

  it('with its defaults, hands back garbage from the real heap when the loop is idle', async () => {
    const collector = new IdleCollector({ growthBytes: 16 * MB, everyMs: 60_000, busyShare: () => 0 });
    try {
      // ~40 MB of arrays kept, then dropped: garbage V8 has no reason yet to collect.
      let kept: number[][] | null = Array.from({ length: 5_000 }, (_, i) => new Array<number>(1000).fill(i));
      const before = getHeapStatistics().used_heap_size;
      expect(kept.length).toBe(5_000);
      kept = null;
      await new Promise((resolve) => setImmediate(resolve));
      expect(collector.look()).toBe(true);
      expect(getHeapStatistics().used_heap_size).toBeLessThan(before - 20 * MB);
    } finally {
      collector.close();
    }
  });
});
