import { isReactive, reactive, shallowRef } from 'vue';
import type { CatchUp, Epoch } from '../../shared/events.js';
import { LogFollower } from '../../shared/log-follower.js';
import type { RoomEvent } from '../../shared/room-events.js';
import type { ThreadPage } from '../../shared/post-window.js';
import type { RoomState } from '../../shared/room-state.js';
import { audienceFor, redactApplied } from '../../shared/redact-applied.js';
import { decodeEvents, decodeSnapshot } from '../../shared/snapshot-codec.js';
import type { Requester } from '../socket.js';

export type AppliedListener = (events: RoomEvent[]) => void;

/**
 * How long a gap may stay open before we ask `room:sync` to fill it. With several nodes each broadcasting
 * on its own schedule, an event often arrives a few ms after the one behind it; asking at once cost a
 * sync for one event in ten or twenty with three nodes.
 */
const GAP_WAIT_MS = 250;
/** Waits before asking again after a failed catch-up. */
const SYNC_RETRY_MS = [1_000, 2_000, 5_000, 10_000];

export interface RoomLogDeps {
  request: Requester;
  /** A room is open on this page: frames for none are dropped. */
  open: () => boolean;
  /** Live frames apply now; otherwise they wait for the join's snapshot (see `replayEarly`). */
  accepting: () => boolean;
  /** The room's history was lost under this page: only a fresh join will do (room-joining.ts). */
  startOver: () => void;
  /** A catch-up brought a snapshot, and whether older threads remain to page in. */
  snapshotTaken: (snapshot: RoomState, more: boolean) => void;
  /** Who reads this copy (my member id): what the events applied make unreadable for me goes from it. */
  reader: () => string | null;
  /** Redaction could not be done in place (names shown again): a fresh snapshot is needed. */
  refetch: () => void;
}

/**
 * The one way in: this page's copy of the room, the fold of its log through the shared reducer (via
 * LogFollower), kept live from 'room:events' and caught up with 'room:sync' after gaps. What the
 * follower applied, and only that, is redacted for me and goes to every listener (`onApplied`), in seq order.
 */
export function createRoomLog(deps: RoomLogDeps) {
  // The follower mutates its state in place; handing it a reactive() copy makes those mutations
  // fine-grained Vue updates. `state` only changes identity on a fresh snapshot.
  let follower: LogFollower | null = null;
  const state = shallowRef<RoomState | null>(null);
  /** Frames that arrived while a join was in flight, applied once the snapshot is in. */
  let early: { events: RoomEvent[]; epoch?: Epoch }[] = [];
  /** The room's history was lost (a new epoch, or its seq went backwards): my posts it lacks go out again. */
  let historyLost = false;
  let gapTimer: ReturnType<typeof setTimeout> | null = null;
  let syncing: Promise<void> | null = null;
  let syncFailures = 0;
  const listeners = new Set<AppliedListener>();
  const publishedListeners = new Set<() => void>();

  function announce(events: RoomEvent[]): void {
    if (!events.length || !follower) return;
    // What the events just applied made unreadable for me goes from my copy too (see redact-applied.ts),
    // before anyone hears of them: my state stays what a joiner is served now.
    const { refetch } = redactApplied(follower.state, events, audienceFor(follower.state, deps.reader()));
    if (refetch) deps.refetch();
    for (const listener of [...listeners]) listener(events);
  }

  function publish(): void {
    if (!follower) return;
    if (!isReactive(follower.state)) follower.state = reactive(follower.state) as RoomState;
    state.value = follower.state;
    for (const listener of [...publishedListeners]) listener();
  }

  function receive(events: RoomEvent[], epoch?: Epoch): void {
    if (!deps.open()) return;
    if (!follower || !deps.accepting()) {
      early.push({ events, epoch });
      return;
    }
    if (follower.isOtherHistory(epoch)) return deps.startOver();
    if (events.length === 0) return;
    const applied = follower.receiveAll(events);
    const gap = follower.hasGap;
    publish();
    announce(applied);
    if (gap) awaitGap();
  }

  /** The frames held while joining, now that the snapshot is in. */
  function replayEarly(): void {
    const held = early;
    early = [];
    for (const frame of held) receive(frame.events, frame.epoch);
  }

  /** Gives a missing event GAP_WAIT_MS to arrive on its own before asking for it. */
  function awaitGap(): void {
    const missing = follower?.missing;
    if (gapTimer || !missing) return;
    gapTimer = setTimeout(() => {
      gapTimer = null;
      if (!follower?.hasGap) return;
      if (follower.seq < missing) void sync();
      else awaitGap(); // That one came; a later one is missing now.
    }, GAP_WAIT_MS);
  }

  /**
   * Applies a catch-up answer: the missed events in order, or a snapshot in place of what this page held.
   * False when the answer is events of another history than this page's, which only a fresh snapshot can replace.
   */
  function catchUp(start: CatchUp): boolean {
    const otherHistory = !!follower?.isOtherHistory(start.epoch);
    if (start.kind === 'events') {
      if (!follower || otherHistory) return false;
      announce(follower.receiveAll(decodeEvents(start.encoded)));
      return true;
    }
    const { snapshot, more } = decodeSnapshot(start.encoded);
    const fresh = reactive(snapshot) as RoomState;
    // A snapshot behind what this page has seen: the log lost events the server did not notice losing.
    if (otherHistory || (follower && snapshot.seq < follower.seq)) historyLost = true;
    if (follower && !historyLost && follower.epoch === start.epoch) follower.reset(fresh);
    else follower = new LogFollower(fresh, start.epoch);
    deps.snapshotTaken(fresh, more);
    return true;
  }

  /** Ask for everything after the last applied seq; single-flight, repeats while a gap remains. */
  function sync(): Promise<void> {
    syncing ??= (async () => {
      for (let round = 0; round < 5 && follower; round++) {
        if (!catchUp(await deps.request('room:sync', { since: follower.seq })) || historyLost) return deps.startOver();
        publish();
        if (!follower.hasGap) break;
      }
    })()
      .then(() => {
        syncFailures = 0;
      })
      .catch((error) => {
        // Refused (rate limited, or the store is away): try again after a while, since no later event may
        // come to reveal what is still missing.
        console.warn('room:sync failed; trying again shortly', error);
        const wait = SYNC_RETRY_MS[Math.min(syncFailures++, SYNC_RETRY_MS.length - 1)];
        setTimeout(() => follower && deps.open() && void sync(), wait);
      })
      .finally(() => (syncing = null));
    return syncing;
  }

  /**
   * A page of posts (room:posts) into this copy, through the follower: one cut from a later state than this
   * copy waits for the events up to it (asked for, should they not come by broadcast soon).
   */
  function mergePage(page: ThreadPage): void {
    if (!follower || follower.mergePage(page.posts, page.seq)) return;
    const waitingFor = follower;
    setTimeout(() => {
      if (follower === waitingFor && deps.open() && page.seq !== undefined && follower.seq < page.seq) void sync();
    }, GAP_WAIT_MS);
  }

  function reset(): void {
    follower = null;
    state.value = null;
    early = [];
    historyLost = false;
    if (gapTimer) clearTimeout(gapTimer);
    gapTimer = null;
  }

  return {
    state,
    /** The follower's state as it is now (published or not yet): what merges and redaction act on. */
    current: (): RoomState | null => follower?.state ?? null,
    seq: (): number | null => follower?.seq ?? null,
    epoch: (): Epoch | undefined => follower?.epoch,
    hasGap: (): boolean => !!follower?.hasGap,
    isOtherHistory: (epoch: Epoch | undefined): boolean => !!follower?.isOtherHistory(epoch),
    /** Drop this page's copy: the next catch-up must be a snapshot. */
    forget: (): void => void (follower = null),
    historyLost: (): boolean => historyLost,
    setHistoryLost: (lost: boolean): void => void (historyLost = lost),
    onApplied(listener: AppliedListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** After every batch applied and every snapshot, once the state is published. */
    onPublished(listener: () => void): void {
      publishedListeners.add(listener);
    },
    receive, replayEarly, catchUp, sync, publish, mergePage, reset,
  };
}

export type RoomLog = ReturnType<typeof createRoomLog>;
