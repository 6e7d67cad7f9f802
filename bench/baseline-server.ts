/**
 * The floor the app is measured against: bare Socket.IO 4.8 with the app's event names and payload shapes,
 * so the same generators drive both. It validates nothing, stores nothing and never coalesces: a join gets a
 * tiny snapshot, every write is numbered and re-broadcast to the room as its own `room:events` frame.
 * Whatever the app spends beyond this is the price of validation, the log, durability and snapshots.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { reportLoopDelayOnSignal } from '../server/loop-delay.js';
import { Server, type Socket } from 'socket.io';

interface Room {
  info: { id: string; title: string; motion: string; hostId: string; createdAt: number };
  seq: number;
}

const rooms = new Map<string, Room>();
const id = (bytes: number) => randomBytes(bytes).toString('base64url');
type Ack = (answer: unknown) => void;
const refuse = (ack: Ack, code: string, message: string) => ack({ ok: false, error: { code, message } });

const httpServer = createServer((_req, res) => res.writeHead(404).end());
// The app's options: no client bundle, frames bounded at 256 KiB.
const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 256 * 1024 });

function broadcast(socket: Socket, event: Record<string, unknown>, ack: Ack): void {
  const room = rooms.get(socket.data.roomId as string);
  if (!room || typeof ack !== 'function') return;
  const logged = { ...event, seq: ++room.seq, at: Date.now() };
  io.to(`room:${room.info.id}`).emit('room:events', [logged]);
  ack({ ok: true, data: { seq: logged.seq } });
}

io.on('connection', (socket) => {
  socket.on('room:create', (input: { title: string; motion?: string }, ack: Ack) => {
    const roomId = id(8);
    rooms.set(roomId, { info: { id: roomId, title: input.title, motion: input.motion ?? '', hostId: '', createdAt: Date.now() }, seq: 1 });
    ack({ ok: true, data: { roomId, hostToken: id(18) } });
  });

  socket.on('room:join', async (input: { roomId: string; role: string; name?: string; token?: string }, ack: Ack) => {
    const room = rooms.get(input.roomId);
    if (!room) return refuse(ack, 'NOT_FOUND', 'That room does not exist.');
    const token = input.token ?? id(18);
    socket.data.roomId = room.info.id;
    socket.data.memberId = token.slice(0, 16);
    await socket.join(`room:${room.info.id}`);
    const role = input.role === 'participant' ? 'participant' : 'viewer';
    ack({
      ok: true,
      data: {
        // The app's shape: the snapshot as bytes (a binary attachment), here with an empty room.
        start: { kind: 'snapshot', encoded: Buffer.from(JSON.stringify({ snapshot: { room: room.info, seq: room.seq, members: {}, posts: {}, postOrder: [] }, more: false })) },
        me: { id: socket.data.memberId, role, name: input.name ?? null },
        token,
      },
    });
  });

  socket.on('post:create', (input: { id: string; parentId?: string | null; body: string }, ack: Ack) =>
    broadcast(socket, { type: 'post.created', actorId: socket.data.memberId, postId: input.id, parentId: input.parentId ?? null, body: input.body }, ack));

  socket.on('reaction:set', (input: { postId: string; emoji: string; on: boolean }, ack: Ack) =>
    broadcast(socket, { type: input.on ? 'reaction.added' : 'reaction.removed', actorId: socket.data.memberId, postId: input.postId, emoji: input.emoji }, ack));

  // No log to catch up from; answering at once makes it the probe for event-loop lag seen from outside.
  socket.on('room:sync', (_input: unknown, ack: Ack) => typeof ack === 'function' && refuse(ack, 'INVALID_PAYLOAD', 'No log here.'));
});

const loopDelayNote = reportLoopDelayOnSignal();

httpServer.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`Baseline on http://localhost:${port}${loopDelayNote}`);
});
