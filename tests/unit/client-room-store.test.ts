// The room store against a scripted socket: exact control over lost acks, lost events and gaps,
// which a real server cannot be made to produce on cue. The same paths run against the real server
// in client-live.test.ts.
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/ack.js';
import { eventsAnswer, joinAnswer } from '../helpers/snapshot.js';
import type { RoomEvent } from '../../shared/room-events.js';
import { applyEvent, type RoomState } from '../../shared/room-state.js';
import { setSocket, type AppSocket } from '../../client/socket.js';
import { storage } from '../../client/storage.js';
import { Refusal } from '../../client/logic/refusal.js';
import { useDebateStore } from '../../client/stores/debate.js';
import { useRoomStore } from '../../client/stores/room.js';
import { useSessionStore } from '../../client/stores/session.js';

type Reply = Ack<unknown> | 'timeout' | Promise<Ack<unknown> | 'timeout'>;
type Handler = (...args: any[]) => void;

/** Just enough of a Socket.IO client socket: handlers, acks answered by a script, connect/drop. */
class ScriptedSocket {
  connected = false;
  sent: { event: string; payload: any }[] = [];
  script: (event: string, payload: any) => Reply = () => ({ ok: false, error: { code: 'INTERNAL', message: 'unscripted' } });
  private handlers = new Map<string, Handler[]>();
  io = { on: () => this.io, engine: { close: () => this.drop() } };

  on(event: string, fn: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  once(event: string, fn: Handler) {
    const wrapper: Handler = (...args) => {
      this.handlers.set(event, (this.handlers.get(event) ?? []).filter((h) => h !== wrapper));
      fn(...args);
    };
    return this.on(event, wrapper);
  }
  timeout() {
    return {
      emitWithAck: async (event: string, payload: unknown) => {
        this.sent.push({ event, payload });
        const reply = await this.script(event, payload);
        if (reply === 'timeout') throw new Error('operation has timed out');
        return reply;
      },
    };
  }
  fire(event: string, ...args: unknown[]) {
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }
  connect() {
    this.connected = true;
    this.fire('connect');
  }
  drop() {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }
  count(event: string) {
    return this.sent.filter((s) => s.event === event).length;
  }
}

const ROOM = 'room-abcdef12';
const HOST = 'member-host';
const ME = 'member-me01';

/** A tiny authoritative log, folded with the shared reducer like the real server. */
function makeLog() {
  const events: RoomEvent[] = [];
  let state: RoomState | null = null;
  const append = (draft: any): RoomEvent => {
    const event = { ...draft, seq: events.length + 1, at: 1_700_000_000_000 + events.length } as RoomEvent;
    events.push(event);
    state = applyEvent(state, event);
    return event;
  };
  append({ type: 'room.opened', actorId: HOST, room: { id: ROOM, title: 'T', motion: 'M', hostId: HOST, createdAt: 1 } });
  append({ type: 'member.joined', actorId: HOST, name: 'Host', role: 'host' });
  append({ type: 'member.joined', actorId: ME, name: 'Me', role: 'participant' });
  const snapshot = () => structuredClone(state!);
  const since = (seq: number) => events.filter((e) => e.seq > seq);
  return { events, append, snapshot, since };
}

const until = async (check: () => boolean, what: string, ms = 3_000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('room store (scripted socket)', () => {
  let socket: ScriptedSocket;
  let log: ReturnType<typeof makeLog>;

  /** A server that answers join/sync/post:create from the log, optionally broadcasting. */
  function serve(opts: { broadcast?: boolean } = {}) {
    socket.script = (event, payload) => {
      if (event === 'room:join') {
        const answer = joinAnswer(log.snapshot(), { id: ME, role: 'participant', name: 'Me' });
        // A returning page says where it left off and is answered with just what it missed.
        if (payload.since !== undefined) answer.start = eventsAnswer(log.since(payload.since));
        return { ok: true, data: answer };
      }
      if (event === 'room:sync') return { ok: true, data: eventsAnswer(log.since(payload.since)) };
      if (event === 'post:create') {
        const existing = log.events.find((e) => e.type === 'post.created' && e.postId === payload.id);
        const event = existing ?? log.append({ type: 'post.created', actorId: ME, postId: payload.id, parentId: payload.parentId, body: payload.body });
        if (!existing && opts.broadcast !== false) queueMicrotask(() => socket.fire('room:events', [event]));
        return { ok: true, data: { seq: event.seq } };
      }
      return { ok: false, error: { code: 'INTERNAL', message: 'unscripted' } };
    };
  }

  async function joined() {
    const room = useRoomStore();
    room.open(ROOM);
    await room.join('participant', 'Me');
    return room;
  }

  beforeEach(() => {
    storage.clearMemory();
    socket = new ScriptedSocket();
    socket.connected = true;
    setSocket(socket as unknown as AppSocket);
    setActivePinia(createPinia());
    log = makeLog();
    serve();
  });
  afterEach(() => {
    useRoomStore().leave();
    setSocket(null);
  });

  it('folds the snapshot and live events with the shared reducer, ignoring duplicates', async () => {
    const room = await joined();
    expect(room.state?.seq).toBe(3);
    const a = log.append({ type: 'post.created', actorId: HOST, postId: 'post-aaaa1', parentId: null, body: 'first' });
    const b = log.append({ type: 'post.created', actorId: HOST, postId: 'post-bbbb1', parentId: 'post-aaaa1', body: 'reply' });
    socket.fire('room:events', [a, b]);
    socket.fire('room:events', [a]);
    expect(room.state?.postOrder).toEqual(['post-aaaa1', 'post-bbbb1']);
    expect(room.childIndex.get('post-aaaa1')?.map((i) => i.id)).toEqual(['post-bbbb1']);
    expect(socket.count('room:sync')).toBe(0);
    expect(useSessionStore().me?.id).toBe(ME);
  });

  it('on a gap, syncs from the last applied seq and applies everything in order', async () => {
    const room = await joined();
    const a = log.append({ type: 'post.created', actorId: HOST, postId: 'post-aaaa1', parentId: null, body: '1' });
    const b = log.append({ type: 'post.edited', actorId: HOST, postId: 'post-aaaa1', body: '1 (edited)' });
    const c = log.append({ type: 'reaction.added', actorId: HOST, postId: 'post-aaaa1', emoji: '🔥' });
    void a;
    void b;
    socket.fire('room:events', [c]); // a and b were lost on the way
    await until(() => room.state?.seq === c.seq, 'the gap to be filled');
    expect(socket.sent.find((s) => s.event === 'room:sync')?.payload).toEqual({ since: 3 });
    expect(room.state?.posts['post-aaaa1']).toMatchObject({ body: '1 (edited)', reactions: { '🔥': [HOST] } });
  });

  it('replaces the state when the server answers a sync with a snapshot', async () => {
    const room = await joined();
    log.append({ type: 'post.created', actorId: HOST, postId: 'post-aaaa1', parentId: null, body: '1' });
    const last = log.append({ type: 'post.created', actorId: HOST, postId: 'post-bbbb1', parentId: null, body: '2' });
    socket.script = () => ({ ok: true, data: joinAnswer(log.snapshot(), { id: ME, role: 'participant', name: 'Me' }).start });
    socket.fire('room:events', [last]);
    await until(() => room.state?.seq === last.seq, 'the snapshot');
    expect(room.state?.postOrder).toEqual(['post-aaaa1', 'post-bbbb1']);
  });

  it('shows my post at once as pending, then exactly once when its event arrives', async () => {
    const room = await joined();
    const pending = room.submitPost('hello', null);
    expect(room.pending.map((p) => p.id)).toEqual([pending.id]);
    expect(room.childIndex.get(null)?.map((i) => [i.id, i.status !== 'posted'])).toEqual([[pending.id, true]]);
    await until(() => room.pending.length === 0, 'the pending post to be confirmed');
    expect(room.state?.postOrder).toEqual([pending.id]);
    expect(room.childIndex.get(null)?.map((i) => [i.id, i.status !== 'posted'])).toEqual([[pending.id, false]]);
  });

  it('retries with the same id when an ack is lost; the post is stored and shown once', async () => {
    const room = await joined();
    let attempts = 0;
    let stored: RoomEvent | null = null;
    const real = socket.script;
    socket.script = (event, payload) => {
      if (event !== 'post:create') return real(event, payload);
      attempts++;
      // The first attempt is stored, but both its ack and its broadcast are lost on the way back.
      stored ??= log.append({ type: 'post.created', actorId: ME, postId: payload.id, parentId: null, body: payload.body });
      return attempts === 1 ? 'timeout' : { ok: true, data: { seq: stored.seq } };
    };
    const pending = room.submitPost('once only', null);
    await until(() => room.pending.length === 0, 'the retry and catch-up', 5_000);
    expect(attempts).toBe(2);
    const ids = socket.sent.filter((s) => s.event === 'post:create').map((s) => s.payload.id);
    expect(ids).toEqual([pending.id, pending.id]);
    expect(log.events.filter((e) => e.type === 'post.created')).toHaveLength(1);
    expect(room.state?.postOrder).toEqual([pending.id]);
  });

  it('drops the pending entry as soon as its event arrives, even before the ack', async () => {
    const room = await joined();
    let release!: () => void;
    const real = socket.script;
    socket.script = (event, payload) => {
      if (event !== 'post:create') return real(event, payload);
      const reply = real(event, payload);
      return new Promise((resolve) => (release = () => resolve(reply)));
    };
    room.submitPost('fast broadcast', null);
    await until(() => room.pending.length === 0, 'the broadcast');
    expect(room.state?.postOrder).toHaveLength(1);
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(room.state?.postOrder).toHaveLength(1);
    expect(room.childIndex.get(null)).toHaveLength(1);
  });

  it('asks for what it missed when an acknowledged post never arrives live', async () => {
    serve({ broadcast: false });
    const room = await joined();
    const pending = room.submitPost('lost broadcast', null);
    await until(() => room.pending.length === 0, 'the tail sync', 4_000);
    expect(socket.count('room:sync')).toBeGreaterThanOrEqual(1);
    expect(room.state?.postOrder).toEqual([pending.id]);
  });

  it('keeps a refused post as failed instead of retrying it', async () => {
    const room = await joined();
    socket.script = () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'You are muted.' } });
    room.submitPost('nope', null);
    await until(() => room.pending[0]?.status === 'failed', 'the failure');
    expect(room.pending[0].error).toBe('You are muted.');
    await new Promise((r) => setTimeout(r, 600));
    expect(socket.count('post:create')).toBe(1);
  });

  it('holds posts written while offline and sends them after re-joining and catching up', async () => {
    const room = await joined();
    socket.drop();
    expect(room.ready).toBe(false);
    const offline = room.submitPost('written offline', null);
    const missed = log.append({ type: 'post.created', actorId: HOST, postId: 'post-missed', parentId: null, body: 'while you were away' });
    await new Promise((r) => setTimeout(r, 50));
    expect(socket.count('post:create')).toBe(0);
    expect(room.pending.map((p) => p.status)).toEqual(['sending']);

    socket.connect();
    await until(() => room.pending.length === 0, 'the offline post to be sent');
    const order = socket.sent.map((s) => s.event);
    // Re-join with the token from the last seq applied, catch up with the answer, and only then write.
    expect(order.slice(-2)).toEqual(['room:join', 'post:create']);
    expect(socket.sent.at(-2)?.payload).toMatchObject({ roomId: ROOM, role: 'participant', token: expect.any(String), since: 3 });
    expect(room.state?.postOrder).toEqual([missed.type === 'post.created' ? missed.postId : '', offline.id]);
  });

  it('catches up when the event of an acknowledged reaction never arrives live (the tail check of every write)', async () => {
    const room = await joined();
    const real = socket.script;
    socket.script = (event, payload) => {
      if (event !== 'reaction:set') return real(event, payload);
      // Logged and acknowledged, but its broadcast is lost on the way.
      const added = log.append({ type: 'reaction.added', actorId: ME, postId: payload.postId, emoji: payload.emoji });
      return { ok: true, data: { seq: added.seq } };
    };
    log.append({ type: 'post.created', actorId: HOST, postId: 'post-aaaa1', parentId: null, body: 'first' });
    await room.sync();
    const before = socket.count('room:sync');
    await room.setReaction('post-aaaa1', '👍', true);
    await until(() => room.state?.posts['post-aaaa1']?.reactions['👍']?.includes(ME) === true, 'the tail sync', 4_000);
    expect(socket.count('room:sync')).toBe(before + 1);
  });

  it('a refused write comes back as one typed Refusal, whatever the write', async () => {
    const room = await joined();
    const refuse = { ok: false, error: { code: 'BLOCKED_TERM', message: 'This room does not allow “idiot”; please rephrase.' } } as const;
    const real = socket.script;
    socket.script = (event, payload) => (event === 'room:join' || event === 'room:sync' ? real(event, payload) : refuse);
    const edit = await room.write('post:edit', { postId: 'post-aaaa1', body: 'you idiot' }).catch((e: unknown) => e);
    expect(edit).toBeInstanceOf(Refusal);
    expect(edit).toMatchObject({ code: 'BLOCKED_TERM', term: 'idiot', message: refuse.error.message });
    // A debate write and a post refused for their words take the same shape (the post's goes back to its draft).
    const side = await useDebateStore().setSide('for').catch((e: unknown) => e);
    expect(side).toBeInstanceOf(Refusal);
    const refused: unknown[] = [];
    room.onRefused((_post, refusal) => refused.push(refusal));
    room.submitPost('you idiot', null);
    await until(() => refused.length === 1, 'the refused post');
    expect(refused[0]).toBeInstanceOf(Refusal);
    expect(refused[0]).toMatchObject({ code: 'BLOCKED_TERM', term: 'idiot' });
    expect(room.pending).toEqual([]);
  });

  it('remembers the token so the next visit re-joins without asking', async () => {
    await joined();
    expect(storage.room(ROOM)).toMatchObject({ token: expect.any(String), role: 'participant' });
    setActivePinia(createPinia());
    const again = useRoomStore();
    again.open(ROOM);
    await until(() => again.phase === 'joined', 'the automatic re-join');
    expect(socket.sent.at(-1)).toMatchObject({ event: 'room:join', payload: { role: 'participant', token: expect.any(String) } });
    expect(socket.sent.at(-1)?.payload.name).toBeUndefined();
    again.leave();
  });
});
