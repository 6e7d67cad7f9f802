import { execFileSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nanoid } from 'nanoid';
import { afterEach, describe, expect, it } from 'vitest';
import { eventsOf } from '../helpers/snapshot.js';
import type { Ack } from '../../shared/ack.js';
import { call, disconnectAll, ok, settle, until, type TestSocket } from '../helpers/client.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { joinAs, openRoom, post } from '../helpers/fixtures.js';

/**
 * A disk that fills up, for real: a small tmpfs (ENOSPC, where this machine lets us mount one), or a
 * file-size limit set on the running server with prlimit (RLIMIT_FSIZE: the write that crosses it is cut
 * short, then EFBIG; node ignores SIGXFSZ). Both give the store real short writes and real refusals.
 */
interface Disk {
  dir: string;
  fill(pid: number, logPath: string): Promise<void>;
  free(pid: number): Promise<void>;
  cleanup(): Promise<void>;
}

async function tmpfsDisk(): Promise<Disk | null> {
  const dir = await mkdtemp(join(tmpdir(), 'full-disk-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    await rm(dir, { recursive: true, force: true });
    return null;
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    async fill() {
      const fd = openSync(filler, 'w');
      try {
        for (;;) writeSync(fd, Buffer.alloc(4096, 1));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
    },
    free: () => rm(filler, { force: true }),
    async cleanup() {
      execFileSync('umount', [dir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function fileSizeLimitDisk(): Promise<Disk | null> {
  try {
    execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const dir = await mkdtemp(join(tmpdir(), 'full-disk-fsize-'));
  return {
    dir,
    async fill(pid, logPath) {
      // Room for a third of a line more: the next write is cut short. Only the soft limit, so it can be lifted again.
      execFileSync('prlimit', ['--pid', String(pid), `--fsize=${(await stat(logPath)).size + 100}:unlimited`]);
    },
    async free(pid) {
      execFileSync('prlimit', ['--pid', String(pid), '--fsize=unlimited']);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

const servers: ServerProcess[] = [];
const disks: Disk[] = [];
afterEach(async () => {
  disconnectAll();
  await Promise.all(servers.splice(0).map((server) => server.kill()));
  for (const disk of disks.splice(0)) await disk.cleanup();
});

async function start(dataDir: string): Promise<ServerProcess> {
  const server = await spawnServer({ DATA_DIR: dataDir, STATIC_DIR: join(dataDir, 'no-client'), WRITE_BURST: '1000', WRITES_PER_SECOND: '1000' });
  servers.push(server);
  return server;
}

/** Every line of the log parses and each room's seqs run 1, 2, 3 …: nothing torn, nothing glued. */
async function expectCleanLog(logPath: string): Promise<number> {
  const text = await readFile(logPath, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  const last = new Map<string, number>();
  for (const line of text.trimEnd().split('\n')) {
    const [roomId, event] = JSON.parse(line) as [string, { seq: number }];
    expect(event.seq).toBe((last.get(roomId) ?? 0) + 1);
    last.set(roomId, event.seq);
  }
  return Buffer.byteLength(text);
}

const body = (i: number) => `Post ${i}: ${'a sentence long enough to fill the disk a little faster. '.repeat(4)}`;

const methods: [string, () => Promise<Disk | null>][] = [
  ['a full tmpfs (ENOSPC)', tmpfsDisk],
  ['a file-size limit (a short write, then EFBIG)', fileSizeLimitDisk],
];

describe.each(methods)('the embedded store on %s', (_name, makeDisk) => {
  it('acknowledges nothing it did not wholly write, serves nothing refused, keeps reading, and writes again once there is room', async (test) => {
    const disk = await makeDisk();
    if (!disk) return test.skip(`${_name} cannot be made on this machine`);
    disks.push(disk);
    const dataDir = join(disk.dir, 'data');
    const logPath = join(dataDir, 'rooms.log');
    const server = await start(dataDir);
    const { host, roomId, hostToken } = await openRoom(server.url);
    const watcher = await joinAs(server.url, roomId, null);
    const acked: { id: string; seq: number }[] = [];
    for (let i = 0; i < 5; i++) acked.push(await post(host, body(i)));

    await disk.fill(server.child.pid!, logPath);
    // The last page of a tmpfs file may still have room for a few posts: post until the disk says no.
    const refusedIds: string[] = [];
    let refusal: Ack<unknown> | null = null;
    for (let i = 5; i < 60 && !refusal; i++) {
      const id = nanoid();
      const answer = (await call(host, 'post:create', { id, parentId: null, body: body(i) })) as Ack<{ seq: number }>;
      if (answer.ok) acked.push({ id, seq: answer.data.seq });
      else (refusal = answer), refusedIds.push(id);
    }
    expect(refusal).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/could not save that .*nothing changed/) } });
    const cleanSize = await expectCleanLog(logPath);
    for (let i = 0; i < 3; i++) {
      const id = nanoid();
      refusedIds.push(id);
      expect(await call(host, 'post:create', { id, parentId: null, body: body(100 + i) })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    }
    // Cut back each time: the file holds exactly the acknowledged lines.
    expect(await expectCleanLog(logPath)).toBe(cleanSize);

    // Reads go on while the disk is full: a joiner's snapshot, a rejoin with `since`, a sync; none shows a refused post.
    const joiner = await joinAs(server.url, roomId, null);
    expect(joiner.joined.snapshot.postOrder).toEqual(acked.map((p) => p.id));
    expect(joiner.joined.snapshot.seq).toBe(acked.at(-1)!.seq);
    const back = await joinAs(server.url, roomId, null, hostToken);
    expect(back.joined.me.role).toBe('host');
    const synced = await ok(back.socket, 'room:sync', { since: acked[0]!.seq });
    expect(synced).toMatchObject({ kind: 'events' });
    const syncedIds = eventsOf(synced).map((event) => ('postId' in event ? event.postId : null));
    expect(syncedIds).toEqual(acked.slice(1).map((p) => p.id));
    await settle();
    // Posts only: a member's join is published too, and may arrive after the watcher's snapshot already held it.
    const heard = (socket: TestSocket) => socket.received.flatMap((event) => (event.type === 'post.created' ? [event.postId] : []));
    expect(heard(watcher.socket)).toEqual(acked.map((p) => p.id));

    await disk.free(server.child.pid!);
    const after = await post(host, body(200));
    expect(after.seq).toBe(acked.at(-1)!.seq + 1);
    await until(() => heard(watcher.socket).includes(after.id), 'the watcher to hear the post after the disk had room');
    acked.push(after);

    // Said once when it started failing and once when it worked again, not once per refused write.
    expect(server.output().match(/could not write to .*rooms\.log \((ENOSPC|EFBIG)\)/g)).toHaveLength(1);
    expect(server.output()).toMatch(/writes to .*rooms\.log work again/);
    await server.kill('SIGKILL');
    const restarted = await start(dataDir);
    expect(restarted.output()).not.toMatch(/DAMAGED|torn/);
    const fresh = await joinAs(restarted.url, roomId, null);
    expect(fresh.joined.snapshot.postOrder).toEqual(acked.map((p) => p.id));
    expect(fresh.joined.snapshot.postOrder.filter((id) => refusedIds.includes(id))).toEqual([]);
    expect((await post((await joinAs(restarted.url, roomId, null, hostToken)).socket, 'and on')).seq).toBe(after.seq + 1);
    expect((await readdir(dataDir)).filter((name) => name.includes('damaged'))).toEqual([]);
    console.log(`[disk full: ${_name}] ${acked.length} acknowledged, ${refusedIds.length} refused as UNAVAILABLE and absent, log cut back to ${cleanSize} bytes each time`);
  }, 40_000);
});
