import type { runCatchUp } from '../scenarios/catchup.js';
import type { SessionResult } from '../scenarios/fanout.js';
import type { runJoin } from '../scenarios/join.js';
import type { runMemory } from '../scenarios/memory.js';
import type { Distribution } from '../lib/stats.js';
import type { IdleHeap } from '../lib/idle-heap.js';

export interface FanoutSize {
  viewers: number;
  ioViewers: number;
  /** From the ramp at the start of the first baseline session (its phases are labelled ramp-<writes/s>). */
  capacity: { writesPerSec: number; deliveriesPerSec: number };
  loads: { label: string; writesPerSec: number; bodyBytes?: number; reactionsPerPost?: number }[];
  sessions: (SessionResult & { rep: number; kind: 'app' | 'baseline' })[];
}

/** bench/scenarios/history.ts: start, memory and joins against the log's length and the rooms ever opened. */
export interface HistoryResult {
  /** A server on an empty data directory: the floor for the others. */
  empty: StartFigures;
  logs: {
    events: number;
    rooms: number;
    logMb: number;
    /** No checkpoint yet: the whole log replayed. */
    firstOpen: StartFigures;
    /** After a clean stop (a checkpoint): what a deploy's restart costs. */
    restart: StartFigures;
    /** The first join into a room read back from the checkpoint. */
    coldJoinMs: number;
  }[];
  /** The same rooms opened and left, with eviction off (0) and on. */
  idleRooms: {
    rooms: number;
    evictMs: number;
    openMs: number;
    rssBeforeMb: number;
    rssAfterMb: number;
    kbPerRoom: number;
    /** RSS per room of a restart holding them all (on-run only), over an empty start. */
    restartKbPerRoom: number | null;
  }[];
  /** The same in one process with the app, by the heap in use after full collections (RSS keeps what V8 grew into). */
  idleHeap: IdleHeap[];
  bigRoom: { posts: number; coldJoinMs: number; afterWrite: Distribution; noWrite: Distribution; snapshotBytes: number } | null;
}

export interface StartFigures {
  wallMs: number;
  /** What the store said opening took (it says so only for a sizeable log). */
  storeMs: number;
  rssMb: number;
}

export interface Revision {
  head: string;
  uncommitted: string[];
}

/** Everything one run measured; latest.json is this plus the summary. */
export interface RunResults {
  meta: {
    mode: 'quick' | 'full';
    startedAt: string;
    durationS: number;
    node: string;
    cpus: number;
    pinning: string;
    loadAverageAtStart: number[];
    /** The commit measured and the server/shared files that differed from it, at start and at end. */
    revisionAtStart?: Revision;
    revisionAtEnd?: Revision | null;
  };
  fanout: FanoutSize[];
  redis: (SessionResult & { skipped?: string }) | { skipped: string } | null;
  coalescing: (SessionResult & { windowMs: number; capacityWps: number }) | null;
  join: Awaited<ReturnType<typeof runJoin>>[];
  catchUp: Awaited<ReturnType<typeof runCatchUp>> | null;
  memory: Awaited<ReturnType<typeof runMemory>>[];
  history?: HistoryResult | null;
  /** Correctness failures (delivery below 100 %, duplicates) and aborted scenarios: any makes the run fail. */
  failures: string[];
}
