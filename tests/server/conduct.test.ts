import { nanoid } from 'nanoid';
import { describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/ack.js';
import type { RoomEvent } from '../../shared/room-events.js';
import { UNLIMITED } from '../../server/address-limits.js';
import { call, connect, ok, settle, until, type TestSocket } from '../helpers/client.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { eventsOf, opened, pageOf, snapshotOf } from '../helpers/snapshot.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';

const server = useTestServer();

const NOTE = 'Seen before under another name, NOTE-4f2a';
const refusal = async (socket: TestSocket, event: string, payload: unknown) => {
  const answer = (await call(socket, event as 'mod:conduct', payload)) as Ack<unknown>;
  return answer.ok ? 'ok' : answer.error.code;
};

/** A room with a host, a moderator (joined as one), a participant and a viewer. */
async function cast() {
  const { host, roomId, hostToken, hostId } = await openRoom(server.url);
  const mod = await joinAs(server.url, roomId, 'Mo');
  await ok(host, 'mod:member', { action: 'promote', memberId: mod.id });
  await ok(mod.socket, 'room:join', { roomId, role: 'participant', token: mod.token });
  const pat = await joinAs(server.url, roomId, 'Pat');
  const viewer = await joinAs(server.url, roomId, null);
  return { host, roomId, hostToken, hostId, mod, pat, viewer };
}

describe('notes on a person', () => {
  it('reach moderators only: never a participant or viewer in a frame, snapshot, catch-up, page, export or replay', async () => {
    const { host, roomId, mod, pat, viewer } = await cast();
    const { id: postId } = await post(pat.socket, 'a post of Pat’s');
    const before = (await server.store.load(roomId))!.seq;
    const { seq } = await ok(mod.socket, 'mod:conduct', { action: 'note', memberId: pat.id, note: NOTE });
    await until(() => viewer.socket.received.some((e) => e.seq === seq) && pat.socket.received.some((e) => e.seq === seq), 'the note’s seq reached everyone');
    await until(() => host.received.some((e) => e.seq === seq), 'the note reached the host');
    expect(host.received.find((e) => e.seq === seq)).toMatchObject({ type: 'member.noted', memberId: pat.id, note: NOTE });
    const outsiders = [{ ...pat, role: 'participant' as const }, { ...viewer, role: 'viewer' as const }];
    for (const who of outsiders) {
      const frame = who.socket.received.find((e) => e.seq === seq)!;
      // 1. Live frames: an empty husk keeps the seq.
      expect(frame).toMatchObject({ type: 'member.noted', memberId: '', noteId: '', note: '', actorId: '' });
      // 2. Snapshot (a fresh join).
      const again = opened(await ok(who.socket, 'room:join', { roomId, role: who.role, token: who.token }));
      expect(JSON.stringify(again.snapshot)).not.toContain('NOTE-4f2a');
      expect(again.snapshot.conduct?.notes).toEqual({});
      // 3. Catch-up.
      const synced = eventsOf(await ok(who.socket, 'room:sync', { since: before }));
      expect(synced.map((e) => e.seq)).toContain(seq);
      expect(JSON.stringify(synced)).not.toContain('NOTE-4f2a');
      // 4. Paging.
      expect(JSON.stringify(pageOf(await ok(who.socket, 'room:posts', { before: null })))).not.toContain('NOTE-4f2a');
      expect(JSON.stringify(pageOf(await ok(who.socket, 'room:posts', { postId })))).not.toContain('NOTE-4f2a');
      // 5. Replay.
      const history = await ok(who.socket, 'room:history', { from: 0 });
      expect(history.events.find((e: RoomEvent) => e.seq === seq)).toMatchObject({ memberId: '', note: '' });
      expect(JSON.stringify(history)).not.toContain('NOTE-4f2a');
    }
    // 6. Export: the public's, and a participant's with their own token.
    for (const headers of [{}, { authorization: `Bearer ${pat.token}` }] as Record<string, string>[]) {
      for (const kind of ['json', 'md']) {
        const res = await fetch(`${server.url}/api/rooms/${roomId}/export.${kind}`, { headers });
        expect(res.status).toBe(200);
        expect(await res.text()).not.toContain('NOTE-4f2a');
      }
    }
    // Moderators read it everywhere.
    const modSnapshot = opened(await ok(mod.socket, 'room:join', { roomId, role: 'participant', token: mod.token })).snapshot;
    expect(modSnapshot.conduct?.notes[pat.id]?.[0]?.text).toBe(NOTE);
    expect(JSON.stringify(await ok(mod.socket, 'room:history', { from: 0 }))).toContain('NOTE-4f2a');
  });

  it('only the host and moderators note or warn; a warning is in the public mod log with its reason', async () => {
    const { host, roomId, mod, pat, viewer } = await cast();
    const other = await joinAs(server.url, roomId, 'Other');
    for (const who of [pat.socket, viewer.socket]) {
      expect(await refusal(who, 'mod:conduct', { action: 'note', memberId: other.id, note: 'x' })).toBe('FORBIDDEN');
      expect(await refusal(who, 'mod:conduct', { action: 'warn', memberId: other.id, reason: 'x' })).toBe('FORBIDDEN');
    }
    expect(await refusal(mod.socket, 'mod:conduct', { action: 'warn', memberId: mod.id, reason: 'x' })).toBe('FORBIDDEN');
    const { seq } = await ok(mod.socket, 'mod:conduct', { action: 'warn', memberId: pat.id, reason: 'personal attacks' });
    await until(() => viewer.socket.received.some((e) => e.seq === seq), 'the warning live');
    const state = opened(await ok(viewer.socket, 'room:join', { roomId, role: 'viewer' })).snapshot;
    expect(state.modLog.at(-1)).toMatchObject({ action: 'member.warned', memberId: pat.id, reason: 'personal attacks' });
    expect(state.conduct?.warnings[pat.id]?.[0]?.reason).toBe('personal attacks');
    expect((await server.store.load(roomId))!.seq).toBe(seq);
    void host;
  });
});

describe('appeals', () => {
  it('one per action per person; another moderator accepts and the mute is lifted; the one who muted may not decide', async () => {
    const { host, roomId, mod, pat, viewer } = await cast();
    await ok(mod.socket, 'mod:member', { action: 'mute', memberId: pat.id, minutes: 30, reason: 'cool off' });
    const standing = await ok(pat.socket, 'room:standing', {});
    expect(standing.appealable).toMatchObject({ kind: 'mute', reason: 'cool off' });
    const first = await ok(pat.socket, 'appeal:create', { sanctionSeq: standing.appealable!.seq, text: 'I was quoting someone' });
    const again = await ok(pat.socket, 'appeal:create', { sanctionSeq: standing.appealable!.seq, text: 'Please!' });
    expect(again.seq).toBe(first.seq);
    expect(await refusal(pat.socket, 'appeal:create', { sanctionSeq: standing.appealable!.seq + 1, text: 'x' })).toBe('NOT_FOUND');
    // A fresh identity has nothing to appeal; a viewer neither.
    const fresh = await joinAs(server.url, roomId, 'Fresh');
    expect(await refusal(fresh.socket, 'appeal:create', { sanctionSeq: standing.appealable!.seq, text: 'lift Pat' })).toBe('FORBIDDEN');
    expect(await refusal(viewer.socket, 'appeal:create', { sanctionSeq: standing.appealable!.seq, text: 'lift Pat' })).toBe('FORBIDDEN');
    // Only the appellant and moderators read the text.
    await until(() => viewer.socket.received.some((e) => e.seq === first.seq), 'the appeal live');
    expect(viewer.socket.received.find((e) => e.seq === first.seq)).toMatchObject({ type: 'appeal.filed', text: '' });
    const appealId = Object.keys((await server.store.load(roomId))!.conduct!.appeals)[0]!;
    expect((await ok(pat.socket, 'room:standing', {})).appeals[0]).toMatchObject({ id: appealId, text: 'I was quoting someone', status: 'open' });
    expect((await ok(fresh.socket, 'room:standing', {})).appeals).toEqual([]);
    // Who decides.
    expect(await refusal(pat.socket, 'mod:appeal', { action: 'accept', appealId, reason: '' })).toBe('FORBIDDEN');
    expect(await refusal(mod.socket, 'mod:appeal', { action: 'accept', appealId, reason: '' })).toBe('FORBIDDEN');
    const accepted = await ok(host, 'mod:appeal', { action: 'accept', appealId, reason: 'Fair enough' });
    const state = (await server.store.load(roomId))!;
    expect(state.members[pat.id]!.mutedUntil).toBeNull();
    expect(state.modLog.at(-1)).toMatchObject({ seq: accepted.seq, action: 'appeal.accepted', memberId: pat.id, reason: 'Fair enough' });
    expect((await ok(pat.socket, 'room:standing', {})).appeals[0]).toMatchObject({ status: 'accepted', reason: 'Fair enough' });
    // Decided: a second decision changes nothing.
    expect((await ok(host, 'mod:appeal', { action: 'decline', appealId, reason: 'no' })).seq).toBe(accepted.seq);
  });

  it('a banned person appeals with their token without joining, reads the decline, and a new identity cannot', async () => {
    const { host, roomId, mod, pat } = await cast();
    await ok(mod.socket, 'mod:member', { action: 'ban', memberId: pat.id, reason: 'trolling', removePosts: false, coverNetwork: false });
    await until(() => !pat.socket.connected, 'Pat disconnected');
    const outside = await connect(server.url);
    const as = { roomId, token: pat.token };
    const standing = await ok(outside, 'room:standing', as);
    expect(standing).toMatchObject({ banned: true, appealable: { kind: 'ban', reason: 'trolling' } });
    expect(await refusal(outside, 'appeal:create', { sanctionSeq: standing.appealable!.seq, text: 'not a troll' })).toBe('NOT_JOINED');
    await ok(outside, 'appeal:create', { sanctionSeq: standing.appealable!.seq, text: 'not a troll', ...as });
    expect(await refusal(outside, 'appeal:create', { sanctionSeq: standing.appealable!.seq, text: 'x', roomId, token: 'another-token-0000000000' })).toBe('FORBIDDEN');
    const appealId = (await ok(outside, 'room:standing', as)).appeals[0]!.id;
    await ok(host, 'mod:appeal', { action: 'decline', appealId, reason: 'It was trolling' });
    expect((await ok(outside, 'room:standing', as)).appeals[0]).toMatchObject({ status: 'declined', reason: 'It was trolling' });
    expect((await server.store.load(roomId))!.members[pat.id]!.banned).toBe(true);
    expect(await refusal(host, 'mod:appeal', { action: 'decline', appealId, reason: '' })).toBe('INVALID_PAYLOAD');
  });

  describe('on a server where each address may appeal twice', () => {
    const limited = useTestServer({ addressRules: { ...UNLIMITED, appeals: { points: 2, seconds: 3_600 } } });
    it('are budgeted per address, whatever identity sends them', async () => {
      const { roomId } = await openRoom(limited.url);
      const answers: string[] = [];
      for (let i = 0; i < 3; i++) {
        const someone = await joinAs(limited.url, roomId, `Someone ${i}`);
        answers.push(await refusal(someone.socket, 'appeal:create', { sanctionSeq: 1, text: 'lift it' }));
      }
      expect(answers).toEqual(['FORBIDDEN', 'FORBIDDEN', 'RATE_LIMITED']);
    });
  });
});

describe('my own standing', () => {
  it('the author reads their removed text and the reason; nobody else gets it; the reporter is told the outcome', async () => {
    const { host, roomId, mod, pat, viewer } = await cast();
    const { id: removedId } = await post(pat.socket, 'REMOVED-TEXT-9x you are all clowns');
    const { id: keptId } = await post(pat.socket, 'a fair point');
    await ok(viewer.socket, 'report:create', { postId: removedId, reason: 'insult' });
    await ok(viewer.socket, 'report:create', { postId: keptId, reason: 'spam' });
    await ok(mod.socket, 'mod:post', { action: 'remove', postId: removedId, reason: 'Personal attack' });
    await ok(mod.socket, 'mod:reports', { postId: keptId, reason: 'Not spam' });
    expect((await ok(pat.socket, 'room:standing', {})).removed).toEqual([{ postId: removedId, body: 'REMOVED-TEXT-9x you are all clowns', reason: 'Personal attack', at: expect.any(Number) }]);
    const theirs = await ok(viewer.socket, 'room:standing', {});
    expect(JSON.stringify(theirs)).not.toContain('REMOVED-TEXT-9x');
    expect(theirs.reports.map((r) => [r.postId, r.outcome, r.publicReason, r.reason])).toEqual([
      [removedId, 'acted', 'Personal attack', 'insult'],
      [keptId, 'dismissed', 'Not spam', 'spam'],
    ]);
    const other = await joinAs(server.url, roomId, 'Other');
    expect(JSON.stringify(await ok(other.socket, 'room:standing', {}))).not.toContain('REMOVED-TEXT-9x');
    expect(JSON.stringify(opened(await ok(other.socket, 'room:join', { roomId, role: 'participant', token: other.token })).snapshot)).not.toContain('REMOVED-TEXT-9x');
    void host;
  });
});

describe('the guard', () => {
  it('shield mode: only moderators raise it; new participants paused, new members’ posts held; up and down in the mod log (slow mode and strict terms: tests/unit/conduct.test.ts)', async () => {
    const { host, roomId, mod, pat, viewer } = await cast();
    await ok(host, 'mod:room', { action: 'blockedTerms', terms: [{ term: 'clown', action: 'hold' }] });
    expect(await refusal(pat.socket, 'mod:guard', { shield: true })).toBe('FORBIDDEN');
    const early = await joinAs(server.url, roomId, 'Early');
    await ok(mod.socket, 'mod:guard', { shield: true });
    const raider = await connect(server.url);
    expect(await refusal(raider, 'room:join', { roomId, role: 'participant', name: 'Raider' })).toBe('ROOM_LOCKED');
    expect((await call(raider, 'room:join', { roomId, role: 'viewer' })).ok).toBe(true);
    // Joined within the lookback: new under shield, so held.
    const held = await ok(early.socket, 'post:create', { id: nanoid(), parentId: null, body: 'hello' });
    expect(held.held).toBe(true);
    // Strict: inside a word; and slow mode for everyone but moderators.
    const state = (await server.store.load(roomId))!;
    expect(Object.values(state.held).map((h) => h.why)).toEqual(['shield']);
    await ok(mod.socket, 'mod:guard', { shield: false });
    const lifted = (await server.store.load(roomId))!;
    expect(lifted.modLog.slice(-2).map((e) => e.detail)).toEqual([expect.stringMatching(/^shield mode on/), 'shield mode off']);
    expect((await call(raider, 'room:join', { roomId, role: 'participant', name: 'Raider' })).ok).toBe(true);
    void viewer;
  });

  it('dampening is the host’s: a wait after joining, then the first posts held', async () => {
    const { host, roomId, mod } = await cast();
    expect(await refusal(mod.socket, 'mod:guard', { newMemberHeldPosts: 1 })).toBe('FORBIDDEN');
    await ok(host, 'mod:guard', { newMemberHeldPosts: 1 });
    const newbie = await joinAs(server.url, roomId, 'Newbie');
    expect((await ok(newbie.socket, 'post:create', { id: nanoid(), parentId: null, body: 'first' })).held).toBe(true);
    await ok(host, 'mod:guard', { newMemberMinutes: 60 });
    expect(await refusal(newbie.socket, 'post:create', { id: nanoid(), parentId: null, body: 'second' })).toBe('RATE_LIMITED');
  });
});

describe('moderator handover', () => {
  it('“reviewing” reaches the other moderators only, is never logged, and only moderators send it', async () => {
    const { host, roomId, mod, pat, viewer } = await cast();
    const seen: { memberId: string; item: string | null }[] = [];
    const patSaw: unknown[] = [];
    host.on('room:reviewing', (signal) => seen.push(signal));
    pat.socket.on('room:reviewing', (signal) => patSaw.push(signal));
    const before = (await server.store.load(roomId))!.seq;
    await ok(mod.socket, 'mod:reviewing', { item: 'post:abcdefgh12' });
    await until(() => seen.length === 1, 'the host heard it');
    expect(seen[0]).toEqual({ memberId: mod.id, item: 'post:abcdefgh12' });
    expect(await refusal(pat.socket, 'mod:reviewing', { item: 'post:abcdefgh12' })).toBe('FORBIDDEN');
    expect(await refusal(viewer.socket, 'mod:reviewing', { item: null })).toBe('FORBIDDEN');
    await settle();
    expect(patSaw).toEqual([]);
    expect((await server.store.load(roomId))!.seq).toBe(before);
  });
});
