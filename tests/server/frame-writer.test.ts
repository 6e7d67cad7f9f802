// FrameWriter writes a finished websocket frame straight to each socket it can, and sends through Socket.IO
// to the rest. What a client receives must not depend on the path: the same event, in the same order as
// everything else sent to it, over websocket and long-polling alike.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FrameWriter } from '../../server/frame-writer.js';
import type { AppServer } from '../../server/sockets.js';
import type { RoomEvent } from '../../shared/room-events.js';

let http: HttpServer;
let io: AppServer;
let url: string;
const clients: ClientSocket[] = [];

beforeEach(async () => {
  http = createServer();
  io = new Server(http) as unknown as AppServer;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await new Promise((resolve) => io.close(resolve));
});

/** A connected client and its server-side socket id; `heard` lists what it received, in order. */
async function client(transports: ('websocket' | 'polling')[]) {
  const socket = connectClient(url, { transports, forceNew: true, reconnection: false });
  clients.push(socket);
  const heard: unknown[][] = [];
  socket.onAny((...args: unknown[]) => heard.push(args));
  const serverId = new Promise<string>((resolve) => io.once('connection', (server) => resolve(server.id)));
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
  return { socket, heard, id: await serverId };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
};

const events = [{ type: 'post.created', seq: 7, at: 1, post: { id: 'p1', body: 'Ünïcode & "quotes" ✓' } }] as unknown as RoomEvent[];

describe('FrameWriter', () => {
  it('websocket clients get the frame written directly, polling clients through Socket.IO, both the same event', async () => {
    const writer = new FrameWriter(io);
    const ws = await client(['websocket']);
    const polling = await client(['polling']);
    writer.send([ws.id, polling.id, 'gone'], 'room:events', events, 'epoch-1');
    await until(() => ws.heard.length === 1 && polling.heard.length === 1);
    expect(writer.direct).toBe(1);
    expect(ws.heard).toEqual([['room:events', events, 'epoch-1']]);
    expect(polling.heard).toEqual(ws.heard);
  });

  it('an undefined epoch arrives as Socket.IO would send it', async () => {
    const writer = new FrameWriter(io);
    const ws = await client(['websocket']);
    const polling = await client(['polling']);
    writer.send([ws.id, polling.id], 'room:events', events, undefined);
    await until(() => ws.heard.length === 1 && polling.heard.length === 1);
    expect(ws.heard).toEqual(polling.heard);
  });

  it('a client that upgrades from polling to websocket gets every frame, in order, across the upgrade', async () => {
    const writer = new FrameWriter(io);
    const upgrading = await client(['polling', 'websocket']);
    const sent: string[] = [];
    for (let i = 0; i < 200 && (writer.direct < 20 || i < 20); i++) {
      sent.push(`e${i}`);
      writer.send([upgrading.id], 'room:events', events, `e${i}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await until(() => upgrading.heard.length === sent.length);
    expect(upgrading.heard.map((args) => args[2])).toEqual(sent);
    expect(upgrading.socket.io.engine.transport.name).toBe('websocket');
    expect(writer.direct).toBeGreaterThanOrEqual(20);
    expect(writer.direct).toBeLessThan(sent.length);
  });

  it('never overtakes packets Engine.IO still holds for the socket', async () => {
    const writer = new FrameWriter(io);
    const ws = await client(['websocket']);
    const server = io.of('/').sockets.get(ws.id)!;
    // The first goes to the transport, which is then busy until it drains: the second waits in Engine.IO's buffer.
    server.emit('room:events', [], 'first');
    server.emit('room:events', [], 'second');
    writer.send([ws.id], 'room:events', events, 'third');
    await until(() => ws.heard.length === 3);
    expect(ws.heard.map((args) => args[2])).toEqual(['first', 'second', 'third']);
    expect(writer.direct).toBe(0);
    // Once drained, the fast path is open again.
    writer.send([ws.id], 'room:events', events, 'fourth');
    await until(() => ws.heard.length === 4);
    expect(writer.direct).toBe(1);
  });
});
