import type { Presence } from '../shared/schemas/presence.js';
import type { AppServer } from './sockets.js';
import { roomChannel } from './channels.js';

const ROOM_CHANNEL_PREFIX = roomChannel('');

/**
 * This node's own part of each room's presence, kept up as sockets join and leave the room's channel (the
 * adapter announces both, whatever made them: a join, a rejoin elsewhere, a ban, a disconnect). Nothing is
 * kept per viewer: viewers are the channel's sockets that are not members', and the channel's size is the
 * adapter's. Only members' sockets are remembered (socket id → member id), for the online list.
 * Counting a room is then O(its online members), never a walk over its sockets.
 */
export class LocalPresence {
  private readonly memberSockets = new Map<string, Map<string, string>>();

  constructor(
    private readonly io: AppServer,
    private readonly changed: (roomId: string) => void,
  ) {
    const adapter = io.of('/').adapter;
    adapter.on('join-room', (channel: string, socketId: string) => {
      const roomId = roomOf(channel);
      if (roomId === null) return;
      // The session is set before the socket joins its channels (room-join.ts).
      const session = io.of('/').sockets.get(socketId)?.data.session;
      if (session && session.roomId === roomId && session.joinedAs !== 'viewer') {
        let sockets = this.memberSockets.get(roomId);
        if (!sockets) this.memberSockets.set(roomId, (sockets = new Map()));
        sockets.set(socketId, session.memberId);
      }
      changed(roomId);
    });
    adapter.on('leave-room', (channel: string, socketId: string) => {
      const roomId = roomOf(channel);
      if (roomId === null) return;
      const sockets = this.memberSockets.get(roomId);
      if (sockets?.delete(socketId) && sockets.size === 0) this.memberSockets.delete(roomId);
      changed(roomId);
    });
  }

  /** Whether any socket of this node follows the room (someone here to tell). */
  has(roomId: string): boolean {
    return this.io.of('/').adapter.rooms.has(roomChannel(roomId));
  }

  counts(roomId: string): Presence {
    const inChannel = this.io.of('/').adapter.rooms.get(roomChannel(roomId))?.size ?? 0;
    const members = this.memberSockets.get(roomId);
    return { viewers: inChannel - (members?.size ?? 0), online: members ? [...new Set(members.values())] : [] };
  }
}

function roomOf(channel: string): string | null {
  return channel.startsWith(ROOM_CHANNEL_PREFIX) ? channel.slice(ROOM_CHANNEL_PREFIX.length) : null;
}
