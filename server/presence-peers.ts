import type { Server } from 'socket.io';
import { z } from 'zod';
import type { Presence } from '../shared/schemas/presence.js';
import type { AppServer } from './sockets.js';

/**
 * What one node tells the others about its own sockets: per room, its viewers and online members. Sent when
 * a room's part changes and, for every room it has a part in, again each refresh: a node that stops
 * refreshing (it died, or lost Redis) stops counting once `ttlMs` has passed. A part of zero is dropped at once.
 */
const Counts = z.object({
  node: z.string().max(64),
  ttlMs: z.number().int().positive().max(3_600_000),
  rooms: z.array(z.tuple([z.string().max(200), z.number().int().min(0), z.array(z.string().max(200))])),
});
type Counts = z.infer<typeof Counts>;

const EVENT = 'presence:counts';
interface PeerEvents {
  [EVENT]: (counts: Counts) => void;
}

/** Between nodes through the adapter (the Redis adapter's server-side emit): one message per node, not per socket. */
export function peerLink(io: AppServer) {
  const server = io as unknown as Server<Record<string, never>, Record<string, never>, PeerEvents>;
  return {
    send: (counts: Counts) => server.serverSideEmit(EVENT, counts),
    onCounts(handler: (counts: Counts) => void) {
      server.on(EVENT, (message: unknown) => {
        const parsed = Counts.safeParse(message);
        if (parsed.success) handler(parsed.data);
        else console.error('[presence] ignored a malformed message from another node');
      });
    },
  };
}

interface Part {
  viewers: number;
  online: string[];
  expiresAt: number;
}

/** The other nodes' parts of each room, each until it expires. */
export class PeerParts {
  private readonly rooms = new Map<string, Map<string, Part>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a node's message; returns the rooms whose total changed. */
  receive({ node, ttlMs, rooms }: Counts): string[] {
    const changed: string[] = [];
    const expiresAt = this.now() + ttlMs;
    for (const [roomId, viewers, online] of rooms) {
      const parts = this.rooms.get(roomId);
      const before = parts?.get(node);
      if (viewers === 0 && online.length === 0) {
        if (!before) continue;
        parts!.delete(node);
        if (parts!.size === 0) this.rooms.delete(roomId);
        changed.push(roomId);
        continue;
      }
      if (!before || before.viewers !== viewers || before.online.join() !== online.join()) changed.push(roomId);
      if (parts) parts.set(node, { viewers, online, expiresAt });
      else this.rooms.set(roomId, new Map([[node, { viewers, online, expiresAt }]]));
    }
    return changed;
  }

  /** Drops the parts of nodes that stopped refreshing; returns the rooms whose total changed. */
  expire(): string[] {
    const now = this.now();
    const changed: string[] = [];
    for (const [roomId, parts] of this.rooms) {
      const before = parts.size;
      for (const [node, part] of parts) if (part.expiresAt <= now) parts.delete(node);
      if (parts.size < before) changed.push(roomId);
      if (parts.size === 0) this.rooms.delete(roomId);
    }
    return changed;
  }

  /** This node's part plus every other node's: viewers summed, online members united. */
  total(roomId: string, mine: Presence): Presence {
    const parts = this.rooms.get(roomId);
    if (!parts) return mine;
    let viewers = mine.viewers;
    const online = new Set(mine.online);
    for (const part of parts.values()) {
      viewers += part.viewers;
      for (const memberId of part.online) online.add(memberId);
    }
    return { viewers, online: [...online] };
  }
}
