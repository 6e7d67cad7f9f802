/**
 * Sizes for the two modes. Full follows the brief (2,000 and 5,000 viewers, 30 posters, 3 alternating
 * repetitions, 10,000 idle connections) within about fifteen minutes; quick keeps every scenario and its
 * correctness checks but shrinks them to under a minute for CI.
 */
export interface Plan {
  mode: 'quick' | 'full';
  fanout: {
    sizes: { viewers: number; ioViewers: number }[];
    posters: number;
    phaseMs: number;
    rampPhaseMs: number;
    warmupMs: number;
    reps: number;
    reactionsPerPost: number;
    /**
     * Load levels as fractions of the baseline's capacity; `sat` is the overload that measures saturation:
     * 3×, because at 2× the app still delivered all it was offered (99 %, p99 75 ms), so 2× measured the offer,
     * not the app's ceiling.
     */
    levels: number[];
    saturation: number;
    bigBodyBytes: number;
    /** The ramp starts at this many deliveries/s (divided by the audience) and multiplies by `rampFactor`. */
    rampStartDeliveries: number;
    rampFactor: number;
    rampSteps: number;
  };
  redis: { viewers: number; levels: number[] } | null;
  /** Two nodes on one Redis: posters on one, these viewers on the other; loads as fractions of the baseline's capacity. */
  nodes: { viewers: number; levels: number[] } | null;
  /**
   * One node, a big audience at `level` of the baseline's capacity for it. Under 1 write/s reaches 20,000
   * viewers at that capacity, so its phases are long enough to hold several writes each.
   */
  crowd: { viewers: number; ioViewers: number; level: number; phaseMs: number; rampPhaseMs: number } | null;
  coalescing: { windowMs: number; viewers: number; levels: number[] };
  /** `baseline`: also time the bare server's join (the floor without a snapshot). */
  join: { seedPosts: number; viewers: number; baseline: boolean };
  /** `inFanout`: run as the last phase of the app fan-out session instead of a session of its own (saves a start). */
  /** `load`: writes as a fraction of the baseline's capacity for the fan-out audience of the same size (or the first). */
  catchUp: { viewers: number; ioViewers: number; load: number; fraction: number; periodMs: number; offMs: number; cycles: number; inFanout: boolean };
  memory: { connections: number } | null;
  quietMs: number;
  /** Re-run a phase once when other processes took more than `limit` of a core; at most `retries` per run. */
  noise: { limit: number; retries: number };
}

export const FULL: Plan = {
  mode: 'full',
  fanout: {
    sizes: [
      { viewers: 2_000, ioViewers: 30 },
      { viewers: 5_000, ioViewers: 30 },
    ],
    posters: 30,
    phaseMs: 3_000,
    rampPhaseMs: 2_000,
    warmupMs: 1_500,
    reps: 3,
    reactionsPerPost: 10,
    levels: [0.25, 0.5, 0.75, 1],
    saturation: 3,
    bigBodyBytes: 3_000,
    rampStartDeliveries: 8_000,
    rampFactor: 1.3,
    rampSteps: 10,
  },
  redis: { viewers: 2_000, levels: [0.25, 0.5, 0.75, 1, 2] },
  nodes: { viewers: 2_000, levels: [0.25, 0.5, 1] },
  crowd: { viewers: 20_000, ioViewers: 30, level: 0.5, phaseMs: 15_000, rampPhaseMs: 6_000 },
  coalescing: { windowMs: 20, viewers: 2_000, levels: [1, 2, 3, 4, 5, 6, 7, 8] },
  join: { seedPosts: 5_000, viewers: 500, baseline: true },
  catchUp: { viewers: 2_000, ioViewers: 30, load: 0.5, fraction: 0.2, periodMs: 15_000, offMs: 2_000, cycles: 4, inFanout: false },
  memory: { connections: 10_000 },
  quietMs: 5_000,
  noise: { limit: 0.3, retries: 16 },
};

export const QUICK: Plan = {
  mode: 'quick',
  fanout: {
    sizes: [{ viewers: 300, ioViewers: 20 }],
    posters: 5,
    phaseMs: 800,
    rampPhaseMs: 700,
    warmupMs: 0,
    reps: 1,
    reactionsPerPost: 10,
    levels: [0.25, 0.5, 0.75, 1],
    saturation: 2,
    bigBodyBytes: 3_000,
    rampStartDeliveries: 3_000,
    rampFactor: 2.5,
    rampSteps: 3,
  },
  redis: { viewers: 300, levels: [0.5] },
  nodes: { viewers: 300, levels: [0.5] },
  crowd: null,
  coalescing: { windowMs: 20, viewers: 300, levels: [2] },
  join: { seedPosts: 500, viewers: 50, baseline: false },
  catchUp: { viewers: 300, ioViewers: 20, load: 0.5, fraction: 0.2, periodMs: 2_000, offMs: 800, cycles: 2, inFanout: true },
  memory: null,
  quietMs: 0,
  noise: { limit: 1, retries: 0 },
};
