// The debate views' logic without a browser: sorting (controversial included), the follow-along rule
// and its pills, unread marks, typing expiry on a fake clock, own ballots, and the applied-events feed.
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RoomEvent } from '../../shared/room-events.js';
import { foldEvents, type Post, type RoomState } from '../../shared/room-state.js';
import { setSocket, type AppSocket } from '../../client/socket.js';
import { LogFollower } from '../../shared/log-follower.js';
import { mindChanged } from '../../client/stores/debate.js';
import { ballotOf, hasHiddenVote, withAnswer, withBallot } from '../../client/logic/debate-ballots.js';
import { createFollowAlong, type Placement } from '../../client/logic/follow-along.js';
import { useRoomStore } from '../../client/stores/room.js';
import { controversy, sortThreads, split, threadScore, type SortMode } from '../../client/logic/thread-order.js';
import { buildChildIndex, countDescendants } from '../../client/logic/thread-tree.js';
import { stanceCounts } from '../../client/logic/thread-order.js';
import { createTypingSender, TypingBoard, typingSentence } from '../../client/logic/typing-board.js';
import { useTypingStore } from '../../client/stores/typing.js';
import { isUnreadSince, markOf } from '../../client/logic/unread-mark.js';

type Spec = { id: string; parent?: string; at: number; up?: number; down?: number; fire?: number; stance?: Post['stance'] };

function post(spec: Spec): Post {
  const people = (n = 0, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}`);
  return {
    id: spec.id,
    parentId: spec.parent ?? null,
    authorId: 'a',
    body: spec.id,
    createdAt: spec.at,
    editedAt: null,
    deletedAt: null,
    removed: null,
    pinnedAt: null,
    locked: false,
    stance: spec.stance ?? null,
    reactions: { '👍': people(spec.up, 'u'), '👎': people(spec.down, 'd'), '🔥': people(spec.fire, 'f') },
  };
}

describe('sorting threads', () => {
  const roots = [
    post({ id: 'calm', at: 1, up: 9 }), // popular, one-sided
    post({ id: 'split', at: 2, up: 8, down: 7 }), // many on both sides
    post({ id: 'small', at: 3, up: 1, down: 1 }), // a small even split
    post({ id: 'argued', at: 4 }), // split by its replies
    post({ id: 'fresh', at: 5, fire: 2 }),
  ];
  const stances = new Map([['argued', { support: 4, rebut: 4, question: 1 }]]);
  const order = (mode: SortMode) =>
    sortThreads(roots, mode, (root) => threadScore(mode, root, stances.get(root.id))).map((root) => root.id);

  it('orders by new, old and top (all reactions on the post)', () => {
    expect(order('new')).toEqual(['fresh', 'argued', 'small', 'split', 'calm']);
    expect(order('old')).toEqual(['calm', 'split', 'small', 'argued', 'fresh']);
    expect(order('top')).toEqual(['split', 'calm', 'fresh', 'small', 'argued']);
  });

  it('controversial: many on both sides (👍 vs 👎, or supporting vs rebutting replies) beats lopsided and small', () => {
    expect(split(10, 10)).toBe(20);
    expect(split(100, 1)).toBeLessThan(1.1);
    expect(split(5, 0)).toBe(0);
    expect(controversy(roots[0], undefined)).toBe(0);
    expect(order('controversial')).toEqual(['split', 'argued', 'small', 'fresh', 'calm']);
  });

  it('counts stances of direct replies, leaving out removed and deleted ones', () => {
    const posts = [post({ id: 'r', at: 1 }), post({ id: 'a', parent: 'r', at: 2, stance: 'support' }), post({ id: 'b', parent: 'r', at: 3, stance: 'rebut' }), post({ id: 'c', parent: 'r', at: 4, stance: 'rebut' }), post({ id: 'd', parent: 'a', at: 5, stance: 'rebut' })];
    posts[3].deletedAt = 9;
    const state = { postOrder: posts.map((p) => p.id), posts: Object.fromEntries(posts.map((p) => [p.id, p])) } as unknown as RoomState;
    const index = buildChildIndex(state, []);
    expect(stanceCounts(index.get('r')!, state.posts)).toEqual({ support: 1, rebut: 1, question: 0 });
    expect(countDescendants(index, 'r')).toBe(4);
  });
});

describe('following along', () => {
  const parents: Record<string, string | null> = { root: null, a: 'root', b: 'root', a1: 'a', a2: 'a1', other: null };
  const inView: Placement = { top: 300, viewportHeight: 800, contentAfter: true, reading: true };
  function setup(place: Placement | null = inView) {
    const follow = createFollowAlong({ parentOf: (id) => parents[id], isMine: (author) => author === 'me' });
    follow.setProbe(() => place);
    return follow;
  }
  const arrival = (id: string, authorId = 'bea') => ({ id, parentId: parents[id], authorId });

  it('holds what would land in view and push the reader’s content down, and counts it on the nearest shown post', () => {
    const follow = setup();
    expect(follow.arrive(arrival('a'))).toBe('held');
    expect(follow.arrive(arrival('a1'))).toBe('held'); // its parent is held: held with it
    expect(follow.arrive(arrival('b'))).toBe('held');
    expect(follow.pills.value.get('root')).toBe(3);
    expect(follow.heldCount.value).toBe(3);
    expect(follow.arrived.has('a1')).toBe(true);
    expect(follow.reveal('root').sort()).toEqual(['a', 'a1', 'b']);
    expect(follow.heldCount.value).toBe(0);
    expect(follow.pills.value.size).toBe(0);
  });

  it('shows at once what moves nothing in view: below, above (scroll anchoring), at the very end, at the top of the room, or unrendered', () => {
    for (const place of [
      { ...inView, top: 900 },
      { ...inView, top: -40 },
      { ...inView, contentAfter: false },
      { ...inView, reading: false },
      null,
    ]) {
      expect(setup(place).arrive(arrival('a'))).toBe('shown');
    }
  });

  it('never holds my own posts; follow live holds nothing and reveals what was held', () => {
    const follow = setup();
    expect(follow.arrive(arrival('a', 'me'))).toBe('shown');
    expect(follow.arrived.has('a')).toBe(false);
    expect(follow.arrive(arrival('other'))).toBe('held');
    expect(follow.pills.value.get(null)).toBe(1);
    follow.setFollowLive(true);
    expect(follow.heldCount.value).toBe(0);
    expect(follow.arrive(arrival('b'))).toBe('shown');
    expect(follow.latest.value).toBe('b');
  });

  it('a permalink reveals the post and its held ancestors only', () => {
    const follow = setup();
    for (const id of ['a', 'a1', 'a2', 'b']) follow.arrive(arrival(id));
    follow.revealPost('a1');
    expect([...follow.held]).toEqual(['a2', 'b']);
    expect(follow.pills.value.get('a1')).toBe(1);
    expect(follow.pills.value.get('root')).toBe(1);
  });
});

describe('unread since the last visit', () => {
  it('marks posts by others newer than where the last visit left off; a first visit marks nothing', () => {
    const p = post({ id: 'x', at: 500 });
    expect(isUnreadSince(null, p, 'me')).toBe(false);
    expect(isUnreadSince({ seq: 10, at: 400 }, p, 'me')).toBe(true);
    expect(isUnreadSince({ seq: 10, at: 500 }, p, 'me')).toBe(false);
    expect(isUnreadSince({ seq: 10, at: 400 }, { ...p, authorId: 'me' }, 'me')).toBe(false);
    const events: RoomEvent[] = [
      { seq: 1, at: 100, actorId: 'h', type: 'room.opened', room: { id: 'r', title: 't', motion: '', hostId: 'h', createdAt: 100 } },
      { seq: 2, at: 250, actorId: 'h', type: 'post.created', postId: 'p1', parentId: null, body: 'b' },
      { seq: 3, at: 300, actorId: 'h', type: 'reaction.added', postId: 'p1', emoji: '👍' },
    ];
    expect(markOf(foldEvents(events)!)).toEqual({ seq: 3, at: 250 });
  });
});

describe('typing', () => {
  it('forgets a signal after the ttl unless renewed, and drops it on typing: false', () => {
    const board = new TypingBoard(6_000);
    expect(board.receive({ memberId: 'bea', parentId: 'p', typing: true }, 0)).toBe(true);
    board.receive({ memberId: 'cy', parentId: 'p', typing: true }, 1_000);
    expect(board.byParent(5_000).get('p')).toEqual(['bea', 'cy']);
    board.receive({ memberId: 'bea', parentId: 'p', typing: true }, 4_000); // renewed
    expect(board.nextExpiry()).toBe(7_000);
    expect(board.prune(7_000)).toBe(true);
    expect(board.byParent(7_000).get('p')).toEqual(['bea']);
    expect(board.receive({ memberId: 'bea', parentId: 'p', typing: false }, 8_000)).toBe(true);
    expect(board.byParent(8_000).size).toBe(0);
    expect(typingSentence(['Bea'], 'Hana')).toBe('Bea is replying to Hana…');
    expect(typingSentence(['Bea', 'Cy'], 'Hana')).toBe('2 people are replying to Hana…');
    expect(typingSentence(['Bea'], null)).toBe('Bea is writing a new post…');
  });

  it('sends typing at most once per renew interval, and false once when stopping', () => {
    let now = 0;
    const sent: [string | null, boolean][] = [];
    const sender = createTypingSender((parentId, typing) => sent.push([parentId, typing]), () => now, 3_000);
    for (now = 0; now < 7_000; now += 250) sender.typing('p');
    expect(sent).toEqual([['p', true], ['p', true], ['p', true]]); // at 0, 3000 and 6000
    sender.stop();
    sender.stop();
    sender.typing(null);
    sender.typing('q'); // moving to another composer ends the first
    expect(sent.slice(3)).toEqual([['p', false], [null, true], [null, false], ['q', true]]);
  });

  describe('the typing store, on a fake clock', () => {
    const handlers = new Map<string, ((...args: any[]) => void)[]>();
    const socket = {
      connected: false,
      io: { on: () => undefined, engine: { close: () => undefined } },
      on(event: string, fn: (...args: any[]) => void) {
        handlers.set(event, [...(handlers.get(event) ?? []), fn]);
        return socket;
      },
      once: () => socket,
      timeout: () => ({ emitWithAck: async () => ({ ok: true, data: null }) }),
    };
    beforeEach(() => {
      vi.useFakeTimers();
      handlers.clear();
      setSocket(socket as unknown as AppSocket);
      setActivePinia(createPinia());
    });
    afterEach(() => {
      vi.useRealTimers();
      setSocket(null);
    });

    it('shows a signal, then forgets it after typingTtlMs without a renewal', async () => {
      const room = useRoomStore();
      room.roomId = 'room-12345678';
      const typing = useTypingStore();
      for (const fn of handlers.get('room:typing') ?? []) fn({ memberId: 'bea', parentId: 'p1', typing: true });
      expect(typing.byParent.get('p1')).toEqual(['bea']);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(typing.byParent.get('p1')).toEqual(['bea']);
      await vi.advanceTimersByTimeAsync(1_100);
      expect(typing.byParent.get('p1')).toBeUndefined();
    });
  });
});

describe('my own ballots', () => {
  const hidden = { kind: 'final' as const, open: true, hideResults: true, openedAt: 0, closedAt: null, ballots: { me: '' as const, you: '' as const }, tally: null };

  it('come from the server and stand in for the ballots a hidden vote sends as ""', () => {
    const known = withAnswer({}, { seq: 7, ballots: { initial: 'for', final: 'against' } });
    expect(ballotOf(hidden, 'me', known)).toBe('against');
    expect(ballotOf({ ...hidden, kind: 'initial' }, 'me', known)).toBe('for');
    expect(ballotOf({ ...hidden, ballots: { me: 'undecided' as const } }, 'me', known)).toBe('undecided'); // where the room shows it, the room's copy
    expect(ballotOf(hidden, 'you', {})).toBe(null);
    expect(ballotOf(undefined, 'me', known)).toBe(null);
    expect(ballotOf(hidden, null, known)).toBe(null);
    expect(hasHiddenVote({ final: hidden })).toBe(true);
    expect(hasHiddenVote({ final: { ...hidden, hideResults: false } })).toBe(false);
    expect(hasHiddenVote({})).toBe(false);
  });

  it('the newest wins, whichever arrives last: an answer read before a push cannot undo it', () => {
    let known = withBallot({}, { vote: 'final', choice: 'for', seq: 10 }); // pushed from my other tab
    known = withAnswer(known, { seq: 9, ballots: { final: 'against', initial: 'undecided' } }); // read just before it
    expect(known).toEqual({ final: { choice: 'for', seq: 10 }, initial: { choice: 'undecided', seq: 9 } });
    known = withBallot(known, { vote: 'final', choice: 'against', seq: 12 });
    expect(known.final).toEqual({ choice: 'against', seq: 12 });
    expect(withBallot(known, { vote: 'final', choice: 'for', seq: 11 })).toBe(known);
  });

  it('a changed mind is a final ballot that differs from the first', () => {
    expect(mindChanged('for', 'against')).toBe(true);
    expect(mindChanged('for', 'for')).toBe(false);
    expect(mindChanged(null, 'for')).toBe(false);
  });
});

describe('the applied-events feed', () => {
  const ev = (seq: number): RoomEvent => ({ seq, at: seq, actorId: 'a', type: 'hand.raised' });

  it('announces applied events once, in order, including ones held across a gap', () => {
    // The feed is the follower's own answer (shared/log-follower.ts): no second buffer beside it.
    const follower = new LogFollower(foldEvents([{ seq: 1, at: 1, actorId: 'a', type: 'room.opened', room: { id: 'r', title: 'T', motion: '', hostId: 'a', createdAt: 1 } }])!);
    const seen: number[][] = [];
    const announce = (events: RoomEvent[]) => {
      const applied = follower.receiveAll(events);
      if (applied.length) seen.push(applied.map((e) => e.seq));
    };
    announce([ev(2), ev(3)]);
    announce([ev(3)]); // a duplicate: nothing
    announce([ev(6)]); // ahead of a gap: held back
    announce([ev(4), ev(5)]); // the gap filled: 4, 5 and the held 6
    expect(seen).toEqual([[2, 3], [4, 5, 6]]);
  });
});
