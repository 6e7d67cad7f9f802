import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClientEventName } from '../../shared/events.js';
import { call, connect, disconnectAll, until } from '../helpers/client.js';
import type { TestServer } from '../helpers/server.js';
import { fuzzOptions, wireSize } from '../helpers/fuzz/arbitraries.js';
import { payloadFor, validPayloads } from '../helpers/fuzz/event-payloads.js';
import { guardProcess, type ProcessGuard } from '../helpers/fuzz/guards.js';
import {
  eventsOf,
  expectHonestAnswer,
  expectLogNamesOnlyRealThings,
  expectStateWellFormed,
  openScene,
  resolve,
  roomImage,
  send,
  SENDERS,
  startFuzzServer,
  type Scene,
} from '../helpers/fuzz/scene.js';

/**
 * Every client event, fuzzed against the real server: each run opens a fresh room (host,
 * participant, viewer, posts of every kind) and sends a batch of payloads from random members of
 * it. Whatever comes in, every answer is an honest one, a refused payload changes nothing and
 * broadcasts nothing, the log names only real things, and the server keeps serving.
 */

const RUNS_PER_EVENT = 12;
const BATCH = 12;
let payloadsSent = 0;

let server: TestServer;
let guard: ProcessGuard;
beforeAll(async () => {
  server = await startFuzzServer();
});
beforeEach(() => {
  guard = guardProcess();
});
afterEach(() => {
  guard.stop();
  disconnectAll();
});
afterAll(async () => {
  console.log(`[fuzz] client events: ${payloadsSent} payloads sent`);
  await server.close();
});

const events = Object.keys(validPayloads) as ClientEventName[];
/** Mostly the host, who may do the most, so payloads reach the deepest rules. */
const someSender = fc.oneof({ weight: 3, arbitrary: fc.constant('host' as const) }, fc.constantFrom(...SENDERS));

describe('fuzzing every client event', () => {
  it.each(events)('%s: answers honestly, refuses without side effects, stays up', async (event) => {
    let scene: Scene | undefined;
    // Unbiased: fast-check's bias towards "small" values would pick the first variant and mutation nearly every time.
    const batch = fc.noBias(fc.array(fc.record({ sender: someSender, payload: payloadFor(event) }), { minLength: 1, maxLength: BATCH }));

    await fc.assert(
      fc.asyncProperty(batch, async (calls) => {
        guard.reset();
        scene = await openScene(server.url, scene);
        const { roomId, refs, sockets } = scene;
        let banned = false;
        for (const { sender, payload } of calls) {
          const sent = resolve(payload, refs);
          const what = `${event} from ${sender}: ${(JSON.stringify(sent) ?? String(sent)).slice(0, 160)}`;
          const before = await roomImage(server, roomId);
          const outcome = await send(sockets[sender], event, sent);
          payloadsSent++;
          if (process.env.FUZZ_TRACE) console.log(what.slice(0, 140), JSON.stringify(outcome).slice(0, 120));
          if (outcome.kind === 'dropped') {
            // Only a ban (of the sender's member) or an oversized frame ends a connection.
            expect(banned || wireSize(sent) > 256 * 1024, `${what}: the connection was closed`).toBe(true);
            continue;
          }
          expectHonestAnswer(outcome.answer, what);
          if (!outcome.answer.ok) expect(await roomImage(server, roomId), `${what}: refused, so nothing changed`).toBe(before);
          banned ||= (await eventsOf(server, roomId)).some((logged) => logged.type === 'member.banned');
        }

        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
        const fresh = await call(sockets.probe, 'room:join', { roomId, role: 'viewer' });
        expect(fresh.ok, 'a fresh join still works').toBe(true);

        // Everything logged reached the watcher, and nothing else did (the round trips above gave
        // any stray broadcast time to arrive).
        const logged = await eventsOf(server, roomId);
        const expected = logged.filter((e) => e.seq > scene!.watchedFrom).map((e) => e.seq);
        await until(() => sockets.watcher.received.length >= expected.length, 'the watcher to hear every logged event', 2_000);
        expect(sockets.watcher.received.map((e) => e.seq)).toEqual(expected);
        expectLogNamesOnlyRealThings(logged);
        expectStateWellFormed((await server.store.load(roomId))!);
        guard.check();
      }),
      fuzzOptions(RUNS_PER_EVENT),
    );
    expect(scene).toBeDefined();
    // Room to shrink a failure to its smallest case; a passing event takes well under a second.
  }, 90_000);

  it('leaves a server that opens rooms for a newcomer', async () => {
    const newcomer = await connect(server.url);
    const answer = await call(newcomer, 'room:create', { title: 'After the fuzz' });
    expect(answer.ok).toBe(true);
    guard.check();
  });
});
