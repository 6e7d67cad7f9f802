// Every screen folds the same room. A host, a moderator, three participants, a viewer, a late joiner
// and one who drops and comes back, each running the client's own stores (room store, LogFollower,
// outbox) on a real Socket.IO connection to the real server, go through a session that produces every
// kind of room event. At the end each one's state is the server's, as redacted for its audience, and
// everyone's "In the room" lists every member the server knows.
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientEventName } from '../../shared/events.js';
import { redactState, type Audience } from '../../shared/redact.js';
import type { RoomEventType } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import { onlineMembers } from '../../client/logic/presence-view.js';
import type { RequestData, RequestPayload } from '../../client/socket.js';
import { connect, ok, until } from '../helpers/client.js';
import { closeIsolatedBrowsers, openIsolatedBrowser, type IsolatedBrowser } from '../helpers/isolated-browser.js';
import { useTestServer } from '../helpers/use-test-server.js';

/**
 * Where the session below makes each kind of event. A new event type fails to typecheck here until
 * the session covers it, and the test fails if the session stops producing one.
 */
const COVERED = {
  'room.opened': 'the host opens the room',
  'member.joined': 'everyone joins',
  'post.created': 'posts and replies',
  'post.edited': 'Pat fixes a typo',
  'post.deleted': 'Quin deletes a post',
  'reaction.added': 'reactions',
  'reaction.removed': 'Pat takes a reaction back',
  'post.removed': 'Mo removes a post',
  'post.restored': 'the host restores one',
  'post.pinned': 'the host pins the opening',
  'post.unpinned': 'and unpins it',
  'thread.locked': 'Mo locks a thread',
  'thread.unlocked': 'and reopens it',
  'post.held': 'a blocked term holds two posts',
  'post.approved': 'Mo approves one',
  'post.rejected': 'and rejects the other',
  'member.muted': 'Quin is muted',
  'member.unmuted': 'and unmuted',
  'member.banned': 'a troll is banned with their posts',
  'member.unbanned': 'and unbanned',
  'member.promoted': 'Mo and Quin are promoted',
  'member.demoted': 'Quin is demoted',
  'hand.raised': 'Pat and Ria raise hands',
  'hand.lowered': 'Ria lowers hers',
  'hand.resolved': 'Pat is approved to speak',
  'speaker.revoked': 'and withdrawn',
  'room.settings': 'slow mode, speakers only',
  'room.blockedTerms': 'the host blocks a term',
  'room.locked': 'the room is locked',
  'room.unlocked': 'and unlocked',
  'room.closed': 'the host closes the room',
  'report.filed': 'the viewer and Ria report',
  'report.dismissed': 'Mo dismisses a report',
  'member.side': 'sides on the motion',
  'vote.opened': 'opening and final votes',
  'vote.cast': 'ballots, the viewer’s included',
  'vote.closed': 'both votes close',
  'mind.changed': 'Pat changed her mind',
  'phase.changed': 'phases with a countdown',
  'member.noted': 'Mo notes Ria',
  'member.warned': 'and warns her',
  'appeal.filed': 'Ria and Pat appeal their mutes',
  'appeal.accepted': 'the host accepts Ria’s',
  'appeal.declined': 'and declines Pat’s',
  'room.guard': 'Mo raises shield mode, and lifts it',
  'source.requested': 'the viewer and Ria ask Pat for a source',
  'steelman.confirmed': 'Pat confirms Quin’s steelman',
} satisfies Record<RoomEventType, string>;

const server = useTestServer();
afterEach(closeIsolatedBrowsers);

/** A request from this browser's own socket, as its stores send them; throws on a refusal. */
async function act<E extends ClientEventName>(browser: IsolatedBrowser, event: E, payload: RequestPayload<E>): Promise<RequestData<E>> {
  const answer = await (browser.socket as any).timeout(5_000).emitWithAck(event, payload);
  if (!answer.ok) throw new Error(`${event} refused: ${answer.error.code} ${answer.error.message}`);
  return answer.data;
}

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('every client folds the same room', () => {
  it('host, moderator, three participants, a viewer, a late joiner and a reconnecting one end with the server’s state for their audience', async () => {
    // --- Everyone arrives ---
    const host = await openIsolatedBrowser(server.url);
    await until(() => host.socket.connected, 'the host connected');
    const { roomId, hostToken } = await act(host, 'room:create', { title: 'Consistency', motion: 'This house believes every screen agrees' });
    host.session.rememberHost(roomId, hostToken);
    host.room.open(roomId);
    await host.room.join('participant', 'Ada');

    const join = async (name: string | null) => {
      const browser = await openIsolatedBrowser(server.url);
      browser.room.open(roomId);
      await browser.room.join(name ? 'participant' : 'viewer', name ?? undefined);
      return browser;
    };
    const mo = await join('Mo');
    const pat = await join('Pat');
    const quin = await join('Quin');
    const ria = await join('Ria');
    const vic = await join(null);
    const dee = await join('Dee');
    const troll = await connect(server.url);
    const trollId = (await ok(troll, 'room:join', { roomId, role: 'participant', name: 'Troll' })).me.id!;
    const live = () => [host, mo, pat, quin, ria, vic, dee].filter((b) => b.socket.connected);
    const id = (b: IsolatedBrowser) => b.session.me!.id!;

    // --- The host sets up; Mo becomes a moderator (and refreshes into the moderators' view) ---
    await act(host, 'mod:member', { action: 'promote', memberId: id(mo) });
    await until(() => mo.moderation.isMod && mo.room.ready, 'Mo refreshed as a moderator');
    await act(host, 'mod:room', { action: 'blockedTerms', terms: [{ term: 'tankie', action: 'hold' }] });
    await act(host, 'phase:set', { phase: 'opening', minutes: 10 });
    const opening = host.room.submitPost('Cars in centres cost lives.', null);
    await until(() => host.room.pending.length === 0, 'the opening confirmed');
    await act(host, 'mod:post', { action: 'pin', postId: opening.id });
    for (const [b, side] of [[pat, 'against'], [quin, 'for'], [ria, 'undecided'], [dee, 'for']] as const) await act(b, 'side:set', { side });
    await act(host, 'vote:manage', { action: 'open', vote: 'initial', hideResults: true });
    for (const [b, choice] of [[pat, 'against'], [vic, 'undecided'], [quin, 'for'], [dee, 'for']] as const) await act(b, 'vote:cast', { vote: 'initial', choice });
    await act(host, 'vote:manage', { action: 'close', vote: 'initial' });
    await act(host, 'phase:set', { phase: 'open', minutes: null });

    // --- The open floor ---
    await act(pat, 'post:create', { id: 'pat-reply-0001', parentId: opening.id, body: 'Buses need the rode space too.', stance: 'rebut' });
    await act(pat, 'post:edit', { postId: 'pat-reply-0001', body: 'Buses need the road space too.' });
    await act(quin, 'post:create', { id: 'quin-post-0001', parentId: null, body: 'Second thoughts, deleting this.' });
    await act(quin, 'post:delete', { postId: 'quin-post-0001' });
    await act(ria, 'post:create', { id: 'ria-quote-0001', parentId: 'pat-reply-0001', body: 'Which buses?', quote: { postId: 'pat-reply-0001', start: 0, end: 5 } });
    await ok(troll, 'post:create', { id: 'troll-post-001', parentId: null, body: 'Everyone here is a clown.' });
    await ok(troll, 'post:create', { id: 'troll-post-002', parentId: opening.id, body: 'Still clowns.' });
    await act(mo, 'reaction:set', { postId: 'pat-reply-0001', emoji: '👍', on: true });
    await act(pat, 'reaction:set', { postId: opening.id, emoji: '🔥', on: true });
    await act(pat, 'reaction:set', { postId: opening.id, emoji: '🔥', on: false });
    await act(vic, 'report:create', { postId: 'troll-post-001', reason: 'Personal attack' });
    await act(ria, 'report:create', { postId: 'pat-reply-0001', reason: 'Off topic' });
    await act(mo, 'mod:reports', { postId: 'pat-reply-0001', reason: 'It is on topic' });
    // Common ground: a steelman confirmed, sources asked for and given, and a change of side that moves reactions.
    await act(host, 'mod:room', { action: 'settings', settings: { steelman: true } });
    await act(quin, 'post:create', { id: 'quin-steel-001', parentId: 'pat-reply-0001', body: 'Your point, as I understand it: buses need lanes.\n\nBikes need them more.', stance: 'rebut' });
    await act(pat, 'steelman:confirm', { postId: 'quin-steel-001' });
    await act(vic, 'source:request', { postId: 'pat-reply-0001' });
    await act(ria, 'source:request', { postId: 'pat-reply-0001' });
    await act(pat, 'post:edit', { postId: 'pat-reply-0001', body: 'Buses need the road space too: https://example.org/buses' });
    await act(quin, 'reaction:set', { postId: 'pat-reply-0001', emoji: '👍', on: true });
    await act(ria, 'reaction:set', { postId: 'quin-steel-001', emoji: '❤️', on: true });
    await act(ria, 'side:set', { side: 'against' });
    await until(() => live().every((b) => b.room.state?.posts['troll-post-001']), 'the troll’s post reached everyone');

    // Dee drops off here and misses what follows, writing a reply while away.
    dee.socket.io.reconnection(false);
    dee.socket.io.engine.close();
    await until(() => !dee.socket.connected, 'Dee disconnected');
    expect(dee.room.presenceLive).toBe(false);
    expect(onlineMembers(dee.room.presence, dee.room.presenceLive, dee.room.state!.members).size).toBe(0); // unknown, not all green
    const offline = dee.room.submitPost('Written on the train.', opening.id);

    await act(mo, 'mod:post', { action: 'remove', postId: 'pat-reply-0001', reason: 'Off topic' });
    await act(host, 'mod:post', { action: 'restore', postId: 'pat-reply-0001' });
    await act(mo, 'mod:member', { action: 'ban', memberId: trollId, reason: 'Harassment', removePosts: true, coverNetwork: false });
    await until(() => live().every((b) => b.room.state?.members[trollId]?.banned), 'the ban reached everyone');
    for (const b of live()) expect(onlineMembers(b.room.presence, b.room.presenceLive, b.room.state!.members).has(trollId)).toBe(false);
    await act(host, 'mod:member', { action: 'unban', memberId: trollId });
    await act(mo, 'mod:post', { action: 'lock', postId: 'pat-reply-0001' });
    await act(mo, 'mod:post', { action: 'unlock', postId: 'pat-reply-0001' });
    await act(host, 'mod:post', { action: 'unpin', postId: opening.id });
    await act(ria, 'post:create', { id: 'ria-held-00001', parentId: null, body: 'Spoken like a tankie.' });
    await act(ria, 'post:create', { id: 'ria-held-00002', parentId: null, body: 'Another tankie take.' });
    await act(mo, 'mod:held', { postId: 'ria-held-00001', action: 'approve', reason: '' });
    await act(mo, 'mod:held', { postId: 'ria-held-00002', action: 'reject', reason: 'Name-calling' });
    await act(mo, 'mod:member', { action: 'mute', memberId: id(quin), minutes: 1, reason: 'Cool off' });
    await act(mo, 'mod:member', { action: 'unmute', memberId: id(quin) });
    await act(host, 'mod:member', { action: 'promote', memberId: id(quin) });
    await until(() => quin.moderation.isMod && quin.room.ready, 'Quin refreshed as a moderator');
    await act(host, 'mod:member', { action: 'demote', memberId: id(quin) });
    await until(() => !quin.moderation.isMod && quin.room.ready && quin.room.state?.members[id(quin)].role === 'participant', 'Quin back in the public view');

    // The host hides moderators' names for a while, then shows them again (everyone's copy follows both ways).
    await act(host, 'mod:room', { action: 'settings', settings: { showModNames: false } });
    await act(mo, 'mod:post', { action: 'pin', postId: 'ria-held-00001' });
    await act(mo, 'mod:post', { action: 'remove', postId: 'ria-quote-0001', reason: 'Off topic' });
    await act(host, 'mod:room', { action: 'settings', settings: { showModNames: true } });

    // Approved speakers only, for a while.
    await act(mo, 'mod:room', { action: 'settings', settings: { postingMode: 'speakers', slowModeSeconds: 5 } });
    await act(pat, 'hand:set', { raised: true });
    await act(ria, 'hand:set', { raised: true });
    await act(ria, 'hand:set', { raised: false });
    await act(mo, 'mod:member', { action: 'approveSpeaker', memberId: id(pat) });
    await act(mo, 'mod:member', { action: 'revokeSpeaker', memberId: id(pat) });
    await act(mo, 'mod:room', { action: 'settings', settings: { postingMode: 'everyone', slowModeSeconds: 0 } });
    // Notes, a warning, appeals (one accepted, one declined), shield mode up and down.
    await act(mo, 'mod:conduct', { action: 'note', memberId: id(ria), note: 'Third jab tonight; warned once before' });
    await act(mo, 'mod:conduct', { action: 'warn', memberId: id(ria), reason: 'Personal attacks' });
    for (const b of [ria, pat]) {
      await act(mo, 'mod:member', { action: 'mute', memberId: id(b), minutes: 10, reason: 'Cool off' });
      const { appealable } = await act(b, 'room:standing', {});
      await act(b, 'appeal:create', { sanctionSeq: appealable!.seq, text: `${b.session.me!.name} was quoting someone` });
    }
    const appealOf = (b: IsolatedBrowser) => Object.values(host.room.state!.conduct!.appeals).find((a) => a.memberId === id(b))!.id;
    await until(() => Object.keys(host.room.state?.conduct?.appeals ?? {}).length === 2, 'both appeals reached the host');
    await act(host, 'mod:appeal', { action: 'accept', appealId: appealOf(ria), reason: 'Fair enough' });
    await act(host, 'mod:appeal', { action: 'decline', appealId: appealOf(pat), reason: 'It was not a quote' });
    await act(mo, 'mod:member', { action: 'unmute', memberId: id(pat) });
    await act(mo, 'mod:guard', { shield: true });
    await act(mo, 'mod:guard', { shield: false });
    await act(mo, 'mod:room', { action: 'lock', reason: 'A breather' });
    await act(host, 'mod:room', { action: 'unlock' });

    // --- A late joiner, then Dee comes back ---
    const late = await join('Lou');
    dee.socket.io.reconnection(true);
    dee.socket.connect();
    await until(() => dee.room.ready && dee.room.pending.length === 0, 'Dee caught up and her offline reply sent', 8_000);

    // --- Closing ---
    await act(host, 'phase:set', { phase: 'closing', minutes: 5 });
    await act(host, 'vote:manage', { action: 'open', vote: 'final', hideResults: false });
    for (const [b, choice] of [[pat, 'for'], [vic, 'for'], [quin, 'for'], [late, 'against']] as const) await act(b, 'vote:cast', { vote: 'final', choice });
    await act(pat, 'mind:changed', { postId: opening.id });
    await act(host, 'vote:manage', { action: 'close', vote: 'final' });
    await act(host, 'phase:set', { phase: 'ended', minutes: null });
    await act(host, 'mod:room', { action: 'close', reason: 'Thank you all' });

    // --- Everyone settles on the server's seq ---
    const truth = (await server.store.load(roomId))!;
    const everyone = [host, mo, pat, quin, ria, vic, dee, late];
    await until(() => everyone.every((b) => b.room.state?.seq === truth.seq && b.room.pending.length === 0), 'everyone at the last seq', 8_000);

    // The session made every kind of event.
    const made = new Set((await server.store.eventsSince(roomId, 0, 10_000))!.map((event) => event.type));
    expect([...made].sort()).toEqual(Object.keys(COVERED).sort());
    expect(truth.posts[offline.id]?.body).toBe('Written on the train.');

    const audience = (b: IsolatedBrowser): Audience => (b.moderation.isMod ? 'moderators' : 'public');
    expect(everyone.map(audience)).toEqual(['moderators', 'moderators', 'public', 'public', 'public', 'public', 'public', 'public']);
    const names = Object.values(truth.members).map((m) => m.name).sort();
    for (const b of everyone) {
      const expected: RoomState = plain(redactState(truth, audience(b)));
      expect({ who: b.session.me?.name ?? 'viewer', state: plain(b.room.state) }).toEqual({ who: b.session.me?.name ?? 'viewer', state: expected });
      // "In the room" lists every member the server knows.
      expect(Object.values(b.room.state!.members).map((m) => m.name).sort()).toEqual(names);
    }
  }, 60_000);
});
