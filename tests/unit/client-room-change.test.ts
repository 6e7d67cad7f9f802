// Nothing of one room outlives it on the page: the thread's item objects and the unfolding of
// replies belong to the room they were made for, and start over in the next one.
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { buildChildIndex, createEntries } from '../../client/logic/thread-tree.js';
import { setSocket, type AppSocket } from '../../client/socket.js';
import { storage } from '../../client/storage.js';
import { useRoomStore } from '../../client/stores/room.js';
import { useThreadViewStore } from '../../client/stores/thread-view.js';
import { joinAnswer } from '../helpers/snapshot.js';
import { ScriptedSocket, scriptedLog } from '../helpers/scripted-socket.js';

const T0 = Date.parse('2031-03-14T12:00:00Z');
const HOST = 'member-host';

/** A room with one post of the same id in each, as two rooms of the same page would have. */
function roomWithPost(roomId: string) {
  const log = scriptedLog(roomId, HOST, T0);
  log.append({ type: 'post.created', actorId: HOST, postId: 'post-same01', parentId: null, body: `in ${roomId}` });
  return log;
}

describe('thread items', () => {
  it('are one object per post while a room lasts, and none is carried into the next room', () => {
    // The room store keeps one entry cache; it starts over whenever the state it was built for changes.
    const entries = createEntries();
    const first = roomWithPost('room-first01').state();
    const again = buildChildIndex(first, [], entries).get(null)![0];
    expect(buildChildIndex(first, [], entries).get(null)![0]).toBe(again);
    const next = roomWithPost('room-second1').state();
    expect(buildChildIndex(next, [], entries).get(null)![0]).not.toBe(again);
  });
});

describe('unfolding replies on a room change', () => {
  let frames: FrameRequestCallback[] = [];
  beforeEach(() => {
    frames = [];
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
    storage.clearMemory();
    const socket = new ScriptedSocket();
    const logs = { 'room-first01': roomWithPost('room-first01'), 'room-second1': roomWithPost('room-second1') };
    let current: keyof typeof logs = 'room-first01';
    socket.script = (event, payload) => {
      if (event === 'room:join') {
        current = payload.roomId;
        return { ok: true, data: joinAnswer(logs[current].snapshot(), { id: 'viewer-vic01', role: 'viewer', name: null }) };
      }
      return { ok: true, data: { kind: 'events', events: [] } };
    };
    setSocket(socket as unknown as AppSocket);
    setActivePinia(createPinia());
  });
  afterEach(() => {
    useRoomStore().leave();
    setSocket(null);
    vi.unstubAllGlobals();
  });

  it('drops the last room’s waiting turns and unfolds the next room’s posts afresh', async () => {
    const room = useRoomStore();
    const view = useThreadViewStore();
    room.open('room-first01');
    await vi.waitFor(() => expect(room.phase).toBe('joined'));
    view.unfolding.markUnfolded('post-same01');
    const turn = vi.fn(() => true);
    view.unfolding.unfoldLater('post-other1', turn);

    room.open('room-second1');
    await nextTick();
    await vi.waitFor(() => expect(room.phase).toBe('joined'));
    for (const frame of frames.splice(0)) frame(performance.now());
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(turn).not.toHaveBeenCalled();
    expect(view.unfolding.mayUnfoldLater('post-same01')).toBe(true);
  });
});
