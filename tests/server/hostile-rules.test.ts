// What a hostile user tried against `npm start`, each as it was tried: real sockets, the real server.
import { nanoid } from 'nanoid';
import { describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/ack.js';
import type { ClientEventName } from '../../shared/events.js';
import { INHERITED_NAMES } from '../../shared/schemas/common.js';
import { call, connect, ok, settle, until, type TestSocket } from '../helpers/client.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { eventsOf, snapshotOf } from '../helpers/snapshot.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';

const server = useTestServer();

const refusal = (answer: Ack<unknown>) => (answer.ok ? null : answer.error);
const logOf = (roomId: string) => server.store.eventsSince(roomId, 0, 10_000);

describe('ids named after what every object inherits', () => {
  const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();

  /** Every id-bearing event, with `id` wherever an id goes (reasons say "polluted", to be seen if they land). */
  function attempts(id: string): [ClientEventName, unknown][] {
    return [
      ['room:join', { roomId: id, role: 'viewer' }],
      ['room:posts', { postId: id }],
      ['post:create', { id, parentId: null, body: 'polluted' }],
      ['post:create', { id: nanoid(), parentId: id, body: 'polluted' }],
      ['post:edit', { postId: id, body: 'polluted' }],
      ['post:delete', { postId: id }],
      ['reaction:set', { postId: id, emoji: '👍', on: true }],
      ['report:create', { postId: id, reason: 'polluted' }],
      ['mod:post', { action: 'remove', postId: id, reason: 'polluted' }],
      ['mod:post', { action: 'pin', postId: id }],
      ['mod:post', { action: 'lock', postId: id }],
      ['mod:held', { postId: id, action: 'approve' }],
      ['mod:reports', { postId: id }],
      ['mod:member', { action: 'mute', memberId: id, minutes: 5, reason: 'polluted' }],
      ['mod:member', { action: 'ban', memberId: id, reason: 'polluted', removePosts: true }],
      ['mod:member', { action: 'promote', memberId: id }],
      ['mod:member', { action: 'approveSpeaker', memberId: id }],
      ['mind:changed', { postId: id }],
      ['typing:set', { parentId: id, typing: true }],
    ];
  }

  it('every id-bearing event with such an id answers INVALID_PAYLOAD or NOT_FOUND, logs nothing and pollutes nothing', async () => {
    const { host, roomId } = await openRoom(server.url);
    await post(host, 'a post to aim beside');
    const viewer = await joinAs(server.url, roomId, null);
    await settle();
    const before = await logOf(roomId);
    const seen = viewer.socket.received.length;
    const keys = prototypeKeys();

    for (const name of INHERITED_NAMES) {
      for (const [event, payload] of attempts(name)) {
        const answer = (await call(host, event, payload)) as Ack<unknown>;
        const what = `${event} ${JSON.stringify(payload)}`;
        expect(refusal(answer)?.code, what).toMatch(/^(INVALID_PAYLOAD|NOT_FOUND)$/);
        expect(refusal(answer)?.message, what).toMatch(/\w.*\.$/);
      }
    }
    await settle();

    // No moderation of nothing, no post or reaction on nothing.
    expect(await logOf(roomId)).toEqual(before);
    expect(viewer.socket.received).toHaveLength(seen);
    expect(prototypeKeys()).toEqual(keys);
    const blank = {} as Record<string, unknown>;
    for (const key of ['polluted', 'mutedUntil', 'muteReason', 'banned', 'removed', 'role', 'speaker']) expect(blank[key], key).toBeUndefined();
    // Still up and still the same room.
    expect((await call(host, 'post:create', { id: nanoid(), parentId: null, body: 'still here' })).ok).toBe(true);
  });
});

describe('edits obey the rules of posting in that place', () => {
  async function room() {
    const { host, roomId } = await openRoom(server.url);
    const bea = await joinAs(server.url, roomId, 'Bea');
    const root = await post(host, 'the motion, argued');
    const reply = await post(bea.socket, 'my reply', root.id);
    const own = await post(bea.socket, 'my own thread');
    return { host, roomId, bea, root, reply, own };
  }

  it('a muted person cannot edit', async () => {
    const { host, bea, own } = await room();
    await ok(host, 'mod:member', { action: 'mute', memberId: bea.id, minutes: 10, reason: 'cool off' });
    const answer = await call(bea.socket, 'post:edit', { postId: own.id, body: 'sneaking it in' });
    expect(refusal(answer)).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/muted until .* \(cool off\)\./) });
  });

  it('in a locked thread, no edits', async () => {
    const { host, roomId, bea, root, reply } = await room();
    await ok(host, 'mod:post', { action: 'lock', postId: root.id });
    const before = await logOf(roomId);
    const answer = await call(bea.socket, 'post:edit', { postId: reply.id, body: 'rewritten after the lock' });
    expect(refusal(answer)).toEqual({ code: 'ROOM_LOCKED', message: 'This thread is locked; its posts cannot be edited.' });
    expect(await logOf(roomId)).toEqual(before);
  });

  it('in speakers-only mode, only speakers and moderators edit', async () => {
    const { host, bea, own } = await room();
    const hostPost = await post(host, 'mine to change');
    await ok(host, 'mod:room', { action: 'settings', settings: { postingMode: 'speakers' } });
    const answer = await call(bea.socket, 'post:edit', { postId: own.id, body: 'not a speaker' });
    expect(refusal(answer)).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/approved speakers may edit posts/) });
    await ok(host, 'post:edit', { postId: hostPost.id, body: 'the host may' });
    await ok(bea.socket, 'hand:set', { raised: true });
    await ok(host, 'mod:member', { action: 'approveSpeaker', memberId: bea.id });
    await ok(bea.socket, 'post:edit', { postId: own.id, body: 'now a speaker' });
  });

  it('under slow mode an edit counts as a post, and a retried edit is still fine', async () => {
    const { host, bea, own } = await room();
    await ok(host, 'mod:room', { action: 'settings', settings: { slowModeSeconds: 600 } });
    const answer = await call(bea.socket, 'post:edit', { postId: own.id, body: 'a whole new argument' });
    expect(refusal(answer)).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/Slow mode is on: you can edit again in \d+ s\./) });
    // The same text as now is not an edit: nothing to wait for.
    expect((await call(bea.socket, 'post:edit', { postId: own.id, body: 'my own thread' })).ok).toBe(true);
  });

  it('lowering a hand in a closed room is refused and writes nothing', async () => {
    const { host, roomId, bea } = await room();
    await ok(bea.socket, 'hand:set', { raised: true });
    await ok(host, 'mod:room', { action: 'close', reason: 'the debate is over' });
    const before = await logOf(roomId);
    const answer = await call(bea.socket, 'hand:set', { raised: false });
    expect(refusal(answer)).toMatchObject({ code: 'ROOM_LOCKED', message: expect.stringMatching(/closed/) });
    expect(await logOf(roomId)).toEqual(before);
  });
});

describe('control characters and direction overrides', () => {
  const NUL = '\u0000';
  const ESC = '\u001B';
  const CSI = '\u009B';
  const RLO = '\u202E';
  const RLI = '\u2067';

  it.each([
    ['NUL', NUL],
    ['ESC', ESC],
    ['a C1 control', CSI],
    ['a right-to-left override', RLO],
    ['a right-to-left isolate', RLI],
  ])('no single-line field takes %s', async (_what, char) => {
    const { host, roomId } = await openRoom(server.url);
    const { id: postId } = await post(host, 'target');
    const bea = await joinAs(server.url, roomId, 'Bea');
    const before = await logOf(roomId);
    const fresh = await connect(server.url);
    const tries: [TestSocket, ClientEventName, unknown][] = [
      [fresh, 'room:create', { title: `A room${char}`, motion: 'fine' }],
      [fresh, 'room:create', { title: 'A room', motion: `This house${char} believes` }],
      [fresh, 'room:join', { roomId, role: 'participant', name: `Eve${char}` }],
      [host, 'mod:member', { action: 'ban', memberId: bea.id, reason: `spam${char}` }],
      [host, 'mod:member', { action: 'mute', memberId: bea.id, minutes: 5, reason: `${char}calm down` }],
      [host, 'mod:post', { action: 'remove', postId, reason: `off topic${char}` }],
      [host, 'mod:room', { action: 'lock', reason: `break${char}` }],
      [bea.socket, 'report:create', { postId, reason: `rude${char}` }],
      [host, 'mod:room', { action: 'blockedTerms', terms: [{ term: `bad${char}word`, action: 'hold' }] }],
    ];
    for (const [socket, event, payload] of tries) {
      const answer = refusal((await call(socket, event, payload)) as Ack<unknown>);
      expect(answer?.code, `${event} ${JSON.stringify(payload)}`).toBe('INVALID_PAYLOAD');
      expect(answer?.issues?.[0]?.message, event).toMatch(/^[A-Z].*\.$/);
    }
    expect(await logOf(roomId)).toEqual(before);
  });

  it('a post keeps its newlines and tabs (and may be written right to left) but takes no other control character', async () => {
    const { host } = await openRoom(server.url);
    for (const char of [NUL, ESC, CSI, '\u0007', '\u007F']) {
      expect(refusal(await call(host, 'post:create', { id: nanoid(), parentId: null, body: `text${char}more` }))?.code).toBe('INVALID_PAYLOAD');
    }
    await ok(host, 'post:create', { id: nanoid(), parentId: null, body: 'line one\n\tline two\r\nline three' });
    await ok(host, 'post:create', { id: nanoid(), parentId: null, body: `${RLI}שלום${'\u2069'} and hello` });
  });

  it('the refusal is a plain sentence', async () => {
    const fresh = await connect(server.url);
    const answer = refusal(await call(fresh, 'room:create', { title: 'Fine', motion: `x${RLO}y` }));
    expect(answer?.message).toBe('That request is not valid (motion: Invisible direction controls (which can make text read in another order) are not allowed here.).');
  });
});

describe('display names that impersonate', () => {
  it.each([
    ['Greek Eta', 'Ηost'],
    ['Cyrillic о', 'Hоst'],
    ['a zero-width space', 'Host\u200B'],
    ['a zero-width space inside', 'Ho\u200Bst'],
    ['full-width letters', 'Ｈｏｓｔ'],
    ['a superscript s', 'Hoˢt'],
    ['a combining accent', 'Ho\u0301st'],
    ['capitals', 'HOST'],
    ['a zero for the o', 'H0st'],
  ])('joining as "Host" with %s is NAME_TAKEN, with a sentence', async (_what, name) => {
    const { roomId } = await openRoom(server.url);
    const before = await logOf(roomId);
    const eve = await connect(server.url);
    const answer = refusal(await call(eve, 'room:join', { roomId, role: 'participant', name }));
    expect(answer?.code).toBe('NAME_TAKEN');
    expect(answer?.message).toMatch(/^“.+” is taken in this room; choose another name\.$/);
    expect(await logOf(roomId)).toEqual(before);
  });

  it('a name that is only like itself joins, normalised as others will see it', async () => {
    const { roomId } = await openRoom(server.url);
    const eve = await joinAs(server.url, roomId, ' Ｅｖｅ\u200B  the   Bold ');
    expect(eve.joined.me.name).toBe('Eve the Bold');
    expect(eve.joined.snapshot.members[eve.id].name).toBe('Eve the Bold');
    const ghost = await joinAs(server.url, roomId, 'Ghost');
    expect(ghost.joined.me.name).toBe('Ghost');
  });
});

describe('hidden ballots', () => {
  it('nobody, host and moderators included, sees who chose what: not live, not on catching up, not in a snapshot', async () => {
    const { host, roomId, hostToken } = await openRoom(server.url);
    const mod = await joinAs(server.url, roomId, 'Mod');
    await ok(host, 'mod:member', { action: 'promote', memberId: mod.id });
    const modSocket = (await joinAs(server.url, roomId, null, mod.token)).socket;
    const voters = [await joinAs(server.url, roomId, 'Ann'), await joinAs(server.url, roomId, 'Ben')];
    const open = await ok(host, 'vote:manage', { action: 'open', vote: 'final', hideResults: true });
    await ok(voters[0].socket, 'vote:cast', { vote: 'final', choice: 'for' });
    const last = await ok(voters[1].socket, 'vote:cast', { vote: 'final', choice: 'against' });
    await ok(host, 'vote:cast', { vote: 'final', choice: 'undecided' });

    const casts = (socket: TestSocket) => socket.received.filter((event) => event.type === 'vote.cast');
    await until(() => casts(modSocket).length === 3 && casts(host).length === 3, 'the ballots live');
    for (const socket of [host, modSocket]) expect(casts(socket).map((event) => event.type === 'vote.cast' && event.choice)).toEqual(['', '', '']);

    // Catching up, as a moderator and as the host.
    for (const socket of [host, modSocket]) {
      const sync = await ok(socket, 'room:sync', { since: open.seq });
      expect(eventsOf(sync).filter((e) => e.type === 'vote.cast').map((e) => e.type === 'vote.cast' && e.choice)).toEqual(['', '', '']);
    }
    // A fresh snapshot, as the host (a new socket with the host's token) and as the moderator.
    for (const token of [hostToken, mod.token]) {
      const again = await connect(server.url);
      const joined = await ok(again, 'room:join', { roomId, role: 'participant', token });
      expect(Object.values(snapshotOf(joined.start).snapshot.votes.final!.ballots).sort()).toEqual(['', '', '']);
    }
    // Each voter still knows their own.
    expect(await ok(voters[1].socket, 'vote:mine', {})).toMatchObject({ ballots: { final: 'against' } });
    expect(await ok(host, 'vote:mine', {})).toMatchObject({ ballots: { final: 'undecided' } });

    // The close tells everyone the count, and still nobody how each voted.
    await ok(host, 'vote:manage', { action: 'close', vote: 'final' });
    await until(() => modSocket.received.some((event) => event.type === 'vote.closed'), 'the close live');
    expect(modSocket.received.find((event) => event.type === 'vote.closed')).toMatchObject({ tally: { for: 1, against: 1, undecided: 1 } });
    const late = await connect(server.url);
    const closed = snapshotOf((await ok(late, 'room:join', { roomId, role: 'participant', token: mod.token })).start).snapshot.votes.final!;
    expect(closed.tally).toEqual({ for: 1, against: 1, undecided: 1 });
    expect(Object.values(closed.ballots)).toEqual(['', '', '']);
    expect(last.seq).toBeGreaterThan(open.seq);
  });
});
