import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openEmbeddedStore } from '../../server/store/embedded.js';
import type { RoomStore } from '../../server/store/room-store.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { nextNumberedPost, openedDraft } from '../helpers/room-store.contract.js';

const dirs: string[] = [];
const stores: RoomStore[] = [];
const servers: ServerProcess[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((server) => server.kill()));
  await Promise.allSettled(stores.splice(0).map((store) => store.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'embedded-lock-'));
  dirs.push(dir);
  return dir;
}

async function openAt(dir: string): Promise<RoomStore> {
  const store = await openEmbeddedStore({ dataDir: dir });
  stores.push(store);
  return store;
}

async function startServer(dir: string): Promise<ServerProcess> {
  const server = await spawnServer({ DATA_DIR: dir, STATIC_DIR: join(dir, 'no-client') });
  servers.push(server);
  return server;
}

/** The pid of a process that has come and gone. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('the embedded store: one process per DATA_DIR', () => {
  it('a second server on a DATA_DIR in use refuses to start, naming the directory and the holder', async () => {
    const dir = await dataDir();
    const first = await startServer(dir);
    const second = startServer(dir);
    await expect(second).rejects.toThrow(new RegExp(`DATA_DIR ${dir} is in use by another server process \\(pid ${first.child.pid}\\)`));
    // The first goes on serving.
    const { io } = await import('socket.io-client');
    const socket = io(first.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    const created = await socket.timeout(5_000).emitWithAck('room:create', { title: 'Still here' });
    socket.disconnect();
    expect(created).toMatchObject({ ok: true });
  });

  it('a store already open in this process is not opened twice', async () => {
    const dir = await dataDir();
    await openAt(dir);
    await expect(openAt(dir)).rejects.toThrow(`DATA_DIR ${dir} is already open in this process (pid ${process.pid})`);
  });

  it('takes over a lock left by a process that is gone, and releases it on close', async () => {
    const dir = await dataDir();
    const first = await openAt(dir);
    await first.append('room-lock0001', () => openedDraft('room-lock0001'));
    await first.close();
    stores.length = 0;
    const pid = await deadPid();
    await writeFile(join(dir, 'rooms.lock'), `${pid}\n123\n`);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});

    const store = await openAt(dir);
    expect(errors.mock.calls.join('\n')).toMatch(new RegExp(`took over the lock .* \\(pid ${pid}, no longer running\\)`));
    expect((await readFile(join(dir, 'rooms.lock'), 'utf8')).split('\n')[0]).toBe(String(process.pid));
    expect((await store.append('room-lock0001', nextNumberedPost)).event!.seq).toBe(2);
    await store.close();
    stores.length = 0;
    expect(await readdir(dir)).not.toContain('rooms.lock');
  });

  it('takes over a lock with its own pid from an earlier life (a container restarted as pid 1)', async () => {
    const dir = await dataDir();
    await writeFile(join(dir, 'rooms.lock'), `${process.pid}\n1\n`);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await openAt(dir);
    expect((await readFile(join(dir, 'rooms.lock'), 'utf8')).split('\n')[1]).not.toBe('1');
  });

  it('a killed server’s lock does not stop the next one', async () => {
    const dir = await dataDir();
    const first = await startServer(dir);
    await first.kill('SIGKILL');
    const second = await startServer(dir);
    expect(second.output()).toMatch(new RegExp(`took over the lock .* \\(pid ${first.child.pid}, no longer running\\)`));
  });
});
