// Moderation in the browser, without a browser: the queue as moderators see it, pinned posts first,
// mod log lines, and the store's countdowns and session signals on a fake clock with a scripted socket.
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Ack } from '../../shared/ack.js';
import type { Me } from '../../shared/events.js';
import { eventsAnswer, joinAnswer } from '../helpers/snapshot.js';
import { ScriptedSocket } from '../helpers/scripted-socket.js';
import type { RoomEvent } from '../../shared/room-events.js';
import { applyEvent, type ModLogEntry, type RoomState } from '../../shared/room-state.js';
import { setSocket, type AppSocket } from '../../client/socket.js';
import { storage } from '../../client/storage.js';
import { describeEntry, formatClock, lineText } from '../../client/logic/moderation-log.js';
import { buildQueue, groupReports, pinnedFirst } from '../../client/logic/moderation-queue.js';
import { useModerationStore } from '../../client/stores/moderation.js';
import { usePermissionsStore } from '../../client/stores/permissions.js';
import { useRoomStore } from '../../client/stores/room.js';

const ROOM = 'room-abcdef12';
const HOST = 'member-host';
const ME = 'member-me01';
const T0 = Date.parse('2031-03-14T12:00:00Z');

/** A room log folded with the shared reducer, like the server's; events at T0 + n ms unless given. */
function makeLog() {
  const events: RoomEvent[] = [];
  let state: RoomState | null = null;
  const append = (draft: any, at = T0 + events.length): RoomEvent => {
    const event = { ...draft, seq: events.length + 1, at } as RoomEvent;
    events.push(event);
    state = applyEvent(state, event);
    return event;
  };
  append({ type: 'room.opened', actorId: HOST, room: { id: ROOM, title: 'T', motion: 'M', hostId: HOST, createdAt: T0 } });
  append({ type: 'member.joined', actorId: HOST, name: 'Host', role: 'host' });
  append({ type: 'member.joined', actorId: ME, name: 'Me', role: 'participant' });
  return { events, append, state: () => state!, snapshot: () => structuredClone(state!) };
}


describe('the moderators’ queue', () => {
  it('groups open reports by post with counts and reasons (same reason, any case, counted once each), most reported first', () => {
    const log = makeLog();
    for (const id of ['post-aaaa1', 'post-bbbb1']) log.append({ type: 'post.created', actorId: ME, postId: id, parentId: null, body: `body of ${id}` });
    const report = (postId: string, reason: string, n: number) => log.append({ type: 'report.filed', actorId: `r${n}`, reportId: `report-${n}xxxx`, postId, reason });
    report('post-aaaa1', 'Spam', 1);
    report('post-bbbb1', 'Personal attack', 2);
    report('post-bbbb1', 'personal attack ', 3);
    report('post-bbbb1', 'Off topic', 4);
    const [first, second] = buildQueue(log.state()).reported;
    expect(first).toMatchObject({ postId: 'post-bbbb1', count: 3, author: { name: 'Me' }, reasons: [{ reason: 'Personal attack', count: 2 }, { reason: 'Off topic', count: 1 }] });
    expect(first.post?.body).toBe('body of post-bbbb1');
    expect(second).toMatchObject({ postId: 'post-aaaa1', count: 1, reasons: [{ reason: 'Spam', count: 1 }] });
  });

  it('puts the longest waiting first among equals, leaves out blank (public) reasons, and drops a removed post’s reports', () => {
    const log = makeLog();
    for (const id of ['post-aaaa1', 'post-bbbb1']) log.append({ type: 'post.created', actorId: ME, postId: id, parentId: null, body: id });
    log.append({ type: 'report.filed', actorId: 'r1', reportId: 'report-1xxxx', postId: 'post-bbbb1', reason: '' }, T0 + 100);
    log.append({ type: 'report.filed', actorId: 'r2', reportId: 'report-2xxxx', postId: 'post-aaaa1', reason: 'Spam' }, T0 + 200);
    expect(groupReports(Object.values(log.state().reports), log.state()).map((g) => [g.postId, g.reasons.length])).toEqual([
      ['post-bbbb1', 0],
      ['post-aaaa1', 1],
    ]);
    log.append({ type: 'post.removed', actorId: HOST, postId: 'post-bbbb1', reason: 'spam' });
    expect(buildQueue(log.state()).reported.map((g) => g.postId)).toEqual(['post-aaaa1']);
  });

  it('lists held posts oldest first with the term that held them; the badge counts posts, not reports', () => {
    const log = makeLog();
    log.append({ type: 'post.created', actorId: ME, postId: 'post-aaaa1', parentId: null, body: 'x' });
    log.append({ type: 'report.filed', actorId: 'r1', reportId: 'report-1xxxx', postId: 'post-aaaa1', reason: 'a' });
    log.append({ type: 'report.filed', actorId: 'r2', reportId: 'report-2xxxx', postId: 'post-aaaa1', reason: 'b' });
    log.append({ type: 'post.held', actorId: ME, postId: 'held-bbbb2', parentId: null, body: 'second', term: 'idiot' }, T0 + 500);
    log.append({ type: 'post.held', actorId: ME, postId: 'held-aaaa1', parentId: null, body: 'first', term: 'tankie' }, T0 + 400);
    const queue = buildQueue(log.state());
    expect(queue.held.map((h) => [h.held.body, h.held.term, h.author?.name])).toEqual([
      ['first', 'tankie', 'Me'],
      ['second', 'idiot', 'Me'],
    ]);
    expect(queue.count).toBe(3);
    log.append({ type: 'post.approved', actorId: HOST, postId: 'held-aaaa1', body: 'first' });
    expect(buildQueue(log.state()).count).toBe(2);
  });
});

describe('pinned posts first', () => {
  it('moves pinned items to the top, the latest pin first, and keeps the rest in their order', () => {
    const posts: any = { a: { pinnedAt: null }, b: { pinnedAt: 10 }, c: { pinnedAt: null }, d: { pinnedAt: 20 } };
    const items = ['a', 'b', 'c', 'd'].map((id) => ({ id }));
    expect(pinnedFirst(items, posts).map((i) => i.id)).toEqual(['d', 'b', 'a', 'c']);
    const none = [{ id: 'a' }, { id: 'c' }];
    expect(pinnedFirst(none, posts)).toBe(none);
  });
});

describe('mod log lines', () => {
  const log = makeLog();
  log.append({ type: 'post.created', actorId: ME, postId: 'post-aaaa1', parentId: null, body: 'x' });
  const entry = (e: Partial<ModLogEntry>): ModLogEntry => ({ seq: 9, at: T0, action: 'post.removed', actorId: HOST, ...e });

  it('say who did what to which post or person, why and the detail', () => {
    expect(lineText(describeEntry(entry({ postId: 'post-aaaa1', reason: 'Spam' }), log.state()))).toBe('Host removed a post by Me: Spam');
    expect(lineText(describeEntry(entry({ action: 'member.promoted', memberId: ME }), log.state()))).toBe('Host made Me a moderator');
    const banned = entry({ action: 'member.banned', memberId: ME, reason: 'Harassment', detail: 'and removed their posts' });
    expect(lineText(describeEntry(banned, log.state()))).toBe('Host banned Me (and removed their posts): Harassment');
  });

  it('say “A moderator” where the host hides names, and give a mute’s end in the reader’s own time', () => {
    const until = T0 + 15 * 60_000;
    const line = describeEntry(entry({ action: 'member.muted', actorId: '', memberId: ME, detail: `until ${new Date(until).toISOString()}` }), log.state(), T0);
    expect(line.who).toBe('A moderator');
    expect(line.detail).toBe(`until ${formatClock(until, T0)}`);
    const local = new Date(until);
    expect(formatClock(until, T0)).toBe(`${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`);
  });
});

describe('the moderation store (fake clock, scripted socket)', () => {
  let socket: ScriptedSocket;
  let log: ReturnType<typeof makeLog>;
  let me: Me;

  beforeEach(() => {
    vi.useFakeTimers({ now: T0 + 10_000 });
    storage.clearMemory();
    socket = new ScriptedSocket();
    setSocket(socket as unknown as AppSocket);
    setActivePinia(createPinia());
    log = makeLog();
    me = { id: ME, role: 'participant', name: 'Me' };
    socket.script = (event) => {
      if (event === 'room:join') return { ok: true, data: joinAnswer(log.snapshot(), me) };
      if (event === 'room:sync') return { ok: true, data: eventsAnswer([]) };
      return { ok: true, data: { seq: log.events.length } };
    };
  });
  afterEach(() => {
    useRoomStore().leave();
    setSocket(null);
    vi.useRealTimers();
  });

  async function joined() {
    const room = useRoomStore();
    const mod = useModerationStore();
    const permissions = usePermissionsStore();
    room.open(ROOM);
    await room.join('participant', 'Me');
    return { room, mod, permissions };
  }

  it('counts a slow-mode wait down by the second and lets me post again exactly when it ends', async () => {
    log.append({ type: 'room.settings', actorId: HOST, settings: { slowModeSeconds: 30 } });
    const { room, mod, permissions } = await joined();
    expect(mod.slowModeSecondsLeft).toBe(0);
    expect(permissions.can('post.create')).toBe(true);

    const posted = Date.now();
    socket.fire('room:events', [log.append({ type: 'post.created', actorId: ME, postId: 'post-mine01', parentId: null, body: 'hi' }, posted)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(mod.slowModeSecondsLeft).toBe(30);
    expect(permissions.can('post.create')).toBe(false);
    expect(permissions.reason('post.create')).toMatch(/Slow mode is on/);
    expect(mod.slowModeOnly).toBe(true); // the composer stays for the next draft

    await vi.advanceTimersByTimeAsync(1_000);
    expect(mod.slowModeSecondsLeft).toBe(29);
    await vi.advanceTimersByTimeAsync(28_999);
    expect(mod.slowModeSecondsLeft).toBe(1);
    expect(permissions.can('post.create')).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    // No event arrives when a wait ends: the clock alone brings the composer back.
    expect(mod.slowModeSecondsLeft).toBe(0);
    expect(permissions.can('post.create')).toBe(true);
    expect(mod.slowModeOnly).toBe(false);
    expect(vi.getTimerCount()).toBe(0); // and then it stops ticking
  });

  it('shows my mute until it ends, then lets me post and react again, with no event and no polling', async () => {
    const { room, mod, permissions } = await joined();
    const until = Date.now() + 5 * 60_000;
    log.append({ type: 'post.created', actorId: HOST, postId: 'post-host01', parentId: null, body: 'x' });
    socket.fire('room:events', log.events.slice(-1));
    socket.fire('room:events', [log.append({ type: 'member.muted', actorId: HOST, memberId: ME, until, reason: 'cool off' })]);
    await vi.advanceTimersByTimeAsync(0);
    const post = room.state!.posts['post-host01'];
    expect(mod.muted).toBe(true);
    expect(mod.muteEndsAt).toBe(until);
    expect(permissions.can('post.create')).toBe(false);
    expect(permissions.can('reaction.set', post)).toBe(false);
    expect(vi.getTimerCount()).toBe(1); // one wake-up at the end, not a tick a second

    await vi.advanceTimersByTimeAsync(5 * 60_000 - 10_001);
    expect(permissions.can('post.create')).toBe(false);
    await vi.advanceTimersByTimeAsync(10_001);
    expect(mod.muted).toBe(false);
    expect(permissions.can('post.create')).toBe(true);
    expect(permissions.can('reaction.set', post)).toBe(true);
  });

  it('session:ended shows the ban, and a later visit refused with FORBIDDEN says the same', async () => {
    const { room, mod } = await joined();
    socket.fire('session:ended', { reason: 'banned', message: 'You were banned from this room: spam' });
    expect(mod.banned).toBe('You were banned from this room: spam');

    // Next visit: a new page (new Pinia), the same browser (the same storage), refused on join.
    setActivePinia(createPinia());
    socket.script = () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'You were banned from this room.' } });
    const again = useRoomStore();
    const mod2 = useModerationStore();
    again.open(ROOM);
    await vi.advanceTimersByTimeAsync(0);
    expect(again.phase).toBe('failed');
    expect(mod2.banned).toBe('You were banned from this room: spam');
    void room;
  });

  it('session:refresh joins again and takes the new snapshot: a promoted member reads what moderators read', async () => {
    log.append({ type: 'post.created', actorId: HOST, postId: 'post-host01', parentId: null, body: 'x' });
    log.append({ type: 'report.filed', actorId: 'r1', reportId: 'report-1xxxx', postId: 'post-host01', reason: '' });
    const { room, mod } = await joined();
    expect(mod.isMod).toBe(false);
    expect(mod.queue.count).toBe(0);

    // The server promotes me, then tells my sockets to refresh; the moderators' snapshot has reasons.
    const promoted = log.append({ type: 'member.promoted', actorId: HOST, memberId: ME });
    socket.fire('room:events', [promoted]);
    const withReasons = log.snapshot();
    withReasons.reports['report-1xxxx'].reason = 'insult';
    me = { ...me, role: 'moderator' };
    const script = socket.script;
    socket.script = (event, payload) =>
      event === 'room:join' ? { ok: true, data: joinAnswer(withReasons, me) } : script(event, payload);
    const joins = () => socket.sent.filter((s) => s.event === 'room:join').length;
    const joinsBefore = joins(); // watching on arrival, then taking part
    socket.fire('session:refresh');
    await vi.advanceTimersByTimeAsync(0);
    expect(joins()).toBe(joinsBefore + 1);
    expect(mod.isMod).toBe(true);
    expect(mod.queue.reported[0].reasons).toEqual([{ reason: 'insult', count: 1 }]);
    expect(room.state!.members[ME].role).toBe('moderator');
  });

  it('sends each action as the contract says, and catches up if its event does not arrive', async () => {
    const { room, mod } = await joined();
    await mod.removePost('post-aaaa1', 'Spam');
    await mod.mute(HOST, 15, 'cool off');
    await mod.ban(HOST, 'alt', true);
    await mod.changeSettings({ slowModeSeconds: 30 });
    await mod.report('post-aaaa1', 'Off topic');
    expect(socket.sent.filter((s) => s.event !== 'room:join').map((s) => [s.event, s.payload])).toEqual([
      ['mod:post', { action: 'remove', postId: 'post-aaaa1', reason: 'Spam' }],
      ['mod:member', { action: 'mute', memberId: HOST, minutes: 15, reason: 'cool off' }],
      ['mod:member', { action: 'ban', memberId: HOST, reason: 'alt', removePosts: true, coverNetwork: true }],
      ['mod:room', { action: 'settings', settings: { slowModeSeconds: 30 } }],
      ['report:create', { postId: 'post-aaaa1', reason: 'Off topic' }],
    ]);
    expect(mod.reported.has('post-aaaa1')).toBe(true);

    // An acknowledged action whose event never came: after a moment the store asks for what it missed.
    log.append({ type: 'room.locked', actorId: HOST, reason: '' });
    await mod.lockRoom('');
    expect(socket.sent.some((s) => s.event === 'room:sync')).toBe(false);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(socket.sent.filter((s) => s.event === 'room:sync')).toEqual([{ event: 'room:sync', payload: { since: room.state!.seq } }]);
  });
});
