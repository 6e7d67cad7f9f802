import { nanoid } from 'nanoid';
import { limits } from '../shared/limits.js';
import type { Presence } from '../shared/schemas/presence.js';
import type { AppServer } from './sockets.js';
import { roomChannel } from './channels.js';
import { LocalPresence } from './presence-local.js';
import { PeerParts, peerLink } from './presence-peers.js';

/** Another node's part of a room counts this long after it last said it: three refreshes, so one lost message is no gap. */
const PEER_EXPIRY_MS = 15_000;

export interface PresenceOptions {
  /** A room's presence is sent at most this often (ms). */
  intervalMs?: number;
  /** Several nodes share an adapter: each tells the others its own part of every room. */
  shared?: boolean;
  /** Another node's part counts this long after it last said it (ms); it repeats it every third of that. */
  expiryMs?: number;
}

/**
 * Live viewer count and online participants per room: ephemeral, never logged. Each node counts its own
 * sockets as they come and go (presence-local.ts), tells the other nodes its part when it changes and
 * again every refresh, and sums the parts it heard: a room's presence costs O(nodes) messages per
 * interval, never a walk over every socket of every node. Each node sends the total to its own sockets,
 * at most once per interval per room, so a burst of joins costs one frame each.
 */
export class PresenceTracker {
  private readonly node = nanoid(12);
  private readonly intervalMs: number;
  private readonly expiryMs: number;
  private readonly local: LocalPresence;
  private readonly peers = new PeerParts();
  private readonly link: ReturnType<typeof peerLink> | null;
  private timers = new Map<string, NodeJS.Timeout>();
  private lastSent = new Map<string, number>();
  /** What each room was last told, for a joiner to see at once instead of after the next interval. */
  private latest = new Map<string, Presence>();
  /** This node's part of each room as last told to the other nodes (rooms where it is zero are absent). */
  private told = new Map<string, Presence>();
  private refresh: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly io: AppServer,
    options: PresenceOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? limits.presenceIntervalMs;
    this.expiryMs = options.expiryMs ?? PEER_EXPIRY_MS;
    this.local = new LocalPresence(io, (roomId) => this.touch(roomId));
    this.link = options.shared ? peerLink(io) : null;
    if (this.link) {
      this.link.onCounts((counts) => {
        if (counts.node === this.node || this.closed) return;
        for (const roomId of this.peers.receive(counts)) if (this.local.has(roomId)) this.touch(roomId);
      });
      this.refresh = setInterval(() => this.refreshParts(), Math.max(10, Math.floor(this.expiryMs / 3)));
      this.refresh.unref();
    }
  }

  /** Something changed in this room: send soon. */
  touch(roomId: string): void {
    if (this.closed || this.timers.has(roomId)) return;
    const since = Date.now() - (this.lastSent.get(roomId) ?? 0);
    const wait = Math.max(0, this.intervalMs - since);
    this.timers.set(roomId, setTimeout(() => this.send(roomId), wait));
  }

  /** The presence last sent to this room (the next send will count whoever just came or went). */
  lastKnown(roomId: string): Presence | undefined {
    return this.latest.get(roomId);
  }

  private send(roomId: string): void {
    this.timers.delete(roomId);
    if (this.closed) return;
    this.lastSent.set(roomId, Date.now());
    const mine = this.local.counts(roomId);
    this.tellPeers(roomId, mine);
    if (!this.local.has(roomId)) {
      // Nobody here to tell; the next to come is told at once.
      this.lastSent.delete(roomId);
      this.latest.delete(roomId);
      return;
    }
    const presence = this.peers.total(roomId, mine);
    this.latest.set(roomId, presence);
    this.io.local.to(roomChannel(roomId)).emit('room:presence', presence);
  }

  /** Tells the other nodes this node's part of a room, if it changed since they last heard it. */
  private tellPeers(roomId: string, mine: Presence): void {
    if (!this.link) return;
    const before = this.told.get(roomId);
    const empty = mine.viewers === 0 && mine.online.length === 0;
    if (before ? before.viewers === mine.viewers && before.online.join() === mine.online.join() : empty) return;
    if (empty) this.told.delete(roomId);
    else this.told.set(roomId, mine);
    this.link.send({ node: this.node, ttlMs: this.expiryMs, rooms: [[roomId, mine.viewers, mine.online]] });
  }

  /** Every third of the expiry: this node's parts again (one message), and the parts of nodes gone quiet dropped. */
  private refreshParts(): void {
    if (this.told.size > 0) {
      this.link!.send({ node: this.node, ttlMs: this.expiryMs, rooms: [...this.told].map(([roomId, part]) => [roomId, part.viewers, part.online]) });
    }
    for (const roomId of this.peers.expire()) if (this.local.has(roomId)) this.touch(roomId);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (this.refresh) clearInterval(this.refresh);
    // Leaving on purpose: the other nodes stop counting this one at once rather than after the expiry.
    if (this.link && this.told.size > 0) {
      this.link.send({ node: this.node, ttlMs: this.expiryMs, rooms: [...this.told.keys()].map((roomId) => [roomId, 0, []]) });
    }
  }
}
