import { appendFile, copyFile, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventDraft, RoomEvent } from '../../shared/room-events.js';
import { foldEvents } from '../../shared/room-state.js';
import { openEmbeddedStore } from '../../server/store/embedded.js';
import { readCheckpoint, writeCheckpoint } from '../../server/store/checkpoint.js';
import type { RoomStore } from '../../server/store/room-store.js';
import { nextNumberedPost, openedDraft, postDraft } from '../helpers/room-store.contract.js';

const dirs: string[] = [];
const stores: RoomStore[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.allSettled(stores.splice(0).map((store) => store.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'embedded-replay-'));
  dirs.push(dir);
  return dir;
}

async function openAt(dir: string, checkpointEveryBytes?: number): Promise<RoomStore> {
  const store = await openEmbeddedStore({ dataDir: dir, checkpointEveryBytes });
  stores.push(store);
  return store;
}

async function closeStore(store: RoomStore): Promise<void> {
  stores.splice(stores.indexOf(store), 1);
  await store.close();
}

/** Log lines as the store writes them: `[roomId, event]`, one per line. */
function logLines(roomId: string, drafts: EventDraft[], firstSeq = 1): string {
  return drafts.map((draft, i) => `${JSON.stringify([roomId, { ...draft, seq: firstSeq + i, at: 1_700_000_000_000 + i }])}\n`).join('');
}

const posts = (from: number, count: number) => Array.from({ length: count }, (_, i) => postDraft(`post-${from + i}`, `body ${from + i}`));
const seqs = (events: RoomEvent[] | null) => events!.map((event) => event.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function captureErrors(): () => string {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
  return () => spy.mock.calls.map((args) => args.join(' ')).join('\n');
}

describe('the embedded store: checkpoints', () => {
  it('writes a checkpoint on close, and a reopen reads only the log past it', async () => {
    const dir = await dataDir();
    const store = await openAt(dir);
    for (const roomId of ['room-aaaa0001', 'room-bbbb0002']) {
      await store.append(roomId, () => openedDraft(roomId));
      for (let i = 0; i < 15; i++) await store.append(roomId, nextNumberedPost);
    }
    const state = structuredClone(await store.load('room-aaaa0001'));
    const events = await store.eventsSince('room-aaaa0001', 0, 100);
    await closeStore(store);
    expect((await readdir(dir)).sort()).toEqual(['rooms.checkpoint', 'rooms.log']);
    const logSize = (await readFile(join(dir, 'rooms.log'))).length;
    expect((await readCheckpoint(dir))!.logOffset).toBe(logSize);

    // History before the checkpoint is never read on open: damage there changes nothing.
    const file = await open(join(dir, 'rooms.log'), 'r+');
    await file.write(Buffer.from('#'.repeat(40)), 0, 40, 0);
    await file.close();
    const reopened = await openAt(dir);
    expect(await reopened.load('room-aaaa0001')).toEqual(state);
    expect(await reopened.eventsSince('room-aaaa0001', 4, 100)).toEqual(events!.slice(4));
    expect((await reopened.append('room-aaaa0001', nextNumberedPost)).event!.seq).toBe(17);
  });

  it('checkpoints every N bytes while writing, so a crash replays only the log written since', async () => {
    const dir = await dataDir();
    const store = await openAt(dir, 4_096);
    const roomId = 'room-cccc0003';
    await store.append(roomId, () => openedDraft(roomId));
    for (let i = 0; i < 60; i++) await store.append(roomId, nextNumberedPost);
    await expect.poll(async () => (await readCheckpoint(dir))?.logOffset ?? 0).toBeGreaterThan(4_096);
    for (let i = 0; i < 5; i++) await store.append(roomId, nextNumberedPost);
    const state = structuredClone(await store.load(roomId));

    // A crash: the files as they are now, without close (copied, since this process holds the lock).
    const crashed = await dataDir();
    for (const name of ['rooms.log', 'rooms.checkpoint']) await copyFile(join(dir, name), join(crashed, name));
    const checkpoint = (await readCheckpoint(crashed))!;
    expect(checkpoint.logOffset).toBeLessThan((await readFile(join(crashed, 'rooms.log'))).length);
    expect(checkpoint.rooms[0]!.state.seq).toBeLessThan(state!.seq);
    const reopened = await openAt(crashed);
    expect(await reopened.load(roomId)).toEqual(state);
    expect(foldEvents((await reopened.eventsSince(roomId, 0, 1_000))!)).toEqual(state);
  });

  it('skips events a checkpoint already holds past its offset (it was written while writes went on), and no others', async () => {
    const roomId = 'room-eeee0005';
    const dir = await dataDir();
    const lines = logLines(roomId, [openedDraft(roomId), ...posts(0, 9)]);
    const events = lines.trimEnd().split('\n').map((line) => JSON.parse(line)[1] as RoomEvent);
    await writeFile(join(dir, 'rooms.log'), lines);
    // Taken at the end of line 6, but the room was serialised later, at seq 8.
    const offset = Buffer.byteLength(lines.split('\n').slice(0, 6).join('\n')) + 1;
    const roomAt = () => ({ roomId, firstOffset: 0, state: foldEvents(events.slice(0, 8))!, recent: events.slice(0, 8) });
    await writeCheckpoint(dir, offset, [roomId], roomAt);
    const errors = captureErrors();
    const store = await openAt(dir);
    expect(await store.load(roomId)).toEqual(foldEvents(events));
    expect(await store.eventsSince(roomId, 0, 100)).toEqual(events);
    expect(errors()).toBe('');
    await closeStore(store);

    // A repeat after the room has gone past the checkpoint's seq is a real one.
    const other = await dataDir();
    await writeFile(join(other, 'rooms.log'), lines + logLines(roomId, posts(20, 1), 9));
    await writeCheckpoint(other, offset, [roomId], roomAt);
    await openAt(other);
    expect(errors()).toMatch(/repeats seq 9 of room room-eeee0005, which is already at seq 10/);
  });

  it('ignores a checkpoint with no end line, says so, and replays the whole log', async () => {
    const dir = await dataDir();
    const store = await openAt(dir);
    const roomId = 'room-dddd0004';
    await store.append(roomId, () => openedDraft(roomId));
    for (let i = 0; i < 10; i++) await store.append(roomId, nextNumberedPost);
    const state = structuredClone(await store.load(roomId));
    await closeStore(store);
    const checkpoint = await readFile(join(dir, 'rooms.checkpoint'), 'utf8');
    await writeFile(join(dir, 'rooms.checkpoint'), checkpoint.slice(0, checkpoint.lastIndexOf('{"end"')));
    const errors = captureErrors();
    expect(await (await openAt(dir)).load(roomId)).toEqual(state);
    expect(errors()).toMatch(/ignoring .*rooms\.checkpoint: it has no end line/);
  });
});

describe('the embedded store: a damaged log', () => {
  async function damagedDir(log: string) {
    const dir = await dataDir();
    await writeFile(join(dir, 'rooms.log'), log);
    return dir;
  }

  async function asideOf(dir: string): Promise<string> {
    const names = (await readdir(dir)).filter((name) => name.startsWith('rooms.log.damaged-'));
    expect(names).toHaveLength(1);
    return readFile(join(dir, names[0]!), 'utf8');
  }

  it('starts from what is good before a damaged middle line, moves the rest aside and says so', async () => {
    const good = logLines('room-a', [openedDraft('room-a'), ...posts(0, 3)]);
    const rest = `not json at all\n${logLines('room-a', posts(3, 2), 5)}`;
    const dir = await damagedDir(good + rest);
    const errors = captureErrors();
    const store = await openAt(dir);
    expect(errors()).toMatch(/DAMAGED LOG: .*rooms\.log: line 5 \(byte \d+\) is not valid JSON/);
    expect(errors()).toMatch(/rooms\.log\.damaged-.*\n.*may hold acknowledged events/);
    expect(await asideOf(dir)).toBe(rest);
    expect(await readFile(join(dir, 'rooms.log'), 'utf8')).toBe(good);
    expect(seqs(await store.eventsSince('room-a', 0, 100))).toEqual([1, 2, 3, 4]);
    expect((await store.append('room-a', nextNumberedPost)).event!.seq).toBe(5);
    await closeStore(store);
    // The next start is clean.
    expect(await (await openAt(dir)).load('room-a')).toMatchObject({ seq: 5 });
  });

  it('refuses a repeated seq (two processes on one log), keeping one of each', async () => {
    // Two processes that both replayed up to seq 3 and both appended 4 and 5.
    const good = logLines('room-a', [openedDraft('room-a'), ...posts(0, 3)]) + logLines('room-b', [openedDraft('room-b')]);
    const forked = logLines('room-a', posts(10, 1), 5) + logLines('room-a', posts(20, 1), 4) + logLines('room-a', posts(11, 1), 6);
    const dir = await damagedDir(good + logLines('room-a', posts(3, 1), 5) + forked);
    const errors = captureErrors();
    const store = await openAt(dir);
    expect(errors()).toMatch(/repeats seq 5 of room room-a, which is already at seq 5 \(a second process writing the same log\?\)/);
    expect(seqs(await store.eventsSince('room-a', 0, 100))).toEqual([1, 2, 3, 4, 5]);
    expect(seqs(await store.eventsSince('room-a', 3, 100))).toEqual([4, 5]);
    expect((await store.load('room-b'))!.seq).toBe(1);
    expect(await asideOf(dir)).toBe(forked);
  });

  it('refuses a gap in a room’s seqs, and a room that does not start with its opening', async () => {
    const good = logLines('room-a', [openedDraft('room-a'), ...posts(0, 2)]);
    const gap = logLines('room-a', posts(2, 1), 5);
    const dir = await damagedDir(good + gap);
    const errors = captureErrors();
    const store = await openAt(dir);
    expect(errors()).toMatch(/jumps from seq 3 to 5 in room room-a: events are missing/);
    expect((await store.load('room-a'))!.seq).toBe(3);
    expect(await asideOf(dir)).toBe(gap);

    const headless = logLines('room-z', posts(0, 1), 2);
    const other = await damagedDir(good + headless);
    await openAt(other);
    expect(errors()).toMatch(/starts room room-z at seq 2 \(post\.created\) instead of with its opening/);
    expect(await asideOf(other)).toBe(headless);
  });

  it('cuts a torn last line off without moving anything aside (it was never acknowledged)', async () => {
    const good = logLines('room-a', [openedDraft('room-a'), ...posts(0, 2)]);
    const dir = await damagedDir(`${good}["room-a",{"seq":4,"type":"post.cre`);
    const errors = captureErrors();
    const store = await openAt(dir);
    expect(errors()).toMatch(/cut off a torn last line \(\d+ bytes\)/);
    expect(errors()).not.toMatch(/DAMAGED/);
    expect((await readdir(dir)).filter((name) => name.includes('damaged'))).toEqual([]);
    expect((await store.append('room-a', nextNumberedPost)).event!.seq).toBe(4);
    expect((await readFile(join(dir, 'rooms.log'), 'utf8')).startsWith(good)).toBe(true);
  });

  it('reads events older than memory holds back from the log, by seq', async () => {
    const roomId = 'room-long';
    const dir = await dataDir();
    const drafts = [openedDraft(roomId), ...posts(0, 2_999)];
    // Another room's lines between, so the log position of an event says nothing about its seq.
    await appendFile(join(dir, 'rooms.log'), logLines(roomId, drafts.slice(0, 1500)) + logLines('room-x', [openedDraft('room-x')]));
    await appendFile(join(dir, 'rooms.log'), logLines(roomId, drafts.slice(1500), 1501));
    const store = await openAt(dir);
    expect(seqs(await store.eventsSince(roomId, 0, 3))).toEqual([1, 2, 3]);
    expect(seqs(await store.eventsSince(roomId, 1498, 4))).toEqual([1499, 1500, 1501, 1502]);
    const all = (await store.eventsSince(roomId, 0, 5_000))!;
    expect(seqs(all)).toEqual(range(1, 3_000));
    expect(all.map((event) => (event.type === 'post.created' ? event.postId : event.type))).toEqual(['room.opened', ...range(0, 2_998).map((n) => `post-${n}`)]);
  });
});
