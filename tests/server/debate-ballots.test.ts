// Each person's own ballots in a hidden vote: the audience sees '' for everyone, but every socket of
// the person who voted (another tab, another device) is told what they chose. Across server nodes:
// multi-node.test.ts.
import { describe, expect, it } from 'vitest';
import type { MyBallot } from '../../shared/schemas/debate.js';
import { call, connect, ok, settle, until, type TestSocket } from '../helpers/client.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { joinAs, openRoom } from '../helpers/fixtures.js';

/** Records the `room:myBallot` pushes a socket receives. */
function pushesTo(socket: TestSocket): MyBallot[] {
  const pushes: MyBallot[] = [];
  socket.on('room:myBallot', (ballot) => pushes.push(ballot));
  return pushes;
}

const finalChoices = (socket: TestSocket) => socket.received.flatMap((e) => (e.type === 'vote.cast' && e.vote === 'final' ? [e.choice] : []));

describe('my own ballots in a hidden vote', () => {
  const server = useTestServer();

  it('reach every socket of the voter, live and on asking; nobody else learns them; the result shows to all at the close', async () => {
    const { host, roomId } = await openRoom(server.url);
    const bea = await joinAs(server.url, roomId, 'Bea');
    const beaElsewhere = await joinAs(server.url, roomId, null, bea.token); // the same person, a second browser
    const cy = await joinAs(server.url, roomId, 'Cy');
    expect(beaElsewhere.id).toBe(bea.id);
    const toElsewhere = pushesTo(beaElsewhere.socket);
    const toCy = pushesTo(cy.socket);
    await ok(host, 'vote:manage', { action: 'open', vote: 'final', hideResults: true });
    expect(await ok(beaElsewhere.socket, 'vote:mine', {})).toMatchObject({ ballots: {} });

    const cast = await ok(bea.socket, 'vote:cast', { vote: 'final', choice: 'against' });
    await until(() => toElsewhere.length === 1, 'the ballot pushed to the other browser');
    expect(toElsewhere).toEqual([{ vote: 'final', choice: 'against', seq: cast.seq }]);
    const mine = await ok(beaElsewhere.socket, 'vote:mine', {});
    expect(mine).toEqual({ seq: cast.seq, ballots: { final: 'against' } });

    // Changing it is pushed too; a cast that changes nothing is not.
    await ok(beaElsewhere.socket, 'vote:cast', { vote: 'final', choice: 'for' });
    await ok(beaElsewhere.socket, 'vote:cast', { vote: 'final', choice: 'for' });
    await until(() => toElsewhere.length === 2, 'the changed ballot pushed');
    await settle();
    expect(toElsewhere.map((b) => b.choice)).toEqual(['against', 'for']);
    expect((await ok(bea.socket, 'vote:mine', {})).ballots).toEqual({ final: 'for' });

    // Someone else: no pushes, '' in the log and the snapshot, and their own (empty) answer.
    await ok(cy.socket, 'vote:cast', { vote: 'final', choice: 'undecided' });
    await settle();
    expect(toCy.map((b) => b.choice)).toEqual(['undecided']);
    expect(finalChoices(cy.socket)).toEqual(['', '', '']);
    const late = await joinAs(server.url, roomId, null);
    expect(late.joined.snapshot.votes.final!.ballots).toEqual({ [bea.id]: '', [cy.id]: '' });
    expect((await ok(late.socket, 'vote:mine', {})).ballots).toEqual({});
    expect((await ok(cy.socket, 'vote:mine', {})).ballots).toEqual({ final: 'undecided' });

    // Closed: everyone sees the result; my own ballot is still mine to see.
    await ok(host, 'vote:manage', { action: 'close', vote: 'final' });
    for (const socket of [late.socket, cy.socket, beaElsewhere.socket]) {
      await until(() => socket.received.some((e) => e.type === 'vote.closed'), 'the close live');
      expect(socket.received.find((e) => e.type === 'vote.closed')).toMatchObject({ tally: { for: 1, against: 0, undecided: 1 } });
    }
    expect((await ok(beaElsewhere.socket, 'vote:mine', {})).ballots).toEqual({ final: 'for' });
  });

  it('a viewer (no member channel of their own) hears their other browser once it has asked', async () => {
    const { host, roomId } = await openRoom(server.url);
    const here = await joinAs(server.url, roomId, null);
    const there = await joinAs(server.url, roomId, null, here.token);
    const toThere = pushesTo(there.socket);
    await ok(host, 'vote:manage', { action: 'open', vote: 'initial', hideResults: true });
    await ok(there.socket, 'vote:mine', {});
    const cast = await ok(here.socket, 'vote:cast', { vote: 'initial', choice: 'for' });
    await until(() => toThere.length === 1, 'the push to the viewer’s other browser');
    expect(toThere).toEqual([{ vote: 'initial', choice: 'for', seq: cast.seq }]);
    expect(there.socket.received.find((e) => e.type === 'vote.cast')).toMatchObject({ actorId: here.id, choice: '' });
  });

  it('a live vote pushes nothing (the room shows every ballot), and a socket that moved to another room hears nothing', async () => {
    const { host, roomId } = await openRoom(server.url);
    const other = await openRoom(server.url, 'Another room');
    const bea = await joinAs(server.url, roomId, 'Bea');
    const moved = await joinAs(server.url, roomId, null, bea.token);
    const stays = await joinAs(server.url, roomId, null, bea.token);
    const toMoved = pushesTo(moved.socket);
    const toStays = pushesTo(stays.socket);
    await ok(stays.socket, 'vote:mine', {});
    await ok(moved.socket, 'vote:mine', {});
    await ok(moved.socket, 'room:join', { roomId: other.roomId, role: 'viewer' });

    await ok(host, 'vote:manage', { action: 'open', vote: 'initial', hideResults: false });
    await ok(bea.socket, 'vote:cast', { vote: 'initial', choice: 'for' });
    await until(() => stays.socket.received.some((e) => e.type === 'vote.cast'), 'the live ballot');
    expect(stays.socket.received.find((e) => e.type === 'vote.cast')).toMatchObject({ choice: 'for' });
    await ok(host, 'vote:manage', { action: 'close', vote: 'initial' });
    await ok(host, 'vote:manage', { action: 'open', vote: 'final', hideResults: true });
    await ok(bea.socket, 'vote:cast', { vote: 'final', choice: 'against' });
    await until(() => toStays.length === 1, 'the hidden ballot pushed');
    await settle();
    expect(toStays.map((b) => b.vote)).toEqual(['final']);
    expect(toMoved).toEqual([]);
  });

  it('needs a joined room', async () => {
    const { host } = await openRoom(server.url);
    const stranger = await connect(server.url);
    const answer = await call(stranger, 'vote:mine', {});
    expect(answer.ok ? null : answer.error.code).toBe('NOT_JOINED');
    expect((await call(host, 'vote:mine', {})).ok).toBe(true);
  });
});
