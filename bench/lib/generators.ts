import type { PosterCommands } from '../workers/posters.js';
import type { ViewerCommands } from '../workers/viewers.js';
import { WorkerProcess } from './workers.js';

export type Posters = WorkerProcess<PosterCommands>;
export type Viewers = WorkerProcess<ViewerCommands>;

/** The two generator processes, started once and reused by every scenario (tsx start-up costs a second). */
export interface Generators {
  posters: Posters;
  viewers: Viewers;
  /** CPU ticks of both, to tell a saturated server from a saturated generator. */
  cpuTicks(): number;
  stop(): void;
}

export function startGenerators(): Generators {
  const posters = WorkerProcess.start<PosterCommands>('posters', 'bench/workers/posters.ts');
  const viewers = WorkerProcess.start<ViewerCommands>('viewers', 'bench/workers/viewers.ts');
  return {
    posters,
    viewers,
    cpuTicks: () => posters.cpuTicks() + viewers.cpuTicks(),
    stop() {
      posters.stop();
      viewers.stop();
    },
  };
}
