import type { runCatchUp } from '../scenarios/catchup.js';
import type { SessionResult } from '../scenarios/fanout.js';
import type { runJoin } from '../scenarios/join.js';
import type { runMemory } from '../scenarios/memory.js';
import type { Phase } from '../scenarios/session.js';
import type { Distribution } from '../lib/stats.js';

/** One audience size of a fan-out profile (e.g. the Redis store, with or without coalescing): one session. */
export interface FanoutProfile {
  /** The scenario's name: redis, redis-coalesce. */
  name: string;
  viewers: number;
  /** COALESCE_MS of the server (0: none). */
  coalesceMs: number;
  /** The baseline's capacity (writes/s) the loads are multiples of. */
  capacityWps: number;
  /** The baseline's deliveries/s at saturation, from this run (its fan-out, or a session the profile ran itself). */
  baselineSatDeliveriesPerSec: number;
  session: SessionResult;
}

/** Many writers, one room: how many writes one room takes, acknowledged, per store. */
export interface RoomWrites {
  writers: number;
  viewers: number;
  servers: {
    server: string;
    phases: (Phase & {
      /** Writes acknowledged (stored) per second, from the first send to the last viewer's receipt. */
      ackedWritesPerSec: number;
      acked: number;
      ack: Distribution;
    })[];
    delivery: SessionResult['delivery'];
  }[];
}
import type { NodesResult } from '../scenarios/nodes.js';
import type { CrowdResult } from '../scenarios/crowd.js';
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
  /** One node, 20,000 viewers (null: not run). */
  crowd?: CrowdResult | null;
  /** Two nodes on one Redis (null: not run). */
  nodes?: NodesResult | { skipped: string } | null;
  coalescing: (SessionResult & { windowMs: number; capacityWps: number }) | null;
  join: Awaited<ReturnType<typeof runJoin>>[];
  catchUp: Awaited<ReturnType<typeof runCatchUp>> | null;
  memory: Awaited<ReturnType<typeof runMemory>>[];
  /** Fan-out profiles at full size (bench/scenarios/redis-fanout.ts, redis-coalesce.ts). */
  profiles?: FanoutProfile[];
  roomWrites?: RoomWrites | null;
  history?: HistoryResult | null;
  /** Correctness failures (delivery below 100 %, duplicates) and aborted scenarios: any makes the run fail. */
  failures: string[];
}
