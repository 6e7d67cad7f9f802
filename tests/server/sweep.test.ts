// The broadcaster sweeps a room's sockets a chunk at a time (SWEEP_CHUNK per turn), each getting what it has
// not had yet. With more viewers than several chunks and writes landing while sweeps are under way, every
// socket still hears every event once, in order, with no gap; moderators get held text, viewers do not; a
// viewer who joins mid-burst and one who comes back each pick up from their snapshot; and everyone's fold
// ends at the server's state for their audience.
import { describe, expect, it } from 'vitest';
import { LogFollower } from '../../shared/log-follower.js';
import { redactState } from '../../shared/redact.js';
import type { RoomEvent } from '../../shared/room-events.js';
import { SWEEP_CHUNK } from '../../server/broadcaster.js';
import { connect, ok, until, type TestSocket } from '../helpers/client.js';
import { joinAs, openRoom } from '../helpers/fixtures.js';
import { opened } from '../helpers/snapshot.js';
import { useTestServer } from '../helpers/use-test-server.js';

const server = useTestServer();

interface Follower {
  socket: TestSocket;
  snapshotSeq: number;
  follower: LogFollower;
}

async function viewer(roomId: string): Promise<Follower> {
  const socket = await connect(server.url);
  const joined = opened(await ok(socket, 'room:join', { roomId, role: 'viewer' }));
  return { socket, snapshotSeq: joined.snapshot.seq, follower: new LogFollower(joined.snapshot) };
}

/** What arrived after the snapshot, as seqs: must be exactly snapshot+1 … head. */
const afterSnapshot = (f: Follower) => f.socket.received.filter((e) => e.seq > f.snapshotSeq).map((e) => e.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('fan-out by sweeps', () => {
  it('many chunks of viewers, writes landing mid-sweep: everyone gets every event once, in order, redacted for them', { timeout: 60_000 }, async () => {
    const { host, roomId } = await openRoom(server.url);
    await ok(host, 'mod:room', { action: 'blockedTerms', terms: [{ term: 'tankie', action: 'hold' }] });
    const mo = await joinAs(server.url, roomId, 'Mo');
    await ok(host, 'mod:member', { action: 'promote', memberId: mo.id });
    const moSocket = await connect(server.url);
    const moJoined = opened(await ok(moSocket, 'room:join', { roomId, role: 'participant', token: mo.token }));
    const moFollower: Follower = { socket: moSocket, snapshotSeq: moJoined.snapshot.seq, follower: new LogFollower(moJoined.snapshot) };
    const pat = await joinAs(server.url, roomId, 'Pat');

    const crowd: Follower[] = [];
    const size = SWEEP_CHUNK * 2 + 57;
    for (let i = 0; i < size; i += 50) crowd.push(...(await Promise.all(Array.from({ length: Math.min(50, size - i) }, () => viewer(roomId)))));

    // A burst that lands while sweeps are under way, plus a late joiner and a viewer who drops and comes back.
    const writes: Promise<unknown>[] = [];
    let late: Promise<Follower> | null = null;
    for (let i = 0; i < 60; i++) {
      const body = i % 10 === 3 ? `held ${i}: tankie` : `post ${i}`;
      writes.push(ok(pat.socket, 'post:create', { id: `post-${String(i).padStart(4, '0')}`, parentId: null, body }));
      if (i === 20) late = viewer(roomId);
      if (i === 30) crowd[5]!.socket.disconnect();
      if (i % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const back = await viewer(roomId);
    await Promise.all(writes);
    const everyone = [...crowd.filter((f) => f.socket.connected), (await late)!, back, moFollower];
    const head = (await server.store.load(roomId))!.seq;
    const at = (f: Follower) => Math.max(f.snapshotSeq, f.socket.received.at(-1)?.seq ?? 0);
    await until(() => everyone.every((f) => at(f) === head), 'everyone at the head', 20_000);

    for (const f of everyone) expect(afterSnapshot(f)).toEqual(range(f.snapshotSeq + 1, head));
    const held = (events: RoomEvent[]) => events.filter((e) => e.type === 'post.held') as Extract<RoomEvent, { type: 'post.held' }>[];
    expect(held(moSocket.received).map((e) => e.body)).toEqual(expect.arrayContaining([expect.stringContaining('tankie')]));
    for (const f of crowd.filter((c) => c.socket.connected)) expect(held(f.socket.received).every((e) => e.body === '')).toBe(true);

    const state = (await server.store.load(roomId))!;
    for (const f of everyone) {
      f.follower.receiveAll(f.socket.received);
      expect(f.follower.seq).toBe(head);
    }
    expect(crowd[0]!.follower.state).toEqual(redactState(state, 'public'));
    expect(back.follower.state).toEqual(redactState(state, 'public'));
    expect(moFollower.follower.state).toEqual(redactState(state, 'moderators'));
    for (const f of everyone.slice(1, -1)) expect(f.follower.state).toEqual(crowd[0]!.follower.state);
  });
});
