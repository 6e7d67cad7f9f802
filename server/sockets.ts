// The types of this server's sockets: what each remembers (its session, its address) and the events it speaks.

import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/events.js';

/** What the server remembers about a socket: which room it joined and as whom. */
export interface SocketSession {
  roomId: string;
  /** The member id derived from the socket's token (viewers have one too, for votes). */
  memberId: string;
  joinedAs: 'participant' | 'viewer';
  /** This socket's address as the room's log keys it (see identity.ts addressKeyFor). */
  addressKey: string;
}

interface SocketData {
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
