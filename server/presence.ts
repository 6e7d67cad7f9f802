import { limits } from '../shared/limits.js';
import type { Presence } from '../shared/schemas/presence.js';
import type { AppServer } from './sockets.js';
import { roomChannel } from './channels.js';

/**
 * Live viewer count and online participants per room: ephemeral, broadcast, never logged.
 * Recomputed from the sockets in the room (across every node, through the adapter) at most once per
 * interval, so a burst of joins costs one broadcast.
 */
export class PresenceTracker {
  private timers = new Map<string, NodeJS.Timeout>();
  private lastSent = new Map<string, number>();
  /** What each room was last told, for a joiner to see at once instead of after the next interval. */
  private latest = new Map<string, Presence>();
  private closed = false;

  constructor(
    private readonly io: AppServer,
    private readonly intervalMs: number = limits.presenceIntervalMs,
  ) {}

  /** Something changed in this room: broadcast soon. */
  touch(roomId: string): void {
    if (this.closed || this.timers.has(roomId)) return;
    const since = Date.now() - (this.lastSent.get(roomId) ?? 0);
    const wait = Math.max(0, this.intervalMs - since);
    this.timers.set(
      roomId,
      setTimeout(() => {
        this.timers.delete(roomId);
        this.lastSent.set(roomId, Date.now());
        this.current(roomId)
          .then((presence) => {
            if (this.closed) return;
            if (presence.viewers === 0 && presence.online.length === 0) {
              this.lastSent.delete(roomId);
              this.latest.delete(roomId);
            } else this.latest.set(roomId, presence);
            this.io.to(roomChannel(roomId)).emit('room:presence', presence);
          })
          .catch((error) => console.error('[presence]', error));
      }, wait),
    );
  }

  /** The presence last broadcast to this room (the next broadcast will count whoever just came or went). */
  lastKnown(roomId: string): Presence | undefined {
    return this.latest.get(roomId);
  }

  async current(roomId: string): Promise<Presence> {
    const sockets = await this.io.in(roomChannel(roomId)).fetchSockets();
    let viewers = 0;
    const online = new Set<string>();
    for (const socket of sockets) {
      const session = socket.data.session;
      if (!session || session.roomId !== roomId) continue;
      if (session.joinedAs === 'viewer') viewers++;
      else online.add(session.memberId);
    }
    return { viewers, online: [...online] };
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
