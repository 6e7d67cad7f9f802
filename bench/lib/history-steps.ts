import { nanoid } from 'nanoid';
import { now, sleep } from './clock.js';
import { ackBody, RawSocket } from './raw-socket.js';
import { ServerUnderTest } from './servers.js';

export interface Started {
  server: ServerUnderTest;
  /** Spawn to listening (the process starting, tsx included). */
  wallMs: number;
  /** What the embedded store said opening took (it says so for a sizeable log), or NaN. */
  storeMs: number;
  rssMb: number;
}

/** The app on `dataDir`, started and measured once it listens and a moment has passed for its heap to settle. */
export async function startOn(dataDir: string, env: Record<string, string> = {}): Promise<Started> {
  const t0 = now();
  const server = await ServerUnderTest.start({ kind: 'app', dataDir, env });
  const wallMs = now() - t0;
  await sleep(1_000);
  const opened = /\[embedded store\] opened \d+ rooms[^]*? in (\d+) ms/.exec(server.log());
  return { server, wallMs, storeMs: opened ? Number(opened[1]) : NaN, rssMb: server.rssKb() / 1024 };
}

/** SIGTERM, as a deploy stops it: the store closes, writing its last checkpoint. */
export async function stopGracefully(server: ServerUnderTest): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await Promise.race([exited, sleep(60_000)]);
  }
  await server.stop();
}

/** Sends and fails loudly on a refusal. */
export async function must(socket: RawSocket, event: string, payload: unknown): Promise<{ data?: unknown; at: number; bytes: number }> {
  const frame = await socket.request(event, payload, 120_000);
  // A join's snapshot comes as a binary attachment: the JSON part is small either way.
  const body = ackBody<{ ok: boolean; data?: unknown; error?: { code: string; message: string } }>(frame);
  if (!body.ok) throw new Error(`${event} refused: ${body.error?.code} ${body.error?.message}`);
  return { data: body.data, at: frame.at, bytes: frame.bytes };
}

/** A fresh viewer's join, timed from the request to the whole answer (snapshot included). */
export async function timedJoin(url: string, roomId: string): Promise<{ ms: number; bytes: number }> {
  const socket = await RawSocket.open(url, 60_000);
  try {
    const t0 = now();
    const answer = await must(socket, 'room:join', { roomId, role: 'viewer' });
    return { ms: answer.at - t0, bytes: answer.bytes };
  } finally {
    socket.terminate();
  }
}

/**
 * `count` rooms opened through sockets as people open them: create, the host joins, two posts. `parallel`
 * sockets share the work; each leaves its last room when it closes, so every room ends idle.
 */
export async function openRooms(url: string, count: number, parallel = 16): Promise<string[]> {
  const roomIds: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      const socket = await RawSocket.open(url, 60_000);
      try {
        while (next < count) {
          next++;
          const created = (await must(socket, 'room:create', { title: `Idle room ${next}`, motion: 'This house would let it rest' })).data as { roomId: string; hostToken: string };
          await must(socket, 'room:join', { roomId: created.roomId, role: 'participant', name: 'Host', token: created.hostToken });
          for (const body of ['An opening argument that sets out the case.', 'A reply that takes it apart, point by point.']) {
            await must(socket, 'post:create', { id: nanoid(), parentId: null, body });
          }
          roomIds.push(created.roomId);
        }
      } finally {
        socket.terminate();
      }
    }),
  );
  return roomIds;
}
