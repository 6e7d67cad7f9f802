// The room's one clock (client/logic/room-clock.ts) under a fake clock: a mute, a slow-mode wait or a
// phase countdown ends at the same instant for the host, a viewer and the person concerned, with no
// event, and every view (the muted tag, the host's Mute/Unmute offer, countdowns, the rule) agrees.
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import type { Me } from '../../shared/events.js';
import { isMuted } from '../../shared/permissions.js';
import { memberItems } from '../../client/components/moderation/moderation-items.js';
import { useCountdown } from '../../client/composables/useCountdown.js';
import { useNow } from '../../client/composables/useNow.js';
import { setSocket, type AppSocket } from '../../client/socket.js';
import { storage } from '../../client/storage.js';
import { DEADLINE_HEARTBEAT_MS } from '../../client/logic/room-clock.js';
import { useModerationStore } from '../../client/stores/moderation.js';
import { usePermissionsStore } from '../../client/stores/permissions.js';
import { useRoomStore } from '../../client/stores/room.js';
import { joinAnswer } from '../helpers/snapshot.js';
import { ScriptedSocket, scriptedLog } from '../helpers/scripted-socket.js';

const ROOM = 'room-clock001';
const HOST = 'member-host';
const BEA = 'member-bea01';
const VIEWER = 'viewer-vic01';
const T0 = Date.parse('2031-03-14T12:00:00Z');

let log: ReturnType<typeof scriptedLog>;
const browsers: { socket: ScriptedSocket; room: ReturnType<typeof useRoomStore> }[] = [];

/** One page: its own socket and Pinia, joined as `me` against the scripted log. */
async function page(me: Me) {
  const socket = new ScriptedSocket();
  socket.script = (event) => {
    if (event === 'room:join') return { ok: true, data: joinAnswer(log.snapshot(), me) };
    if (event === 'room:sync') return { ok: true, data: { kind: 'events', events: [] } };
    return { ok: true, data: { seq: log.events.length } };
  };
  setSocket(socket as unknown as AppSocket);
  setActivePinia(createPinia());
  const room = useRoomStore();
  const mod = useModerationStore();
  const permissions = usePermissionsStore();
  room.open(ROOM);
  await room.join(me.role === 'viewer' ? 'viewer' : 'participant', me.name ?? undefined);
  browsers.push({ socket, room });
  return { socket, room, mod, permissions };
}

/** The server logs an event and broadcasts it to every page. */
function broadcast(draft: any, at = Date.now()) {
  const event = log.append(draft, at);
  for (const { socket } of browsers) socket.fire('room:events', [event]);
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  storage.clearMemory();
  log = scriptedLog(ROOM, HOST, T0);
  log.append({ type: 'member.joined', actorId: BEA, name: 'Bea', role: 'participant' });
});
afterEach(() => {
  for (const { room } of browsers.splice(0)) room.leave();
  setSocket(null);
  vi.useRealTimers();
});

describe('one clock for everyone on the page', () => {
  it('a mute ends at once for the host, a viewer and the muted person; the host is offered Mute again', async () => {
    const host = await page({ id: HOST, role: 'host', name: 'Host' });
    const viewer = await page({ id: VIEWER, role: 'viewer', name: null });
    const bea = await page({ id: BEA, role: 'participant', name: 'Bea' });
    const until = Date.now() + 60_000;
    broadcast({ type: 'member.muted', actorId: HOST, memberId: BEA, until, reason: 'cool off' });
    await vi.advanceTimersByTimeAsync(0);

    const views = () => [host, viewer, bea].map(({ room, mod }) => isMuted(room.state!.members[BEA], mod.ruleNow));
    const offer = () => memberItems(host.mod, host.permissions, host.room.state!.members[BEA], host.mod.ruleNow).map((item) => item.key);
    expect(views()).toEqual([true, true, true]);
    expect(bea.permissions.can('post.create')).toBe(false);
    expect(offer()).toContain('unmute');

    await vi.advanceTimersByTimeAsync(59_999);
    expect(views()).toEqual([true, true, true]);
    await vi.advanceTimersByTimeAsync(1);
    // No event: each page's clock alone ends it, at the mute's own instant.
    expect(views()).toEqual([false, false, false]);
    expect(bea.mod.muted).toBe(false);
    expect(bea.permissions.can('post.create')).toBe(true);
    expect(offer()).toContain('mute');
    expect(offer()).not.toContain('unmute');
  });

  it('a mute that arrives already over (the server’s clock is behind) reads as over everywhere in the same turn', async () => {
    const host = await page({ id: HOST, role: 'host', name: 'Host' });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    broadcast({ type: 'member.muted', actorId: HOST, memberId: BEA, until: Date.now() - 1_000, reason: '' });
    expect(isMuted(host.room.state!.members[BEA], host.mod.ruleNow)).toBe(false);
    expect(memberItems(host.mod, host.permissions, host.room.state!.members[BEA], host.mod.ruleNow).map((item) => item.key)).toContain('mute');
  });

  it('catches up within a heartbeat when the wall clock jumps past a deadline without its timer firing (a laptop that slept)', async () => {
    const host = await page({ id: HOST, role: 'host', name: 'Host' });
    broadcast({ type: 'member.muted', actorId: HOST, memberId: BEA, until: Date.now() + 30 * 60_000, reason: '' });
    vi.setSystemTime(Date.now() + 31 * 60_000); // time passed, but no timer ran
    expect(isMuted(host.room.state!.members[BEA], host.mod.ruleNow)).toBe(true);
    await vi.advanceTimersByTimeAsync(DEADLINE_HEARTBEAT_MS);
    expect(isMuted(host.room.state!.members[BEA], host.mod.ruleNow)).toBe(false);
  });

  it('the phase countdown and relative times read the same clock, tick only while shown, and stop after the end', async () => {
    const viewer = await page({ id: VIEWER, role: 'viewer', name: null });
    const endsAt = Date.now() + 3_500;
    broadcast({ type: 'phase.changed', actorId: HOST, phase: 'opening', endsAt });
    const scope = effectScope();
    const { left, label } = scope.run(() => useCountdown(ref(endsAt)))!;
    const now = scope.run(() => useNow())!;
    expect(label.value).toBe('0:04');
    await vi.advanceTimersByTimeAsync(500);
    expect(label.value).toBe('0:03'); // steps on the end's own second boundaries
    expect(now.value).toBe(viewer.room.now);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(left.value).toBe(0);
    expect(viewer.room.ruleNow).toBeGreaterThanOrEqual(endsAt);
    scope.stop();
    await nextTick();
    expect(vi.getTimerCount()).toBe(0); // nothing shown, nothing pending: no timer
  });

  it('a room change starts the clock over; another page’s clock is its own', async () => {
    const host = await page({ id: HOST, role: 'host', name: 'Host' });
    const bea = await page({ id: BEA, role: 'participant', name: 'Bea' });
    broadcast({ type: 'member.muted', actorId: HOST, memberId: BEA, until: Date.now() + 60_000, reason: '' });
    host.room.leave();
    expect(host.room.state).toBeNull();
    await vi.advanceTimersByTimeAsync(60_000);
    // The page that left holds no deadline; the other still ended the mute on time.
    expect(bea.mod.muted).toBe(false);
    expect(bea.permissions.can('post.create')).toBe(true);
    expect(host.room.ruleNow).toBeLessThan(Date.now());
  });
});
