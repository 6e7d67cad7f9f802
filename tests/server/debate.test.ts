import { nanoid } from 'nanoid';
import { describe, expect, it } from 'vitest';
import { swingOf } from '../../shared/debate.js';
import { call, ok, settle, until } from '../helpers/client.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';

const server = useTestServer();

describe('sides and stances', () => {
  it('a participant declares and changes a side; each change is an event', async () => {
    const { roomId } = await openRoom(server.url);
    const bea = await joinAs(server.url, roomId, 'Bea');
    const viewer = await joinAs(server.url, roomId, null);
    await ok(bea.socket, 'side:set', { side: 'for' });
    await ok(bea.socket, 'side:set', { side: 'for' });
    await ok(bea.socket, 'side:set', { side: 'against' });
    await until(() => viewer.socket.received.filter((e) => e.type === 'member.side').length === 2, 'two side events');
    expect((await server.store.load(roomId))!.members[bea.id].side).toBe('against');
    const refused = await call(viewer.socket, 'side:set', { side: 'for' });
    expect(refused.ok ? null : refused.error.code).toBe('NOT_FOUND');
  });

  it('a reply carries its stance toward the parent', async () => {
    const { host, roomId } = await openRoom(server.url);
    const top = await post(host, 'Stalin was a net good');
    await ok(host, 'post:create', { id: nanoid(), parentId: top.id, body: 'Literacy rose', stance: 'support' });
    await ok(host, 'post:create', { id: nanoid(), parentId: top.id, body: 'The famine', stance: 'rebut' });
    const state = (await server.store.load(roomId))!;
    expect(state.postOrder.slice(1).map((id) => state.posts[id].stance)).toEqual(['support', 'rebut']);
  });
});

describe('audience votes', () => {
  it('everyone votes once per vote, may change it while open; a closed vote refuses; the swing follows', async () => {
    const { host, roomId } = await openRoom(server.url);
    const people = [await joinAs(server.url, roomId, null), await joinAs(server.url, roomId, null), await joinAs(server.url, roomId, 'Bea')];
    const early = await call(people[0].socket, 'vote:cast', { vote: 'initial', choice: 'for' });
    expect(early.ok ? null : early.error.code).toBe('NOT_FOUND');
    await ok(host, 'vote:manage', { action: 'open', vote: 'initial', hideResults: false });
    await ok(people[0].socket, 'vote:cast', { vote: 'initial', choice: 'for' });
    await ok(people[0].socket, 'vote:cast', { vote: 'initial', choice: 'for' });
    await ok(people[1].socket, 'vote:cast', { vote: 'initial', choice: 'undecided' });
    await ok(people[2].socket, 'vote:cast', { vote: 'initial', choice: 'for' });
    await ok(people[2].socket, 'vote:cast', { vote: 'initial', choice: 'against' });
    let state = (await server.store.load(roomId))!;
    expect(Object.keys(state.votes.initial!.ballots)).toHaveLength(3);
    await ok(host, 'vote:manage', { action: 'close', vote: 'initial' });
    const closed = await call(people[1].socket, 'vote:cast', { vote: 'initial', choice: 'for' });
    expect(closed.ok ? null : closed.error).toMatchObject({ code: 'FORBIDDEN', message: 'That vote has closed.' });
    expect((await server.store.load(roomId))!.votes.initial!.tally).toEqual({ for: 1, against: 1, undecided: 1 });

    await ok(host, 'vote:manage', { action: 'open', vote: 'final', hideResults: true });
    await ok(people[0].socket, 'vote:cast', { vote: 'final', choice: 'for' });
    await ok(people[1].socket, 'vote:cast', { vote: 'final', choice: 'against' });
    await ok(people[2].socket, 'vote:cast', { vote: 'final', choice: 'against' });
    // Hidden results: the audience sees that votes were cast, not how.
    await settle();
    expect(people[0].socket.received.filter((e) => e.type === 'vote.cast' && e.vote === 'final').map((e) => e.type === 'vote.cast' && e.choice)).toEqual(['', '', '']);
    const late = await joinAs(server.url, roomId, null);
    expect(Object.values(late.joined.snapshot.votes.final!.ballots)).toEqual(['', '', '']);
    await ok(host, 'vote:manage', { action: 'close', vote: 'final' });
    state = (await server.store.load(roomId))!;
    expect(swingOf(state)).toMatchObject({ before: { for: 1, against: 1, undecided: 1 }, after: { for: 1, against: 2, undecided: 0 }, winner: 'against' });
    await until(() => late.socket.received.some((e) => e.type === 'vote.closed'), 'close live');
    expect(late.socket.received.find((e) => e.type === 'vote.closed')).toMatchObject({ tally: { for: 1, against: 2, undecided: 0 } });
  });

  it('closing the final vote logs both rounds over those who voted in both, so a hidden vote’s audience sees the same swing', async () => {
    const { host, roomId } = await openRoom(server.url);
    const people = [0, 1, 2, 3].map(() => joinAs(server.url, roomId, null));
    const [a, b, c, newcomer] = await Promise.all(people);
    await ok(host, 'vote:manage', { action: 'open', vote: 'initial', hideResults: true });
    await ok(a.socket, 'vote:cast', { vote: 'initial', choice: 'for' });
    await ok(b.socket, 'vote:cast', { vote: 'initial', choice: 'against' });
    await ok(c.socket, 'vote:cast', { vote: 'initial', choice: 'undecided' });
    await ok(host, 'vote:manage', { action: 'close', vote: 'initial' });
    await ok(host, 'vote:manage', { action: 'open', vote: 'final', hideResults: true });
    await ok(a.socket, 'vote:cast', { vote: 'final', choice: 'for' });
    await ok(b.socket, 'vote:cast', { vote: 'final', choice: 'against' });
    await ok(c.socket, 'vote:cast', { vote: 'final', choice: 'against' });
    await ok(newcomer.socket, 'vote:cast', { vote: 'final', choice: 'for' });
    await ok(host, 'vote:manage', { action: 'close', vote: 'final' });
    const paired = { before: { for: 1, against: 1, undecided: 1 }, after: { for: 1, against: 2, undecided: 0 }, voters: 3 };
    await until(() => a.socket.received.some((e) => e.type === 'vote.closed' && e.vote === 'final'), 'the final close live');
    expect(a.socket.received.find((e) => e.type === 'vote.closed' && e.vote === 'final')).toMatchObject({ tally: { for: 2, against: 2, undecided: 0 }, paired });
    // A late joiner's snapshot (ballots hidden) carries it too: the same swing as the host's.
    const late = await joinAs(server.url, roomId, null);
    expect(Object.values(late.joined.snapshot.votes.final!.ballots)).toEqual(['', '', '', '']);
    expect(swingOf(late.joined.snapshot)).toMatchObject({ basis: 'both', voters: { initial: 3, final: 4, both: 3 }, winner: 'against' });
    expect(swingOf((await server.store.load(roomId))!)).toMatchObject({ basis: 'both', winner: 'against' });
  });

  it('only the host opens and closes votes', async () => {
    const { roomId } = await openRoom(server.url);
    const bea = await joinAs(server.url, roomId, 'Bea');
    const answer = await call(bea.socket, 'vote:manage', { action: 'open', vote: 'initial' });
    expect(answer.ok ? null : answer.error.code).toBe('FORBIDDEN');
  });

  it('"this changed my mind" is for people whose final vote differs from their first; the room counts them', async () => {
    const { host, roomId } = await openRoom(server.url);
    const persuasive = await post(host, 'The ammunition was German-made in 1941');
    const moved = await joinAs(server.url, roomId, null);
    const steady = await joinAs(server.url, roomId, null);
    await ok(host, 'vote:manage', { action: 'open', vote: 'initial' });
    await ok(moved.socket, 'vote:cast', { vote: 'initial', choice: 'for' });
    await ok(steady.socket, 'vote:cast', { vote: 'initial', choice: 'for' });
    await ok(host, 'vote:manage', { action: 'close', vote: 'initial' });
    await ok(host, 'vote:manage', { action: 'open', vote: 'final' });
    await ok(moved.socket, 'vote:cast', { vote: 'final', choice: 'against' });
    await ok(steady.socket, 'vote:cast', { vote: 'final', choice: 'for' });
    await ok(moved.socket, 'mind:changed', { postId: persuasive.id });
    const refused = await call(steady.socket, 'mind:changed', { postId: persuasive.id });
    expect(refused.ok ? null : refused.error.code).toBe('FORBIDDEN');
    expect((await server.store.load(roomId))!.mindChanges).toEqual({ [moved.id]: persuasive.id });
  });
});

describe('phases and typing', () => {
  it('the host moves the room through phases with an optional countdown', async () => {
    const { host, roomId } = await openRoom(server.url);
    const viewer = await joinAs(server.url, roomId, null);
    const before = Date.now();
    await ok(host, 'phase:set', { phase: 'opening', minutes: 5 });
    await until(() => viewer.socket.received.some((e) => e.type === 'phase.changed'), 'phase live');
    const phase = (await server.store.load(roomId))!.phase;
    expect(phase.phase).toBe('opening');
    expect(phase.endsAt).toBeGreaterThanOrEqual(before + 5 * 60_000);
    const bea = await joinAs(server.url, roomId, 'Bea');
    expect((await call(bea.socket, 'phase:set', { phase: 'ended' })).ok).toBe(false);
  });

  it('typing is relayed to others, throttled, and never logged', async () => {
    const { host, roomId } = await openRoom(server.url);
    const top = await post(host, 'reply to me');
    const bea = await joinAs(server.url, roomId, 'Bea');
    const signals: unknown[] = [];
    host.on('room:typing', (signal) => signals.push(signal));
    const seq = (await server.store.load(roomId))!.seq;
    for (let i = 0; i < 10; i++) await ok(bea.socket, 'typing:set', { parentId: top.id, typing: true });
    await ok(bea.socket, 'typing:set', { parentId: top.id, typing: false });
    await until(() => signals.length === 2, 'two signals');
    expect(signals).toEqual([
      { memberId: bea.id, parentId: top.id, typing: true },
      { memberId: bea.id, parentId: top.id, typing: false },
    ]);
    expect((await server.store.load(roomId))!.seq).toBe(seq);
    const viewer = await joinAs(server.url, roomId, null);
    expect((await call(viewer.socket, 'typing:set', { parentId: null, typing: true })).ok).toBe(false);
  });
});
