import { effectScope, ref, shallowRef, toRaw, watch, type Ref, type ShallowRef } from 'vue';
import { limits } from '../../../shared/limits.js';
import { LogFollower } from '../../../shared/log-follower.js';
import type { RoomEvent } from '../../../shared/room-events.js';
import { foldEvents, type RoomState } from '../../../shared/room-state.js';
import { decodeEvents } from '../../../shared/snapshot-codec.js';
import { backfillTimeline, createShape, missesPosts, recountShape, trackEvents, type DebateShape, type ShapePart } from '../../logic/debate-shape.js';
import { requester, useSocket } from '../../socket.js';
import { useRoomStore } from '../../stores/room.js';

/** The charts redraw at most this often, however fast the room goes. */
export const FLUSH_MS = 250;

export interface ShapeSource {
  shape: ShallowRef<DebateShape>;
  /** The state the shape counts: the whole room's when its log was read, else this page's (its loaded threads). */
  state: () => RoomState | null;
  /** 'log': the whole room, from its log; 'page': the threads this page holds. */
  coverage: Ref<'log' | 'page'>;
  /** Moves on each redraw; `changed` says which parts moved with it. */
  tick: Ref<number>;
  changed: () => ReadonlySet<ShapePart>;
}

let current: { roomId: string; source: ShapeSource } | null = null;

/**
 * The shape of the room on this page, kept from the first time the charts open until the page leaves the
 * room (so opening them again costs nothing and reads nothing). It follows the events the room store
 * applies. A room whose log still fits one catch-up (up to limits.syncMaxEvents events) is read once from
 * its first event, so the charts cover all of it, reactions' and phases' times included; a bigger one is
 * counted from the threads this page has loaded, its timeline from the moment the charts first opened.
 */
export function useShapeSource(): ShapeSource {
  const room = useRoomStore();
  if (current && current.roomId === room.roomId) return current.source;
  const roomId = room.roomId ?? '';
  const source = createSource(room);
  current = { roomId, source };
  return source;
}

function createSource(room: ReturnType<typeof useRoomStore>): ShapeSource {
  const scope = effectScope(true);
  const pageState = () => (room.state ? (toRaw(room.state) as RoomState) : null);
  /** In 'log' coverage: the room folded from its first event, kept by this follower. */
  let whole: LogFollower | null = null;
  const shape = shallowRef(createShape(pageState()));
  const coverage = ref<'log' | 'page'>('page');
  const tick = ref(0);
  let changed: ReadonlySet<ShapePart> = new Set();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastFlush = 0;
  /** Events applied while the log was being read, to be folded on top of it. */
  let reading: RoomEvent[] | null = null;

  function flush(): void {
    timer = null;
    lastFlush = performance.now();
    changed = new Set(shape.value.changed);
    shape.value.changed.clear();
    if (changed.size) tick.value++;
  }
  function schedule(): void {
    timer ??= setTimeout(flush, Math.max(0, FLUSH_MS - (performance.now() - lastFlush)));
  }

  function countPage(): void {
    whole = null;
    coverage.value = 'page';
    const state = pageState();
    shape.value = state ? recountShape(shape.value, state) : createShape(null);
    schedule();
  }

  const stopListening = room.onApplied((events) => {
    reading?.push(...events);
    if (whole) {
      const seq = whole.seq;
      whole.receiveAll(events);
      if (whole.hasGap) return countPage();
      trackEvents(shape.value, events.filter((event) => event.seq > seq && event.seq <= whole!.seq), whole.state);
    } else {
      const state = pageState();
      if (state) trackEvents(shape.value, events, state);
    }
    schedule();
  });

  async function readLog(): Promise<void> {
    const state = pageState();
    if (!state || state.seq > limits.syncMaxEvents || reading) return;
    reading = [];
    try {
      const answer = await requester(useSocket())('room:sync', { since: 0 });
      if (answer.kind !== 'events') return;
      const log = decodeEvents(answer.encoded);
      if (log[0]?.type !== 'room.opened' || log[0].seq !== 1) return;
      const follower = new LogFollower(foldEvents(log)!);
      const last = follower.seq;
      follower.receiveAll(reading);
      if (follower.hasGap || follower.seq < (pageState()?.seq ?? 0)) {
        backfillTimeline(shape.value, log);
        return;
      }
      const fresh = createShape(null);
      trackEvents(fresh, [...log, ...reading.filter((event) => event.seq > last && event.seq <= follower.seq).sort((a, b) => a.seq - b.seq)], follower.state);
      whole = follower;
      shape.value = fresh;
      coverage.value = 'log';
      // Drawn at once: the coverage line and the charts must never disagree about what they count.
      if (timer) clearTimeout(timer);
      flush();
    } catch (error) {
      // The charts still show what this page holds; opening them again later does not retry.
      console.warn('Could not read the room’s log for the charts; they show what this page holds', error);
    } finally {
      reading = null;
      schedule();
    }
  }

  scope.run(() => {
    // A fresh snapshot (after a long time away) replaces what this page held: count it again, and read the log again.
    watch(() => room.state, () => (countPage(), void readLog()));
    // Older threads paged in arrive without events.
    watch(() => room.state?.postOrder.length, () => {
      const state = pageState();
      if (!whole && state && missesPosts(shape.value, state)) countPage();
    });
    watch(() => room.roomId, () => {
      stopListening();
      if (timer) clearTimeout(timer);
      scope.stop();
      current = null;
    });
  });
  void readLog();
  schedule();

  return { shape, state: () => whole?.state ?? pageState(), coverage, tick, changed: () => changed };
}
