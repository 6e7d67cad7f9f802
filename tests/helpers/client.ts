import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../../shared/ack.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events.js';
import type { RoomEvent } from '../../shared/room-events.js';
import type { Presence } from '../../shared/schemas/presence.js';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents> & {
  /** Every room event this socket received, in arrival order. */
  received: RoomEvent[];
  presence: Presence[];
};

const open: TestSocket[] = [];

/**
 * A real socket.io-client socket that records what the server sends it. `from` poses as another client
 * address (an X-Forwarded-For header, believed by a server that trusts 127.0.0.1 as its proxy); `headers`
 * sets any others.
 */
export async function connect(url: string, opts: { from?: string; headers?: Record<string, string> } = {}): Promise<TestSocket> {
  const extraHeaders = opts.from ? { ...opts.headers, 'x-forwarded-for': opts.from } : opts.headers;
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders }) as TestSocket;
  socket.received = [];
  socket.presence = [];
  socket.on('room:events', (events) => socket.received.push(...events));
  socket.on('room:presence', (presence) => socket.presence.push(presence));
  open.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

export function disconnectAll(): void {
  for (const socket of open.splice(0)) socket.disconnect();
}

type Payload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
type Answer<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1] extends (ack: infer A) => void ? A : never;

/** Emit and wait for the ack, whatever it says. */
export function call<E extends keyof ClientToServerEvents>(socket: TestSocket, event: E, payload: Payload<E> | unknown): Promise<Answer<E>> {
  return (socket as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<Answer<E>> } })
    .timeout(5_000)
    .emitWithAck(event, payload);
}

/** Emit, expect ok, return the data. */
export async function ok<E extends keyof ClientToServerEvents>(socket: TestSocket, event: E, payload: Payload<E>) {
  const answer = (await call(socket, event, payload)) as Ack<unknown>;
  if (!answer.ok) throw new Error(`${event} failed: ${answer.error.code} ${answer.error.message}`);
  return answer.data as Answer<E> extends Ack<infer T> ? T : never;
}

/** Wait until `check` passes (for events that arrive asynchronously). */
export async function until(check: () => boolean, what = 'condition', ms = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Give the server time to broadcast anything it was going to (for "nothing was broadcast" checks). */
export const settle = (ms = 150) => new Promise((resolve) => setTimeout(resolve, ms));
