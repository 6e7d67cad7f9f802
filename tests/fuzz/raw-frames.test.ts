import fc from 'fast-check';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { nanoid } from 'nanoid';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { disconnectAll, ok, until, type TestSocket } from '../helpers/client.js';
import type { TestServer } from '../helpers/server.js';
import { openRoom } from '../helpers/fixtures.js';
import { fuzzOptions } from '../helpers/fuzz/arbitraries.js';
import { junkFrames, junkPollBody } from '../helpers/fuzz/frames.js';
import { guardProcess, type ProcessGuard } from '../helpers/fuzz/guards.js';
import { acksIn, connectRaw, openRaw, poll, waitFor, type RawSocket } from '../helpers/fuzz/raw-client.js';
import { expectHonestAnswer, startFuzzServer } from '../helpers/fuzz/scene.js';

/**
 * Junk below socket.io-client: hand-written Engine.IO / Socket.IO frames over a raw websocket, and
 * junk long-polling POSTs. Whatever arrives, the server answers honestly or closes that connection,
 * logs nothing into any room, lets nothing escape to the process, and keeps serving an honest
 * member in another room, whose post still goes out after every batch.
 */

let server: TestServer;
let guard: ProcessGuard;
let honest: { socket: TestSocket; roomId: string };
/** The room junk may join as a viewer (never the honest member's). */
let junkRoomId: string;
let logPath: string;
const honestRooms = new Set<string>();
const sent = { frames: 0, polls: 0 };

beforeAll(async () => {
  server = await startFuzzServer();
  logPath = join(server.dataDir, 'rooms.log');
});
beforeEach(async () => {
  const { host, roomId } = await openRoom(server.url);
  honest = { socket: host, roomId };
  junkRoomId = (await openRoom(server.url, 'Where junk may look on')).roomId;
  honestRooms.add(roomId).add(junkRoomId);
  guard = guardProcess();
});
afterEach(() => {
  guard.stop();
  disconnectAll();
});
afterAll(async () => {
  console.log(`[fuzz] raw: ${sent.frames} websocket frames, ${sent.polls} long-polling requests`);
  await server.close();
});

/** The honest member posts and hears its post; the log grew by that one line and nothing else. */
async function expectHonestMemberServed(logSizeBefore: number): Promise<void> {
  const id = nanoid();
  await ok(honest.socket, 'post:create', { id, parentId: null, body: 'still here' });
  await until(() => honest.socket.received.some((event) => event.type === 'post.created' && event.postId === id), 'the honest post to be broadcast');
  const added = (await readFile(logPath, 'utf8')).slice(logSizeBefore).trim().split('\n');
  expect(added.map((line) => JSON.parse(line) as [string, { type: string; postId?: string }]).map(([room, event]) => [room, event.type, event.postId])).toEqual([
    [honest.roomId, 'post.created', id],
  ]);
}

const BARRIER = '42777["vote:mine",{}]';

describe('fuzzing raw Engine.IO / Socket.IO frames', () => {
  it('websocket frames: every answer honest, else the connection closes; nothing logged; still serving', async () => {
    const connectFirst = fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
    const batch = fc.noBias(fc.record({ connectFirst, frames: junkFrames }));
    await fc.assert(
      fc.asyncProperty(batch, async ({ connectFirst, frames }) => {
        guard.reset();
        const logSize = (await stat(logPath)).size;
        const raw: RawSocket = connectFirst ? await connectRaw(server.port) : await openRaw(server.port);
        try {
          for (const frame of frames) raw.send('text' in frame ? { text: frame.text.replaceAll('@room', junkRoomId) } : frame);
          // On '/' this is answered (NOT_JOINED); after a frame that broke the stream it closes the connection.
          raw.send({ text: BARRIER });
          sent.frames += frames.length + 1;
          const settled = await waitFor(raw, () => acksIn(raw.received).some((ack) => ack.id === '777'));
          expect(settled, `neither answered nor closed after ${raw.received.length} frames back`).toBe(true);
          if (process.env.FUZZ_TRACE) console.log(raw.isClosed() ? "closed" : "open", JSON.stringify(frames.map((f) => ("text" in f ? f.text.slice(0, 50) : `bin${f.binary.length}`))).slice(0, 200), raw.received.slice(1).map((m) => m.slice(0, 80)).join(" | "));
          for (const { id, answer } of acksIn(raw.received)) expectHonestAnswer(answer as never, `ack ${id.slice(0, 20)}`);
        } finally {
          raw.close();
        }
        await expectHonestMemberServed(logSize);
        guard.check();
      }),
      fuzzOptions(120),
    );
  }, 90_000);

  it('long-polling POSTs with junk bodies, to real, bogus and missing sessions', async () => {
    const query = fc.constantFrom('session', 'EIO=4&transport=polling', 'EIO=4&transport=polling&sid=nosuchsession', 'EIO=3&transport=polling', 'EIO=5&transport=polling', 'EIO=4&transport=flashsocket', 'EIO=4&transport=polling&sid=__proto__');
    const request = fc.noBias(fc.record({ query, body: junkPollBody, binary: fc.boolean() }));
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 4 }), async (requests) => {
        guard.reset();
        const logSize = (await stat(logPath)).size;
        for (const { query, body, binary } of requests) {
          let target: string = query;
          if (query === 'session') {
            const handshake = await poll(server.url, 'EIO=4&transport=polling');
            const sid = (JSON.parse(handshake.text.slice(1)) as { sid: string }).sid;
            target = `EIO=4&transport=polling&sid=${sid}`;
          }
          const answer = await poll(server.url, target, binary ? { body: new TextEncoder().encode(body), contentType: 'application/octet-stream' } : { body });
          sent.polls++;
          expect(answer.status, `${target} ${body.slice(0, 60)}`).toBeGreaterThanOrEqual(200);
        }
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
        await expectHonestMemberServed(logSize);
        guard.check();
      }),
      fuzzOptions(40),
    );
  }, 90_000);

  it('a well-formed raw client is still served after all that', async () => {
    const raw = await connectRaw(server.port);
    raw.send({ text: BARRIER });
    await waitFor(raw, () => acksIn(raw.received).length > 0);
    raw.close();
    expect(acksIn(raw.received)).toMatchObject([{ id: '777', answer: { ok: false, error: { code: 'NOT_JOINED' } } }]);
    // Every line ever logged belongs to a room the tests opened honestly.
    const rooms = new Set((await readFile(logPath, 'utf8')).trim().split('\n').map((line) => (JSON.parse(line) as [string])[0]));
    expect(rooms).toEqual(honestRooms);
    guard.check();
  });
});
