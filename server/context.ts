import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/events.js';
import type { RoomLog, RoomReader } from './room-log.js';
import type { Broadcaster } from './broadcaster.js';
import type { WriteMeter } from './router.js';
import type { SnapshotCache } from './snapshots.js';
import type { PresenceTracker } from './presence.js';
import type { LimitFactory } from './rate-limits.js';
import type { AddressLimits } from './address-limits.js';
import type { ReadCache } from './read-cache.js';
import type { ReadMeter } from './read-meter.js';
import type { SendBufferGuard } from './send-buffer.js';

/** What the server remembers about a socket: which room it joined and as whom. */
export interface SocketSession {
  roomId: string;
  /** The member id derived from the socket's token (viewers have one too, for votes). */
  memberId: string;
  joinedAs: 'participant' | 'viewer';
  /** This socket's address as the room's log keys it (see identity.ts addressKeyFor). */
  addressKey: string;
}

export interface SocketData {
  session?: SocketSession;
  /** Where the connection comes from (see client-address.ts): limits and bans count per address too. */
  address: string;
  /** The last typing signal relayed for this socket, to throttle renewals. */
  lastTyping?: { key: string; at: number };
  /** The last "reviewing" signal relayed for this socket, to throttle renewals (handlers/reviewing.ts). */
  lastReviewing?: { item: string | null; at: number };
}

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Everything a handler may use. */
export interface AppContext {
  io: AppServer;
  /** Reading rooms. */
  store: RoomReader;
  /** Appending to a room's log: persisted, then published (the only way in). */
  log: RoomLog;
  broadcaster: Broadcaster;
  presence: PresenceTracker;
  meter: WriteMeter;
  snapshots: SnapshotCache;
  /** Budgets per client address, whatever identity is used. */
  perAddress: AddressLimits;
  /** Encoded read answers (catch-ups, pages; the snapshots live there too), for reuse. */
  readCache: ReadCache;
  /** Every read is metered in requests and bytes, per identity and per address. */
  readMeter: ReadMeter;
  /** Drops sockets that stopped reading what they are sent. */
  sendBuffers: SendBufferGuard;
  /** Makes named rate limits (in Redis when configured, so they hold across nodes). */
  limits: LimitFactory;
  now: () => number;
}

/** The Socket.IO room every socket of a debate room is in. */
export const roomChannel = (roomId: string) => `room:${roomId}`;
/** The Socket.IO room of the sockets of a room's host and moderators: they get unredacted frames. */
export const modsChannel = (roomId: string) => `mods:${roomId}`;
/** The Socket.IO room of one member's sockets (all tabs and devices). */
export const memberChannel = (roomId: string, memberId: string) => `member:${roomId}:${memberId}`;
