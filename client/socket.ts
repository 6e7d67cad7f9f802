import { io, type Socket } from 'socket.io-client';
import type { Ack, AckCallback } from '../shared/ack.js';
import type { ErrorCode, ErrorIssue } from '../shared/errors.js';
import type { ClientEventName, ClientToServerEvents, ServerToClientEvents } from '../shared/events.js';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type RequestPayload<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];
export type RequestData<E extends ClientEventName> =
  Parameters<ClientToServerEvents[E]>[1] extends AckCallback<infer T> ? T : never;

/** A refused or failed request: the server's code and plain sentence, or UNAVAILABLE when it never answered. */
export class RequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: ErrorIssue[] = [],
  ) {
    super(message);
    this.name = 'RequestError';
  }

  /** Worth sending again unchanged once the connection is back (writes carry ids, so retries are safe). */
  get retryable(): boolean {
    return this.code === 'UNAVAILABLE' || this.code === 'RATE_LIMITED' || this.code === 'NOT_JOINED';
  }
}

export const REQUEST_TIMEOUT_MS = 8_000;

let current: AppSocket | null = null;

/** The one socket of this page, created on first use against the page's own origin. */
export function useSocket(): AppSocket {
  // Quicker retries than the defaults (1 s, up to 5 s): a live room should come back within seconds.
  current ??= io({ path: '/socket.io', reconnectionDelay: 500, reconnectionDelayMax: 3_000 });
  return current;
}

/** Tests hand in their own socket (a real client to a test server, or a fake) before creating stores. */
export function setSocket(socket: AppSocket | null): void {
  current = socket;
}

/**
 * Sends one client event and resolves with the ack's data, or throws a RequestError.
 * While disconnected it fails at once instead of letting Socket.IO buffer the packet: a buffered
 * write would reach the new connection before the room is re-joined and be refused as NOT_JOINED.
 */
export async function request<E extends ClientEventName>(
  event: E,
  payload: RequestPayload<E>,
  { socket = useSocket(), timeoutMs = REQUEST_TIMEOUT_MS }: { socket?: AppSocket; timeoutMs?: number } = {},
): Promise<RequestData<E>> {
  if (!socket.connected) throw new RequestError('UNAVAILABLE', 'You are offline. It will be sent when the connection is back.');
  let ack: Ack<RequestData<E>>;
  try {
    // emitWithAck's overloads cannot follow a generic event name; the event maps above keep callers typed.
    const timed = socket.timeout(timeoutMs);
    const emit = timed.emitWithAck as unknown as (e: string, p: unknown) => Promise<Ack<RequestData<E>>>;
    ack = await emit.call(timed, event, payload);
  } catch {
    throw new RequestError('UNAVAILABLE', 'The server did not answer in time.');
  }
  if (!ack || typeof ack !== 'object') throw new RequestError('INTERNAL', 'The server sent an answer this page does not understand.');
  if (ack.ok) return ack.data;
  throw new RequestError(ack.error.code, ack.error.message, ack.error.issues);
}

/** Resolves once the socket is connected (at once if it is). */
export function whenConnected(socket: AppSocket = useSocket()): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve) => socket.once('connect', () => resolve()));
}

/** request() bound to one socket: what a store holds, so two stores in one test can use two sockets. */
export function requester(socket: AppSocket) {
  return <E extends ClientEventName>(event: E, payload: RequestPayload<E>) => request(event, payload, { socket });
}
export type Requester = ReturnType<typeof requester>;
