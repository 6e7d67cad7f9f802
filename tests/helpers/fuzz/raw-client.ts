import WebSocket from 'ws';
import type { Frame } from './frames.js';

/**
 * A hand-driven Engine.IO v4 websocket: whatever the test writes goes to the server as it is, and
 * whatever comes back is kept as text frames, so a test can read Socket.IO acks (`43<id>[answer]`).
 */
export interface RawSocket {
  send(frame: Frame): void;
  /** Text frames from the server, in order. */
  received: string[];
  closed: Promise<void>;
  isClosed(): boolean;
  close(): void;
}

export async function openRaw(port: number): Promise<RawSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
  const received: string[] = [];
  let closed = false;
  const closing = new Promise<void>((resolve) => ws.once('close', () => ((closed = true), resolve())));
  // A junk frame may end the connection with an error on our side too (a 1009, a reset): that is a close.
  ws.on('error', () => {});
  ws.on('message', (data, isBinary) => {
    if (!isBinary) received.push(data.toString());
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    send(frame) {
      if (ws.readyState !== WebSocket.OPEN) return;
      if ('text' in frame) ws.send(frame.text);
      else ws.send(frame.binary, { binary: true });
    },
    received,
    closed: closing,
    isClosed: () => closed,
    close: () => ws.terminate(),
  };
}

/** Resolves when `check` passes or the socket closes, whichever comes first; false on a timeout. */
export async function waitFor(socket: RawSocket, check: () => boolean, ms = 3_000): Promise<boolean> {
  const start = Date.now();
  while (!check() && !socket.isClosed()) {
    if (Date.now() - start > ms) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

/** The Engine.IO open packet, then the Socket.IO connect to '/': after it, events reach the router. */
export async function connectRaw(port: number): Promise<RawSocket> {
  const socket = await openRaw(port);
  if (!(await waitFor(socket, () => socket.received.some((m) => m.startsWith('0{')))) || socket.isClosed()) throw new Error('no Engine.IO open packet');
  socket.send({ text: '40' });
  if (!(await waitFor(socket, () => socket.received.some((m) => m.startsWith('40')))) || socket.isClosed()) throw new Error('no Socket.IO connect');
  return socket;
}

/** Socket.IO acks among the received frames: `43<id>[answer]` on the main namespace. */
export function acksIn(received: string[]): { id: string; answer: unknown }[] {
  const acks: { id: string; answer: unknown }[] = [];
  for (const frame of received) {
    const match = /^43([0-9e+.]*)(\[.*)$/s.exec(frame);
    if (match) acks.push({ id: match[1], answer: (JSON.parse(match[2]) as unknown[])[0] });
  }
  return acks;
}

/** One long-polling request: the handshake GET, or a POST of `body` to a session. */
export async function poll(url: string, query: string, init?: { body: string | Uint8Array; contentType?: string }): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}/socket.io/?${query}`, {
    method: init ? 'POST' : 'GET',
    body: init ? (init.body as BodyInit) : undefined,
    headers: init ? { 'content-type': init.contentType ?? 'text/plain;charset=UTF-8' } : undefined,
  });
  return { status: response.status, text: await response.text() };
}
