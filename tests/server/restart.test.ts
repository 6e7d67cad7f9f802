import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdtemp, open, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventsOf } from '../helpers/snapshot.js';
import { nanoid } from 'nanoid';
import { disconnectAll, ok, until } from '../helpers/client.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';

const dirs: string[] = [];
const processes: ServerProcess[] = [];
afterEach(async () => {
  disconnectAll();
  await Promise.all(processes.splice(0).map((p) => p.kill()));
});
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function start(dataDir: string) {
  const server = await spawnServer({ DATA_DIR: dataDir, STATIC_DIR: join(dataDir, 'no-client'), WRITE_BURST: '1000' });
  processes.push(server);
  return server;
}

describe('the embedded store across restarts', () => {
  it('loses nothing acknowledged when the process is killed, and handles a torn last line', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'debate-restart-'));
    dirs.push(dataDir);
    const first = await start(dataDir);
    const { host, roomId, hostToken, hostId } = await openRoom(first.url);
    const ids: string[] = [];
    let parent: string | null = null;
    for (let i = 0; i < 25; i++) {
      const written = await post(host, `acknowledged ${i} — «Красный»`, i % 5 === 0 ? null : parent);
      ids.push(written.id);
      parent = written.id;
    }
    await ok(host, 'reaction:set', { postId: ids[3], emoji: '😂', on: true });
    await first.kill('SIGKILL');

    // A crash in the middle of a write leaves half a line behind.
    const logPath = join(dataDir, 'rooms.log');
    await appendFile(logPath, '["' + roomId + '",{"seq":29,"at":1,"actorId":"x","type":"post.cre');

    const second = await start(dataDir);
    const back = await joinAs(second.url, roomId, null, hostToken);
    expect(back.joined.me).toMatchObject({ id: hostId, role: 'host' });
    const { snapshot } = back.joined;
    expect(snapshot.postOrder).toEqual(ids);
    expect(snapshot.posts[ids[3]].reactions['😂']).toEqual([hostId]);
    expect(snapshot.seq).toBe(2 + 25 + 1);
    // The torn line is gone and the log goes on from the right seq.
    const next = await post(back.socket, 'after the restart');
    expect(next.seq).toBe(snapshot.seq + 1);
    const lines = (await readFile(logPath, 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line)[1].seq)).toEqual(Array.from({ length: 29 }, (_, i) => i + 1));
  });

  it('starts from what is good before a damaged middle line, sets the rest aside and says so on stderr', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'debate-damaged-'));
    dirs.push(dataDir);
    const first = await start(dataDir);
    const { host, roomId, hostToken } = await openRoom(first.url);
    const ids = [(await post(host, 'before the damage')).id];
    await first.kill('SIGKILL');
    const logPath = join(dataDir, 'rooms.log');
    const good = await readFile(logPath, 'utf8');
    await appendFile(logPath, 'garbage\n["r",{"seq":1}]\n');

    const second = await start(dataDir);
    expect(second.output()).toMatch(/DAMAGED LOG: .*rooms\.log: line 4 \(byte \d+\) is not valid JSON/);
    expect(await readFile(logPath, 'utf8')).toBe(good);
    const aside = (await readdir(dataDir)).filter((name) => name.startsWith('rooms.log.damaged-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(dataDir, aside[0]!), 'utf8')).toBe('garbage\n["r",{"seq":1}]\n');
    const back = await joinAs(second.url, roomId, null, hostToken);
    ids.push((await post(back.socket, 'after the restart')).id);
    expect(back.joined.snapshot.postOrder).toEqual(ids.slice(0, 1));
  });

  it('comes back from a 300 MB log in bounded memory, and from a checkpoint after that', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'debate-big-log-'));
    const emptyDir = await mkdtemp(join(tmpdir(), 'debate-empty-'));
    dirs.push(dataDir, emptyDir);
    const logPath = join(dataDir, 'rooms.log');
    const generated = await writeBigLog(logPath, 300);
    const logMb = generated.bytes / 2 ** 20;

    const empty = await measuredStart(emptyDir);
    await empty.server.kill();
    const whole = await measuredStart(dataDir);
    // What the store adds to an empty server's memory is a small part of the log (the old store: over twice its size).
    expect(whole.peakMb - empty.peakMb).toBeLessThan(logMb / 3);
    expect(whole.server.output()).toMatch(/opened 10 rooms in \d+ ms: no checkpoint, 300\.0 MB of the 300\.0 MB log replayed/);
    await expectRoomsBack(whole.server, generated.seqs);
    // The start that replayed the whole log writes a checkpoint, so the next one need not.
    await until(() => existsSync(join(dataDir, 'rooms.checkpoint')), 'a checkpoint', 30_000);
    await until(() => readCheckpointOffset(dataDir) === generated.bytes, 'the checkpoint to cover the log', 30_000);
    const wholePeakMb = peakRssMb(whole.server);
    await whole.server.kill('SIGKILL');

    const fromCheckpoint = await measuredStart(dataDir);
    expect(fromCheckpoint.server.output()).toMatch(/opened 10 rooms in \d+ ms: the checkpoint at 300\.0 MB, then 0\.0 MB of the 300\.0 MB log replayed/);
    await expectRoomsBack(fromCheckpoint.server, generated.seqs);
    const checkpointPeakMb = peakRssMb(fromCheckpoint.server);

    const storeMs = (server: ServerProcess) => Number(/opened 10 rooms in (\d+) ms/.exec(server.output())![1]);
    console.log(
      `[big log] ${logMb.toFixed(0)} MB log, ${generated.lines} lines: ` +
        `whole replay ${storeMs(whole.server)} ms in the store (${whole.ms} ms to listening), peak RSS ${wholePeakMb} MB; ` +
        `from the checkpoint ${storeMs(fromCheckpoint.server)} ms (${fromCheckpoint.ms} ms to listening), peak RSS ${checkpointPeakMb} MB; ` +
        `an empty store: ${empty.ms} ms to listening, peak RSS ${empty.peakMb} MB`,
    );
    // Checkpoint writing included.
    expect(wholePeakMb - empty.peakMb).toBeLessThan(logMb / 3);
    expect(checkpointPeakMb - empty.peakMb).toBeLessThan(logMb / 3);
  }, 90_000);
});

/** Peak resident memory of a child process so far (Linux: VmHWM). */
function peakRssMb(server: ServerProcess): number {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024);
}

async function measuredStart(dataDir: string) {
  const started = performance.now();
  const server = await start(dataDir);
  return { server, ms: Math.round(performance.now() - started), peakMb: peakRssMb(server) };
}

function readCheckpointOffset(dataDir: string): number {
  try {
    const text = readFileSync(join(dataDir, 'rooms.checkpoint'), 'utf8');
    return JSON.parse(text.slice(0, text.indexOf('\n'))).logOffset;
  } catch {
    return -1;
  }
}

/** Every room answers with its last seq, catches a returning reader up from memory, and takes a new post. */
async function expectRoomsBack(server: ServerProcess, seqs: number[]) {
  for (const room of [0, seqs.length - 1]) {
    const roomId = `room-big-${room}`;
    const viewer = await joinAs(server.url, roomId, null);
    expect(viewer.joined.snapshot.seq).toBe(seqs[room]);
    expect(viewer.joined.snapshot.posts['post-7']!.body).toMatch(/^edit \d+: A long argument/);
    const returning = await ok(viewer.socket, 'room:join', { roomId, role: 'viewer', since: seqs[room]! - 5 });
    expect(eventsOf(returning.start).map((event) => event.seq)).toEqual([1, 2, 3, 4, 5].map((n) => seqs[room]! - 5 + n));
  }
  const writer = await joinAs(server.url, 'room-big-1', `Writer ${nanoid(6)}`);
  expect((await post(writer.socket, 'a post on top of all that history')).seq).toBe(writer.joined.snapshot.seq + 1);
  seqs[1] = writer.joined.snapshot.seq + 1;
  disconnectAll();
}

/**
 * A log as the store writes it, made fast by writing lines directly: 10 rooms of 40 posts each, then
 * edits of ~2 KB until the log has `megabytes`. History grows; live state stays at 40 posts a room.
 */
async function writeBigLog(path: string, megabytes: number) {
  const rooms = 10;
  const posts = 40;
  const seqs: number[] = new Array(rooms).fill(0);
  const filler = 'A long argument, edited again and again: history grows, the live state does not. '.repeat(25);
  const file = await open(path, 'w');
  let parts: string[] = [];
  let bytes = 0;
  let lines = 0;
  const emit = async (line: string) => {
    parts.push(line);
    bytes += line.length;
    lines++;
    if (parts.length >= 4_000) {
      await file.write(parts.join(''));
      parts = [];
    }
  };
  for (let room = 0; room < rooms; room++) {
    const id = `room-big-${room}`;
    await emit(`${JSON.stringify([id, { type: 'room.opened', actorId: 'host-0001', room: { id, title: 'A long history', motion: 'This house believes logs grow', hostId: 'host-0001', createdAt: 1 }, seq: ++seqs[room]!, at: 1 }])}\n`);
    await emit(`${JSON.stringify([id, { type: 'member.joined', actorId: 'host-0001', name: 'Host', role: 'host', seq: ++seqs[room]!, at: 2 }])}\n`);
    for (let p = 0; p < posts; p++) {
      await emit(`${JSON.stringify([id, { type: 'post.created', actorId: 'host-0001', postId: `post-${p}`, parentId: null, body: `Post ${p}`, seq: ++seqs[room]!, at: 3 + p }])}\n`);
    }
  }
  for (let i = 0; bytes < megabytes * 2 ** 20; i++) {
    const room = i % rooms;
    const seq = ++seqs[room]!;
    await emit(`["room-big-${room}",{"type":"post.edited","actorId":"host-0001","postId":"post-${Math.floor(i / rooms) % posts}","body":"edit ${i}: ${filler}","seq":${seq},"at":${1_000 + i}}]\n`);
  }
  await file.write(parts.join(''));
  await file.close();
  return { seqs, bytes, lines };
}
