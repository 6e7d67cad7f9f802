// The debate store against the real server: my ballot in a hidden vote shows in every "browser" I am
// signed in from (the same token), live and after opening the room later, and in nobody else's.
import { afterEach, describe, expect, it } from 'vitest';
import { storage } from '../../client/storage.js';
import { useDebateStore } from '../../client/stores/debate.js';
import { useRoomStore } from '../../client/stores/room.js';
import { useSessionStore } from '../../client/stores/session.js';
import { connect, ok, until } from '../helpers/client.js';
import { useTestServer } from '../helpers/use-test-server.js';
import { closeBrowsers, openBrowser } from '../helpers/store-browser.js';

const server = useTestServer();
afterEach(closeBrowsers);

/** One browser tab. Tabs share one storage in Node: the same person, unless cleared. */
async function tab(roomId: string) {
  const socket = openBrowser(server.url);
  const room = useRoomStore();
  const debate = useDebateStore();
  const session = useSessionStore();
  room.open(roomId); // everyone arrives watching, or as they last joined
  await until(() => room.ready, 'joined');
  return { socket, room, debate, session };
}

describe('my ballot in a hidden vote, in every tab of mine', () => {
  it('shows in my other tab live, in a tab opened later, after a reconnect, and in no one else’s', async () => {
    storage.clearMemory();
    const host = await connect(server.url);
    const { roomId, hostToken } = await ok(host, 'room:create', { title: 'Ballots', motion: 'This house would hide the votes' });
    await ok(host, 'room:join', { roomId, role: 'participant', name: 'Host', token: hostToken });

    const first = await tab(roomId);
    const second = await tab(roomId); // same storage: joins with the same token
    expect(second.session.me!.id).toBe(first.session.me!.id);
    await ok(host, 'vote:manage', { action: 'open', vote: 'final', hideResults: true });
    await until(() => !!second.debate.votes.final, 'the vote live');

    await first.debate.castVote('final', 'against');
    expect(first.debate.myBallot('final')).toBe('against');
    await until(() => second.debate.myBallot('final') === 'against', 'my ballot in my other tab');
    expect(second.room.state!.votes.final!.ballots).toEqual({ [first.session.me!.id!]: '' });

    const later = await tab(roomId);
    await until(() => later.debate.myBallot('final') === 'against', 'my ballot in a tab opened later');

    // A reconnect asks again: a change made while this tab was offline shows once it is back.
    second.socket.disconnect();
    await first.debate.castVote('final', 'for');
    second.socket.connect();
    await until(() => second.debate.myBallot('final') === 'for', 'the change after a reconnect');

    storage.clearMemory(); // a different person
    const someoneElse = await tab(roomId);
    expect(someoneElse.session.me!.id).not.toBe(first.session.me!.id);
    await until(() => someoneElse.debate.votes.final !== undefined, 'the vote');
    expect(someoneElse.debate.myBallot('final')).toBe(null);
    expect(Object.values(someoneElse.room.state!.votes.final!.ballots)).toEqual(['']);

    await ok(host, 'vote:manage', { action: 'close', vote: 'final' });
    for (const each of [first, second, later, someoneElse]) await until(() => each.debate.tally('final')?.for === 1, 'the result for all');
    expect(later.debate.myBallot('final')).toBe('for');
    expect(someoneElse.debate.myBallot('final')).toBe(null);
  });
});
