import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { disconnectAll, ok } from '../helpers/client.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { joinAs, openRoom, post } from './fixtures.js';

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

  it('refuses to start on a damaged middle line rather than silently dropping history', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'debate-damaged-'));
    dirs.push(dataDir);
    await appendFile(join(dataDir, 'rooms.log'), 'garbage\n["r",{"seq":1}]\n');
    await expect(start(dataDir)).rejects.toThrow(/line 1 is not valid JSON/);
  });
});
