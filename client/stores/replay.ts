import { defineStore } from 'pinia';
import { computed, markRaw, reactive, ref, shallowRef, watch } from 'vue';
import { redactEvent, type Audience } from '../../shared/redact.js';
import { isModerator } from '../../shared/permissions.js';
import type { RoomEvent } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import { ReplayLog } from '../logic/replay-log.js';
import { momentFromParam, momentsOf } from '../logic/replay-moments.js';
import { requester, useSocket } from '../socket.js';
import { createPlayback, SPEEDS, type Speed } from '../logic/replay-playback.js';
import { useRoomStore } from './room.js';
import { useSessionStore } from './session.js';
import { sentenceOf } from '../logic/refusal.js';

export { SPEEDS, type Speed };

/** Events after which the public's copy of older events may read differently (see shared/redact.ts). */
const REDACTS = new Set<RoomEvent['type']>(['post.removed', 'post.deleted', 'post.edited', 'post.restored', 'member.banned', 'room.settings']);

/**
 * The debate as a record: its log, loaded page by page with `room:history` when first asked for and kept
 * up with as the room goes on, and the room as it stood at any moment of it (the same reducer over the
 * same log, from checkpoints). While `active`, the page shows that moment instead of the live room.
 */
export const useReplayStore = defineStore('replay', () => {
  const room = useRoomStore();
  const session = useSessionStore();
  const request = requester(useSocket());

  const log = markRaw(new ReplayLog());
  /** Bumped whenever the log changes, for what is computed from it. */
  const version = ref(0);
  const status = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const error = ref('');
  /** Loading: how far, out of how many. */
  const progress = ref({ loaded: 0, of: 0 });
  const active = ref(false);
  const cursor = ref(0);
  /** The room at `cursor`, reactive so playing forward updates the page in place. */
  const view = shallowRef<RoomState | null>(null);
  let audience: Audience = 'public';
  /** Live events that came before the history reached them. */
  let early: RoomEvent[] = [];
  let loading: Promise<void> | null = null;
  /** Bumped on leaving a room, so a load still running for it lands nowhere. */
  let generation = 0;

  const latest = computed(() => (void version.value, log.last));
  const moments = computed(() => (void version.value, momentsOf(log.all)));
  const atEvent = computed(() => (void version.value, log.event(cursor.value) ?? null));
  const audienceNow = (): Audience => (session.me && isModerator(session.me) ? 'moderators' : 'public');

  /** Loads the history up to the room's latest seq (once; again after a gap). */
  function load(): Promise<void> {
    loading ??= (async () => {
      const mine = generation;
      status.value = 'loading';
      error.value = '';
      audience = audienceNow();
      try {
        for (;;) {
          const page = await request('room:history', { from: log.last });
          if (mine !== generation) return;
          log.append(page.events);
          progress.value = { loaded: log.last, of: page.seq };
          if (!page.events.length || log.last >= page.seq) break;
        }
        const held = early.sort((a, b) => a.seq - b.seq);
        early = [];
        take(held);
        status.value = 'ready';
        prepareInBackground(mine);
      } catch (cause) {
        if (mine !== generation) return;
        status.value = 'error';
        error.value = sentenceOf(cause, 'The record could not be loaded; try again.');
      }
    })().finally(() => (loading = null));
    return loading;
  }

  /** Checkpoints for the whole log, a slice per task, so the first seek anywhere is as quick as the rest. */
  function prepareInBackground(mine: number): void {
    const step = () => mine === generation && !log.prepare(4_000) && setTimeout(step, 0);
    setTimeout(step, 0);
  }

  /** Live events, as the room applied them. */
  function take(events: RoomEvent[]): void {
    if (!events.length) return;
    if (status.value === 'idle') return;
    if (status.value !== 'ready') {
      early.push(...events);
      return;
    }
    if (!log.append(events)) {
      early.push(...events);
      void load();
      return;
    }
    if (audience === 'public' && events.some((event) => REDACTS.has(event.type))) redactAgain();
    version.value++;
  }

  /** The public's copy of the log, made to read as the server now serves it: the rule, against the room now. */
  function redactAgain(): void {
    const now = log.stateAt(log.last);
    if (!now) return;
    log.rewrite((event) => redactEvent(event, now, 'public'));
    if (active.value) view.value = reactive(log.stateAt(cursor.value)!) as RoomState;
  }

  const playback = createPlayback({
    log,
    cursor,
    moveTo: (seq) => moveTo(seq),
  });

  /** Shows the room as it stood right after `seq`: in place when it is a short step forward, else afresh from a checkpoint. */
  function moveTo(seq: number): void {
    const to = Math.max(1, Math.min(seq, log.last));
    const current = view.value;
    if (current && to >= current.seq && to - current.seq <= log.spacing) log.advance(current, to);
    else view.value = reactive(log.stateAt(to)!) as RoomState;
    cursor.value = to;
  }

  /** Opens the record (loading it the first time) at `seq`, or at the latest event. */
  async function open(seq?: number): Promise<void> {
    if (status.value !== 'ready') await load();
    if (status.value !== 'ready') return;
    active.value = true;
    seek(seq ?? log.last);
  }

  /** Opens the record at a permalink's moment (`?at=` a seq or a time). */
  async function openAt(param: string): Promise<void> {
    if (status.value !== 'ready') await load();
    const seq = momentFromParam(param, log.all);
    if (seq !== null) await open(Math.max(1, seq));
  }

  function seek(seq: number): void {
    playback.pause();
    moveTo(seq);
    rememberMoment(cursor.value);
  }

  function live(): void {
    playback.pause();
    active.value = false;
    view.value = null;
    rememberMoment(null);
  }

  /** The moment in the address bar (?at=seq), so the page can be shared or reloaded as it is; once scrubbing rests. */
  let remembering: ReturnType<typeof setTimeout> | null = null;
  function rememberMoment(seq: number | null): void {
    if (typeof window === 'undefined') return;
    if (remembering) clearTimeout(remembering);
    remembering = null;
    if (seq === null) writeMoment(null);
    else remembering = setTimeout(() => writeMoment(seq), 250);
  }

  function writeMoment(seq: number | null): void {
    const url = new URL(window.location.href);
    if (seq === null) url.searchParams.delete('at');
    else url.searchParams.set('at', String(seq));
    if (url.href !== window.location.href) history.replaceState(history.state, '', url);
  }

  function reset(): void {
    generation++;
    if (remembering) clearTimeout(remembering);
    playback.pause();
    log.clear();
    early = [];
    loading = null;
    status.value = 'idle';
    error.value = '';
    active.value = false;
    view.value = null;
    cursor.value = 0;
    progress.value = { loaded: 0, of: 0 };
    version.value++;
  }

  room.onApplied(take);
  watch(() => room.roomId, reset);
  // A promotion or demotion changes what I may read: the record is loaded again for the new audience.
  watch(audienceNow, (next) => {
    if (status.value === 'idle' || next === audience) return;
    const wasActive = active.value;
    const at = cursor.value;
    reset();
    if (wasActive) void open(at);
  });

  return {
    status, error, progress, active, cursor, view, latest, moments, atEvent,
    playing: playback.playing,
    speed: playback.speed,
    load, open, openAt, seek, live,
    play: () => {
      active.value = true;
      playback.play();
    },
    pause: () => {
      playback.pause();
      rememberMoment(cursor.value);
    },
    setSpeed: (speed: Speed) => (playback.speed.value = speed),
    enteredAt: (postId: string) => log.enteredAt(postId),
    /** The address of the room as it stood at `seq`. */
    linkTo: (seq: number) => {
      const url = new URL(window.location.href);
      url.searchParams.set('at', String(seq));
      return url.href;
    },
    eventAt: (seq: number) => (void version.value, log.event(seq)),
  };
});
