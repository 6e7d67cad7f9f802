import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../shared/room-events.js';
import { FanoutLane } from '../../server/fanout-lane.js';

const event = (seq: number): RoomEvent => ({ seq, type: 'reaction.added', at: seq, actorId: 'a', postId: 'p', emoji: '👍' }) as unknown as RoomEvent;
const seqs = (frames: { events: RoomEvent[]; socketIds: string[] }[]) =>
  Object.fromEntries(frames.flatMap((frame) => frame.socketIds.map((id) => [id, frame.events.map((e) => e.seq)])));
const nobodyModerates = () => false;

describe('a room’s fan-out lane', () => {
  it('gives each socket what it has not had, sharing a frame among sockets that stand at the same place', () => {
    const lane = new FanoutLane(null);
    lane.hold(event(1), event(1));
    lane.hold(event(2), event(2));
    expect(seqs(lane.framesFor(['a'], nobodyModerates))).toEqual({ a: [1, 2] });
    lane.hold(event(3), event(3));
    const frames = lane.framesFor(['a', 'b', 'c'], nobodyModerates);
    expect(seqs(frames)).toEqual({ a: [3], b: [1, 2, 3], c: [1, 2, 3] });
    expect(frames).toHaveLength(2);
    // Nothing new: nobody is sent anything.
    expect(lane.framesFor(['a', 'b', 'c'], nobodyModerates)).toEqual([]);
  });

  it('lets go only of what every socket still in the room has, and forgets sockets that left', () => {
    const lane = new FanoutLane(null);
    lane.hold(event(1), event(1));
    lane.hold(event(2), event(2));
    lane.framesFor(['a'], nobodyModerates);
    // b is in the room but was not visited: everything stays for it.
    expect(lane.settle(new Set(['a', 'b']), false)).toBe(false);
    expect(seqs(lane.framesFor(['b'], nobodyModerates))).toEqual({ b: [1, 2] });
    lane.hold(event(3), event(3));
    lane.framesFor(['b'], nobodyModerates);
    // a left before it had 3: nothing is kept for it, and it starts over if it comes back.
    expect(lane.settle(new Set(['b']), false)).toBe(true);
    expect(lane.holding).toBe(false);
    lane.hold(event(4), event(4));
    expect(seqs(lane.framesFor(['a', 'b'], nobodyModerates))).toEqual({ a: [4], b: [4] });
  });

  it('sends moderators their own variant only when a held event differs for them', () => {
    const lane = new FanoutLane(null);
    const held = event(1);
    const shown = { ...held, emoji: '' } as unknown as RoomEvent;
    const first = event(0);
    lane.hold(first, first);
    lane.framesFor(['m', 'p'], (id) => id === 'm');
    lane.hold(shown, held);
    const frames = lane.framesFor(['m', 'p'], (id) => id === 'm');
    expect(frames.find((f) => f.socketIds.includes('m'))!.events[0]).toBe(held);
    expect(frames.find((f) => f.socketIds.includes('p'))!.events[0]).toBe(shown);
    const after = event(2);
    lane.hold(after, after);
    // From here on nothing differs (the same object for both): one frame for both.
    expect(lane.framesFor(['m', 'p'], (id) => id === 'm')).toHaveLength(1);
  });

  it('keeps what the other nodes have not been sent', () => {
    const lane = new FanoutLane(null);
    lane.hold(event(1), event(1));
    expect(lane.takeRemote()?.shown.map((e) => e.seq)).toEqual([1]);
    lane.hold(event(2), event(2));
    lane.framesFor(['a'], nobodyModerates);
    expect(lane.settle(new Set(['a']), true)).toBe(false);
    expect(lane.takeRemote()?.shown.map((e) => e.seq)).toEqual([2]);
    expect(lane.takeRemote()).toBeNull();
    expect(lane.settle(new Set(['a']), true)).toBe(true);
  });
});
