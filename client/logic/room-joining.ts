import type { Ref } from 'vue';
import type { Joined } from '../../shared/events.js';
import { RequestError, whenConnected, type AppSocket, type Requester } from '../socket.js';
import { roleToJoinAs } from '../storage.js';
import type { useSessionStore } from '../stores/session.js';
import type { RoomLog } from './room-log.js';
import type { Writer } from './writer.js';

/** failed: no room to show (it does not exist, I am banned, or the server refused): joinError says why. */
export type RoomPhase = 'idle' | 'joining' | 'failed' | 'joined';
type Role = 'participant' | 'viewer';

export interface JoiningDeps {
  socket: AppSocket;
  request: Requester;
  session: ReturnType<typeof useSessionStore>;
  log: RoomLog;
  writer: Writer;
  roomId: Ref<string | null>;
  phase: Ref<RoomPhase>;
  /** Why joining failed, for the join form. */
  joinError: Ref<RequestError | null>;
  /** Joined on the current connection and caught up: writes may go out. */
  ready: Ref<boolean>;
}

/**
 * Getting into the open room and staying in it: the first join, re-joins after a reconnect (from the
 * last seq applied), a fresh start when the room's history was lost, and watching while banned.
 */
export function createRoomJoining(deps: JoiningDeps) {
  const { socket, request, session, log, writer, roomId, phase, joinError, ready } = deps;

  /**
   * Banned, this page keeps following the room as a nameless viewer (a fresh identity that is never
   * remembered: anyone with the link may watch), so an unban is seen the moment it happens and the
   * page takes me back in with my own identity.
   */
  let banWatch = false;
  async function watchWhileBanned(): Promise<void> {
    const id = roomId.value;
    if (!id || banWatch) return;
    banWatch = true;
    try {
      if (!socket.connected) socket.connect();
      await whenConnected(socket);
      const watching = await request('room:join', { roomId: id, role: 'viewer' });
      if (roomId.value !== id) return;
      log.forget();
      log.catchUp(watching.start);
      log.publish();
    } catch (error) {
      banWatch = false;
      console.warn('Could not follow the room after the ban; a reload will try again', error);
    }
  }
  log.onApplied((events) => {
    if (banWatch && events.some((e) => e.type === 'member.unbanned' && (!session.me || e.memberId === session.me.id))) comeBack();
  });

  function comeBack(): void {
    const id = roomId.value;
    if (!id) return;
    banWatch = false;
    void join(session.memory(id)?.role ?? 'participant', undefined, true).catch(() => undefined);
  }

  /** The seq to resume from when this page already holds the room (a reconnect), so the join answers only what was missed. */
  function resumeFrom(id: string, fresh: boolean): number | undefined {
    return !fresh && log.current()?.room.id === id ? (log.seq() ?? undefined) : undefined;
  }

  function adopt(id: string, joined: Joined, role: Role, resumedFrom: number | undefined): Promise<void> {
    session.adopt(id, joined, role);
    const before = log.seq() === null ? null : { epoch: log.epoch(), seq: log.seq()! };
    // Without a seq to resume from (first join, or my role changed and the snapshot holds what I may now read), start over.
    if (resumedFrom === undefined) log.forget();
    if (!log.catchUp(joined.start)) {
      // The events I missed, but of another history than mine: only a fresh snapshot will do.
      log.forget();
      log.setHistoryLost(true);
      return join(role, undefined, true);
    }
    if (before && log.seq() !== null && (log.isOtherHistory(before.epoch) || log.seq()! < before.seq)) log.setHistoryLost(true);
    // Before anything is pruned against the new snapshot.
    if (log.historyLost()) writer.historyLost();
    phase.value = 'joined';
    joinError.value = null;
    log.replayEarly();
    log.publish();
    const recovering = log.historyLost();
    return (log.hasGap() ? log.sync() : Promise.resolve()).then(() => {
      ready.value = true;
      if (!recovering) return void writer.resend();
      log.setHistoryLost(false);
      void writer.recover().catch((error) => console.warn('could not check my posts after the room lost history', error));
    });
  }

  let startingOver: Promise<void> | null = null;
  /** The room's history was lost: take a fresh snapshot (no `since`), then send again what of mine it lacks. */
  function startOver(): void {
    log.setHistoryLost(true);
    if (startingOver || !roomId.value) return;
    ready.value = false;
    startingOver = rejoin(0, true).finally(() => (startingOver = null));
  }

  let joining: Promise<void> = Promise.resolve();
  /**
   * Join (or re-join) the open room. Throws RequestError, e.g. NAME_TAKEN, for the form to show.
   * One join at a time: taking part while the first (watching) join is still in flight must use the
   * token that join brings, or the two would race and the later answer would win.
   */
  function join(role: Role, name?: string, fresh = false): Promise<void> {
    if (roomId.value) phase.value = 'joining';
    const next = joining.catch(() => undefined).then(() => joinNow(role, name, fresh));
    joining = next;
    return next;
  }

  async function joinNow(role: Role, name: string | undefined, fresh: boolean): Promise<void> {
    const id = roomId.value;
    if (!id) return;
    phase.value = 'joining';
    joinError.value = null;
    try {
      await whenConnected(socket);
      const token = session.memory(id)?.token;
      const since = resumeFrom(id, fresh);
      const joined = await request('room:join', { roomId: id, role, ...(name ? { name } : {}), ...(token ? { token } : {}), ...(since !== undefined ? { since } : {}) });
      if (roomId.value === id) await adopt(id, joined, role, since);
    } catch (error) {
      joinError.value = error instanceof RequestError ? error : new RequestError('INTERNAL', String(error));
      // Refused as someone banned here: keep watching, to hear of an unban.
      if (joinError.value.code === 'FORBIDDEN') {
        phase.value = 'failed';
        void watchWhileBanned();
      } else phase.value = log.current() ? 'joined' : 'failed';
      throw joinError.value;
    }
  }

  /** Join again and take a fresh snapshot (session:refresh after a promotion or demotion; names shown again), without a reload. */
  function refresh(): Promise<void> {
    return join(roleToJoinAs(session.me), undefined, true);
  }

  async function rejoin(attempt = 0, fresh = false): Promise<void> {
    try {
      await join(roleToJoinAs(session.me), undefined, fresh);
    } catch (error) {
      if (error instanceof RequestError && error.retryable && socket.connected && attempt < 5) {
        setTimeout(() => void rejoin(attempt + 1, fresh), 500 * 2 ** attempt);
      }
    }
  }

  return {
    join, refresh, rejoin, startOver, watchWhileBanned,
    /** Following the room as a nameless viewer while banned: live frames apply then too. */
    watching: () => banWatch,
    /** The connection went, or the room was left: no watch survives it. */
    stopWatching: () => void (banWatch = false),
  };
}
