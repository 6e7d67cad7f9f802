import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nanoid } from 'nanoid';
import { expect } from 'vitest';
import type { Ack } from '../../../shared/ack.js';
import { ERROR_CODES } from '../../../shared/errors.js';
import type { RoomEvent } from '../../../shared/room-events.js';
import type { RoomState } from '../../../shared/room-state.js';
import { connect, ok, type TestSocket } from '../client.js';
import { startTestServer, type TestServer } from '../server.js';
import { NO_PAYLOAD } from './arbitraries.js';

/**
 * The fuzz room: a host, a participant and a viewer who send the fuzz, a silent watcher who only
 * listens (to prove nothing refused was broadcast), and posts of every kind (top-level, a reply, one
 * held by automod, one reported) with the opening vote open. Sockets are kept between runs and join
 * each run's fresh room; one dropped by a ban is replaced.
 */
/**
 * The real server and embedded store, its log in RAM-backed /dev/shm where there is one: the fuzz
 * opens hundreds of rooms, and thousands of fsyncs on a shared disk would only add noise.
 */
export async function startFuzzServer(): Promise<TestServer> {
  const dataDir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'debate-fuzz-'));
  const server = await startTestServer({ dataDir });
  return { ...server, close: () => server.close().finally(() => rm(dataDir, { recursive: true, force: true })) };
}

export type Sender = 'host' | 'participant' | 'viewer' | 'stranger';
export const SENDERS: Sender[] = ['host', 'participant', 'viewer', 'stranger'];

export interface Scene {
  roomId: string;
  refs: Record<string, string>;
  sockets: Record<Sender | 'watcher' | 'probe', TestSocket>;
  /** The seq the watcher joined at: it must hear every event after it, and only those. */
  watchedFrom: number;
}

const live = async (url: string, socket: TestSocket | undefined) => (socket?.connected ? socket : connect(url));

export async function openScene(url: string, previous?: Scene): Promise<Scene> {
  const s = previous?.sockets;
  const sockets = {
    host: await live(url, s?.host),
    participant: await live(url, s?.participant),
    viewer: await live(url, s?.viewer),
    stranger: await connect(url),
    watcher: await live(url, s?.watcher),
    probe: await live(url, s?.probe),
  };
  if (s && s.stranger.connected) s.stranger.disconnect();
  const { roomId, hostToken } = await ok(sockets.host, 'room:create', { title: 'Fuzz room', motion: 'Fuzzing finds bugs' });
  const host = await ok(sockets.host, 'room:join', { roomId, role: 'participant', name: 'Host', token: hostToken });
  const participant = await ok(sockets.participant, 'room:join', { roomId, role: 'participant', name: 'Pat' });
  const viewer = await ok(sockets.viewer, 'room:join', { roomId, role: 'viewer' });
  const post = async (socket: TestSocket, body: string, parentId: string | null = null) => {
    const id = nanoid();
    await ok(socket, 'post:create', { id, parentId, body });
    return id;
  };
  const hostPost = await post(sockets.host, 'The opening statement');
  const participantPost = await post(sockets.participant, 'A point of order');
  const reply = await post(sockets.participant, 'I disagree', hostPost);
  await ok(sockets.host, 'mod:room', { action: 'blockedTerms', terms: [{ term: 'heldword', action: 'hold' }] });
  const held = await post(sockets.participant, 'this has heldword in it');
  await ok(sockets.participant, 'report:create', { postId: hostPost, reason: 'spam' });
  const { seq } = await ok(sockets.host, 'vote:manage', { action: 'open', vote: 'initial' });
  await ok(sockets.watcher, 'room:join', { roomId, role: 'viewer' });
  sockets.watcher.received = [];
  const refs = {
    '@room': roomId,
    '@host': host.me.id!,
    '@participant': participant.me.id!,
    '@viewer': viewer.me.id!,
    '@hostToken': hostToken,
    '@participantToken': participant.token,
    '@hostPost': hostPost,
    '@participantPost': participantPost,
    '@reply': reply,
    '@held': held,
  };
  return { roomId, refs, sockets, watchedFrom: seq };
}

/**
 * Replaces reference strings with the scene's ids ('@fresh': a new id each time), in plain JSON and
 * only as deep as a template goes (a deeply nested payload is sent as it is).
 */
export function resolve(payload: unknown, refs: Record<string, string>, depth = 0): unknown {
  // Own keys only: refs['constructor'] would be Object itself (the very bug class this suite hunts).
  if (typeof payload === 'string') return payload === '@fresh' ? nanoid() : Object.hasOwn(refs, payload) ? refs[payload] : payload;
  if (depth > 4) return payload;
  if (Array.isArray(payload) && Object.getPrototypeOf(payload) === Array.prototype) return payload.map((item) => resolve(item, refs, depth + 1));
  if (payload && typeof payload === 'object' && Object.getPrototypeOf(payload) === Object.prototype) {
    const out = {};
    for (const key of Object.keys(payload)) {
      const value = resolve((payload as Record<string, unknown>)[key], refs, depth + 1);
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return payload;
}

export type Outcome = { kind: 'answer'; answer: Ack<unknown> } | { kind: 'dropped' };

/** Emit and wait for the ack; a socket the server closes meanwhile (a ban) is 'dropped', not a hang. */
export function send(socket: TestSocket, event: string, payload: unknown): Promise<Outcome> {
  const raw = socket as unknown as { emit(event: string, ...args: unknown[]): void };
  if (!socket.connected) return Promise.resolve({ kind: 'dropped' });
  return new Promise((done, fail) => {
    const finish = (outcome: Outcome) => {
      clearTimeout(timer);
      socket.off('disconnect', onDisconnect);
      done(outcome);
    };
    const onDisconnect = () => finish({ kind: 'dropped' });
    const timer = setTimeout(() => fail(new Error(`no answer to ${event} within 5 s`)), 5_000);
    socket.once('disconnect', onDisconnect);
    const ack = (answer: Ack<unknown>) => finish({ kind: 'answer', answer });
    if (payload === NO_PAYLOAD) raw.emit(event, ack);
    else raw.emit(event, payload, ack);
  });
}

/** Every answer is an ok with data, or a refusal with a known code (never INTERNAL) and a sentence. */
export function expectHonestAnswer(answer: Ack<unknown>, what: string): void {
  expect(answer, what).toBeTypeOf('object');
  if (answer.ok === true) {
    expect('data' in answer, what).toBe(true);
    return;
  }
  expect(answer.ok, what).toBe(false);
  expect(ERROR_CODES, what).toContain(answer.error.code);
  expect(answer.error.code, `${what}: ${answer.error.message}`).not.toBe('INTERNAL');
  expect(typeof answer.error.message === 'string' && answer.error.message.trim().length > 0, what).toBe(true);
}

/**
 * The log names only things that exist: every post, parent and member an event refers to was
 * created (or joined) earlier in the same log, and nothing is created twice.
 */
export function expectLogNamesOnlyRealThings(events: RoomEvent[]): void {
  const posts = new Set<string>();
  const members = new Set<string>();
  for (const event of events) {
    const what = `event ${event.seq} ${JSON.stringify(event).slice(0, 200)}`;
    const fields = event as unknown as Record<string, unknown>;
    if (event.type === 'member.joined') members.add(event.actorId);
    if (event.type === 'post.created' || event.type === 'post.held') {
      expect(event.parentId === null || posts.has(event.parentId), `${what}: its parent exists`).toBe(true);
      if (event.type === 'post.held' || !posts.has(event.postId)) posts.add(event.postId);
      else expect.fail(`${what}: created twice`);
      continue;
    }
    if ('postId' in fields) expect(posts.has(fields.postId as string), `${what}: names a real post`).toBe(true);
    if ('memberId' in fields) expect(members.has(fields.memberId as string), `${what}: names a real member`).toBe(true);
  }
}

/** The materialised state is plain data keyed by its own ids. */
export function expectStateWellFormed(state: RoomState): void {
  for (const [name, table] of Object.entries({ members: state.members, posts: state.posts, held: state.held, reports: state.reports })) {
    expect(Object.getPrototypeOf(table), `${name} is a plain object`).toBe(Object.prototype);
    for (const [id, row] of Object.entries(table as Record<string, { id: string }>)) expect(row.id, `${name}[${id}]`).toBe(id);
  }
  for (const id of state.postOrder) expect(Object.hasOwn(state.posts, id), `postOrder names post ${id}`).toBe(true);
}

export async function eventsOf(server: TestServer, roomId: string): Promise<RoomEvent[]> {
  return (await server.store.eventsSince(roomId, 0, 1_000_000)) ?? [];
}

/** A copy of the room as the store holds it, to compare before and after a refused payload. */
export async function roomImage(server: TestServer, roomId: string): Promise<string> {
  return JSON.stringify(await server.store.load(roomId));
}
