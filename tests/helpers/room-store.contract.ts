import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { limits } from '../../shared/limits.js';
import type { EventDraft, RoomEvent } from '../../shared/room-events.js';
import { applyEvent, foldEvents, type RoomState } from '../../shared/room-state.js';
import type { Decide, RoomStore } from '../../server/store/room-store.js';

/** Where one store keeps its rooms: every `open()` sees the same rooms, as a restarted process or another node would. */
export interface StoreFixture {
  open(): Promise<RoomStore>;
  /** Removes the data; every store it opened is closed by then. */
  destroy(): Promise<void>;
}

export interface ContractOptions {
  /** Several stores may be open on the same data at once (server nodes sharing the log). */
  sharedByNodes?: boolean;
}

/**
 * Real posts (from the shared debate-thread corpus, inlined so the suite needs nothing outside the repo):
 * curly quotes, apostrophes, Cyrillic, long lines.
 */
const CORPUS = [
  'Is it simply over-correcting in response to western anti-communist propaganda? I’d like to think it’s simply memeing for memes sake, but it feels too genuine.',
  'When people talk about “Stalinism,” they usually mean one of 2 things:',
  'The policies of the USSR while Stalin was General Secretary of the CPSU.',
  'The former, Marxism-Leninism, is the largest tendency of Marxism by far. This is because it has proven its utility in practice, establishing socialism in many countries with varying local conditions and contexts. Lenin’s contributions to Marxism are near universally accepted by Marxists, and Stalin did not change from them in synthesizing Marxism-Leninism.',
  'Where are you from? Country of origin? I’m genuinely curious.',
  'Listen, foolish one, historically these Stalin worshippers will use you to install their vanguard party and immediately turn around and kill you for anarchist dissent. Learn from past mistakes and stop trusting autocratic morons. Even when they say “no bro totally trust me bro solidarity bro” it is nothing but a lie. Have fun with Красный Террор два: Электрический бугалу!',
];
const CYRILLIC = CORPUS[5]!;
const CURLY = CORPUS[1]!;
const MULTILINE = `${CORPUS[1]}\n-\n${CORPUS[2]}`;

export const newRoomId = () => `room-${randomUUID().slice(0, 12)}`;

export function openedDraft(roomId: string, hostId = 'host-0001'): Extract<EventDraft, { type: 'room.opened' }> {
  return {
    type: 'room.opened',
    actorId: hostId,
    room: { id: roomId, title: 'Stalin: “70% good”?', motion: 'This house believes history is not a morality play', hostId, createdAt: 1_700_000_000_000 },
  };
}

export function postDraft(postId: string, body: string, actorId = 'member-0001', parentId: string | null = null): EventDraft {
  return { type: 'post.created', actorId, postId, parentId, body };
}

/** The create decision a handler would make: refuse when the room already exists. */
export const createRoom =
  (roomId: string): Decide =>
  (state) => {
    if (state) throw new AppError('CONFLICT', 'This room already exists.');
    return openedDraft(roomId);
  };

/** Creates post-<n>, n = posts already there: two decisions that saw the same state would collide. */
export const nextNumberedPost: Decide = (state) => {
  if (!state) throw new AppError('NOT_FOUND', 'There is no such room.');
  const n = state.postOrder.length;
  return postDraft(`post-${n}`, `${n}: ${CORPUS[n % CORPUS.length]}`, `member-${n % 7}`);
};

/** Appends one by one and returns the logged events. */
export async function appendAll(store: RoomStore, roomId: string, drafts: EventDraft[]): Promise<RoomEvent[]> {
  const events: RoomEvent[] = [];
  for (const draft of drafts) events.push((await store.append(roomId, () => draft)).event!);
  return events;
}

const seqs = (events: RoomEvent[]) => events.map((event) => event.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export function roomStoreContract(name: string, createFixture: () => Promise<StoreFixture>, options: ContractOptions = {}): void {
  describe(`RoomStore contract: ${name}`, () => {
    let fixture: StoreFixture;
    let closers: (() => Promise<void>)[];
    let store: RoomStore;

    /** Opens a store on the fixture's data; its close() becomes idempotent and runs after the test. */
    async function openStore(): Promise<RoomStore> {
      const opened = await fixture.open();
      let closing: Promise<void> | null = null;
      const close = () => (closing ??= opened.close());
      closers.push(close);
      return Object.assign(Object.create(opened) as RoomStore, {
        load: opened.load.bind(opened),
        append: opened.append.bind(opened),
        eventsSince: opened.eventsSince.bind(opened),
        epoch: opened.epoch.bind(opened),
        close,
      });
    }

    beforeEach(async () => {
      fixture = await createFixture();
      closers = [];
      store = await openStore();
    });

    afterEach(async () => {
      await Promise.allSettled(closers.map((close) => close()));
      await fixture.destroy();
    });

    it('creates a room: seq 1, `at` stamped, the state folded', async () => {
      const roomId = newRoomId();
      const before = Date.now();
      const { event, state } = await store.append(roomId, createRoom(roomId));
      expect(event).toEqual({ ...openedDraft(roomId), seq: 1, at: expect.any(Number) });
      expect(event!.at).toBeGreaterThanOrEqual(before);
      expect(event!.at).toBeLessThanOrEqual(Date.now());
      expect(state).toEqual(applyEvent(null, event!));
      expect(state).toMatchObject({ room: openedDraft(roomId).room, seq: 1, members: {}, posts: {}, postOrder: [] });
      expect(await store.load(roomId)).toEqual(state);
    });

    it('refuses a second create of the same room and logs nothing for it', async () => {
      const roomId = newRoomId();
      await store.append(roomId, createRoom(roomId));
      const refused = store.append(roomId, createRoom(roomId));
      await expect(refused).rejects.toBeInstanceOf(AppError);
      await expect(refused).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(seqs((await store.eventsSince(roomId, 0, 100))!)).toEqual([1]);
    });

    it('numbers events 1, 2, 3 … without gaps, and keeps an `at` the decision chose', async () => {
      const roomId = newRoomId();
      const start = Date.now();
      const events = await appendAll(store, roomId, [
        openedDraft(roomId),
        { type: 'member.joined', actorId: 'member-0001', name: 'Ирина', role: 'participant' },
        postDraft('post-a', CURLY),
        { type: 'post.edited', actorId: 'member-0001', postId: 'post-a', body: CYRILLIC, at: 1_234_567 },
        { type: 'reaction.added', actorId: 'host-0001', postId: 'post-a', emoji: '🔥' },
        { type: 'reaction.removed', actorId: 'host-0001', postId: 'post-a', emoji: '🔥' },
        { type: 'post.deleted', actorId: 'member-0001', postId: 'post-a' },
      ]);
      expect(seqs(events)).toEqual(range(1, 7));
      expect(events[3]!.at).toBe(1_234_567);
      for (const event of events.filter((_, i) => i !== 3)) expect(event.at).toBeGreaterThanOrEqual(start);
      expect(await store.eventsSince(roomId, 0, 100)).toEqual(events);
    });

    it('load returns the fold of the log, and post bodies round-trip exactly', async () => {
      const roomId = newRoomId();
      const bodies = [CURLY, CYRILLIC, MULTILINE, 'Emoji and RTL: 🔥🤔 مرحبا, zero-width\u200bjoiner'];
      await store.append(roomId, createRoom(roomId));
      await appendAll(store, roomId, bodies.map((body, i) => postDraft(`post-${i}`, body, `member-${i}`, i > 0 ? 'post-0' : null)));
      const last = await store.append(roomId, () => ({ type: 'reaction.added', actorId: 'member-2', postId: 'post-1', emoji: '❤️' }));

      const loaded = await store.load(roomId);
      expect(loaded).toEqual(last.state);
      expect(loaded).toEqual(foldEvents((await store.eventsSince(roomId, 0, 1_000))!));
      expect(loaded!.postOrder.map((id) => loaded!.posts[id]!.body)).toEqual(bodies);
      expect(loaded!.posts['post-1']!.reactions).toEqual({ '❤️': ['member-2'] });
    });

    it('eventsSince returns the events after `since`, in order, at most `limit`', async () => {
      const roomId = newRoomId();
      await store.append(roomId, createRoom(roomId));
      for (let i = 0; i < 9; i++) await store.append(roomId, nextNumberedPost);
      const all = (await store.eventsSince(roomId, 0, 1_000))!;
      expect(seqs(all)).toEqual(range(1, 10));
      expect(seqs((await store.eventsSince(roomId, 2, 3))!)).toEqual([3, 4, 5]);
      expect(await store.eventsSince(roomId, 2, 3)).toEqual(all.slice(2, 5));
      expect(seqs((await store.eventsSince(roomId, 8, 5))!)).toEqual([9, 10]);
      expect(await store.eventsSince(roomId, 10, 5)).toEqual([]);
      expect(await store.eventsSince(roomId, 50, 5)).toEqual([]);
    });

    it('eventsSince finds events by seq in a room longer than catch-up ever asks for, before and after a reopen', async () => {
      const roomId = newRoomId();
      const other = newRoomId();
      await store.append(roomId, createRoom(roomId));
      await store.append(other, createRoom(other));
      const total = limits.syncMaxEvents * 2 + 150;
      // Concurrent in waves (fast), interleaved with another room's events (so position in the log is not seq).
      for (let done = 1; done < total; done += 200) {
        const wave = Math.min(200, total - done);
        await Promise.all(Array.from({ length: wave }, (_, i) => store.append(i % 4 === 0 ? other : roomId, nextNumberedPost)));
      }
      const last = (await store.load(roomId))!.seq;
      const check = async (reader: RoomStore) => {
        expect(seqs((await reader.eventsSince(roomId, 0, 5))!)).toEqual([1, 2, 3, 4, 5]);
        expect(seqs((await reader.eventsSince(roomId, 700, 4))!)).toEqual([701, 702, 703, 704]);
        const across = (await reader.eventsSince(roomId, last - limits.syncMaxEvents - 10, 30))!;
        expect(seqs(across)).toEqual(range(last - limits.syncMaxEvents - 9, last - limits.syncMaxEvents + 20));
        expect(seqs((await reader.eventsSince(roomId, last - 3, 10))!)).toEqual([last - 2, last - 1, last]);
        const catchUp = (await reader.eventsSince(roomId, last - limits.syncMaxEvents, limits.syncMaxEvents))!;
        expect(seqs(catchUp)).toEqual(range(last - limits.syncMaxEvents + 1, last));
        const posts = catchUp.filter((event) => event.type === 'post.created');
        expect(posts.length).toBe(catchUp.length);
      };
      await check(store);
      const early = await store.eventsSince(roomId, 0, 50);
      await store.close();
      const reopened = await openStore();
      await check(reopened);
      expect(await reopened.eventsSince(roomId, 0, 50)).toEqual(early);
      expect((await reopened.append(roomId, nextNumberedPost)).event!.seq).toBe(last + 1);
    });

    it('an unknown room: load and eventsSince give null, and a null decision creates nothing', async () => {
      const roomId = newRoomId();
      expect(await store.load(roomId)).toBeNull();
      expect(await store.eventsSince(roomId, 0, 10)).toBeNull();
      const seen: (RoomState | null)[] = [];
      expect(await store.append(roomId, (state) => (seen.push(state), null))).toEqual({ event: null, state: null, epoch: null });
      expect(seen).toEqual([null]);
      expect(await store.load(roomId)).toBeNull();
      expect(await store.eventsSince(roomId, 0, 10)).toBeNull();
    });

    it('a decision of null logs nothing and returns the current state', async () => {
      const roomId = newRoomId();
      await store.append(roomId, createRoom(roomId));
      await store.append(roomId, nextNumberedPost);
      const result = await store.append(roomId, () => null);
      expect(result.event).toBeNull();
      expect(result.state).toEqual(await store.load(roomId));
      expect(result.state!.seq).toBe(2);
      expect((await store.append(roomId, nextNumberedPost)).event!.seq).toBe(3);
    });

    it('a decision that throws logs nothing, and its error reaches the caller as thrown', async () => {
      const roomId = newRoomId();
      await store.append(roomId, createRoom(roomId));
      const refusal = new AppError('FORBIDDEN', 'You are muted in this room.');
      await expect(store.append(roomId, () => { throw refusal; })).rejects.toBe(refusal);
      expect(seqs((await store.eventsSince(roomId, 0, 10))!)).toEqual([1]);
      expect((await store.load(roomId))!.seq).toBe(1);
      expect((await store.append(roomId, nextNumberedPost)).event!.seq).toBe(2);
    });

    it('serialises 50 concurrent appends to one room: distinct consecutive seqs, each decision saw the ones before', async () => {
      const roomId = newRoomId();
      await store.append(roomId, createRoom(roomId));
      const results = await Promise.all(Array.from({ length: 50 }, () => store.append(roomId, nextNumberedPost)));
      expect(seqs(results.map((r) => r.event!)).sort((a, b) => a - b)).toEqual(range(2, 51));
      const logged = (await store.eventsSince(roomId, 1, 1_000))!;
      expect(logged.map((e) => (e.type === 'post.created' ? e.postId : e.type))).toEqual(range(0, 49).map((n) => `post-${n}`));
      const state = (await store.load(roomId))!;
      expect(state.seq).toBe(51);
      expect(state.postOrder).toHaveLength(50);
    });

    it('gives each room an epoch with its first event, the same for every append and read of an intact log', async () => {
      const roomId = newRoomId();
      const other = newRoomId();
      expect(await store.epoch(roomId)).toBeNull();
      const created = await store.append(roomId, createRoom(roomId));
      await store.append(other, createRoom(other));
      expect(created.epoch).toEqual(expect.any(String));
      expect(created.epoch!.length).toBeGreaterThanOrEqual(8);
      expect(await store.epoch(roomId)).toBe(created.epoch);
      const later = await Promise.all(Array.from({ length: 5 }, () => store.append(roomId, nextNumberedPost)));
      expect(new Set(later.map((appended) => appended.epoch))).toEqual(new Set([created.epoch]));
      expect((await store.append(roomId, () => null)).epoch).toBe(created.epoch);
      // Another room's history is another history.
      expect(await store.epoch(other)).not.toBe(created.epoch);
      await store.close();
      const reopened = await openStore();
      expect(await reopened.epoch(roomId)).toBe(created.epoch);
      expect((await reopened.append(roomId, nextNumberedPost)).epoch).toBe(created.epoch);
    });

    it('keeps every acknowledged event across a reopen', async () => {
      const roomId = newRoomId();
      const other = newRoomId();
      await store.append(roomId, createRoom(roomId));
      await store.append(other, createRoom(other));
      await appendAll(store, roomId, [postDraft('post-c', CYRILLIC), postDraft('post-q', CURLY, 'member-2', 'post-c')]);
      for (let i = 0; i < 20; i++) await store.append(roomId, nextNumberedPost);
      const state = structuredClone(await store.load(roomId));
      const events = await store.eventsSince(roomId, 0, 1_000);
      await store.close();

      const reopened = await openStore();
      expect(await reopened.load(roomId)).toEqual(state);
      expect(await reopened.eventsSince(roomId, 0, 1_000)).toEqual(events);
      expect((await reopened.load(other))!.seq).toBe(1);
      expect(await reopened.load(newRoomId())).toBeNull();
      expect((await reopened.append(roomId, nextNumberedPost)).event!.seq).toBe(state!.seq + 1);
    });

    if (!options.sharedByNodes) return;

    describe('several nodes on the same data', () => {
      it('a room written on one node reads the same on another', async () => {
        const nodeB = await openStore();
        const roomId = newRoomId();
        await store.append(roomId, createRoom(roomId));
        await appendAll(store, roomId, [postDraft('post-c', CYRILLIC), postDraft('post-q', CURLY)]);
        expect(await nodeB.load(roomId)).toEqual(await store.load(roomId));
        expect(await nodeB.eventsSince(roomId, 1, 10)).toEqual(await store.eventsSince(roomId, 1, 10));
        await expect(nodeB.append(roomId, createRoom(roomId))).rejects.toMatchObject({ code: 'CONFLICT' });
      });

      it('two nodes appending concurrently to one room: all land, consecutive seqs, both converge', async () => {
        const nodeB = await openStore();
        const roomId = newRoomId();
        await store.append(roomId, createRoom(roomId));
        await nodeB.load(roomId);
        const writes = Array.from({ length: 50 }, (_, i) => (i % 2 ? nodeB : store).append(roomId, nextNumberedPost));
        const results = await Promise.all(writes);
        expect(seqs(results.map((r) => r.event!)).sort((a, b) => a - b)).toEqual(range(2, 51));
        const logged = (await store.eventsSince(roomId, 1, 1_000))!;
        expect(logged.map((e) => (e.type === 'post.created' ? e.postId : e.type))).toEqual(range(0, 49).map((n) => `post-${n}`));
        const [onA, onB] = [await store.load(roomId), await nodeB.load(roomId)];
        expect(onA).toEqual(onB);
        expect(onA).toEqual(foldEvents((await nodeB.eventsSince(roomId, 0, 1_000))!));
      });

      it('every node names a room by the same epoch', async () => {
        const nodeB = await openStore();
        const roomId = newRoomId();
        const { epoch } = await store.append(roomId, createRoom(roomId));
        expect(await nodeB.epoch(roomId)).toBe(epoch);
        expect((await nodeB.append(roomId, nextNumberedPost)).epoch).toBe(epoch);
      });

      it('a node decides on the latest state, not on what it saw last', async () => {
        const nodeB = await openStore();
        const roomId = newRoomId();
        await store.append(roomId, createRoom(roomId));
        await nodeB.load(roomId);
        await store.append(roomId, () => postDraft('post-new', CURLY));
        // Node B has not seen post-new: refusing on its old copy would be wrong.
        const react = await nodeB.append(roomId, (state) => {
          if (!state?.posts['post-new']) throw new AppError('NOT_FOUND', 'There is no such post.');
          return { type: 'reaction.added', actorId: 'member-9', postId: 'post-new', emoji: '🤔' };
        });
        expect(react.event!.seq).toBe(3);
        await store.append(roomId, () => postDraft('post-retried', CYRILLIC));
        // A retried write already logged through node A is a no-op on node B too.
        const retry = await nodeB.append(roomId, (state) => (state?.posts['post-retried'] ? null : postDraft('post-retried', CYRILLIC)));
        expect(retry.event).toBeNull();
        expect(retry.state!.seq).toBe(4);
      });
    });
  });
}
