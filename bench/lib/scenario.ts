import type { Plan } from '../plans.js';
import type { RunResults } from '../report/types.js';
import type { Generators } from './generators.js';

/** What every bench scenario is handed by bench/run.ts. */
export interface ScenarioContext {
  plan: Plan;
  gen: Generators;
  results: RunResults;
  log: (line: string) => void;
  /** Delivery below 100 % or any duplicate fails the run (recorded in results.failures). */
  check: (what: string, delivery: { viewers: number; perfect: number; duplicates: number; missing: number; examples: string[] }) => void;
  /** The baseline's capacity (writes/s) for this audience, from this run's fan-out or the last full run's. */
  capacityAt: (viewers: number) => number;
  /** Re-runs of noisy phases left for the whole run (plan.noise.retries at the start), shared by every scenario. */
  noiseBudget: { left: number };
  /** Whether `--only=` asked for this scenario (or nothing was asked): lets one scenario fold another's work in. */
  runs: (name: string) => boolean;
}

/** One row of bench/run.ts's table: `--only=<name>` runs just it. A scenario writes its own figures into `results`. */
export interface Scenario {
  name: string;
  run: (ctx: ScenarioContext) => Promise<void>;
}
