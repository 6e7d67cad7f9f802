import { open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDirectory } from './sync-directory.js';

const COPY_CHUNK = 1 << 20;

/**
 * Copies `path` from byte `from` to its end into a file beside it, durably, then cuts `path` back to `from`,
 * and says so loudly: what is moved aside may hold acknowledged events, and a person should look at it.
 * Returns the new file's path.
 */
export async function moveTailAside(path: string, from: number, size: number, reason: string): Promise<string> {
  const aside = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const source = await open(path, 'r+');
  let lines = 0;
  try {
    const target = await open(aside, 'wx');
    try {
      const buffer = Buffer.allocUnsafe(COPY_CHUNK);
      for (let position = from; position < size; ) {
        const { bytesRead } = await source.read(buffer, 0, Math.min(COPY_CHUNK, size - position), position);
        if (bytesRead === 0) break;
        for (let at = buffer.indexOf(0x0a); at !== -1 && at < bytesRead; at = buffer.indexOf(0x0a, at + 1)) lines++;
        let written = 0;
        while (written < bytesRead) written += (await target.write(buffer, written, bytesRead - written)).bytesWritten;
        position += bytesRead;
      }
      await target.sync();
    } catch (error) {
      await target.close();
      await rm(aside, { force: true });
      throw new Error(`${path} is damaged (${reason}), and its damaged part could not be set aside in ${aside}: ${(error as Error).message}`);
    }
    await target.close();
    await syncDirectory(dirname(path));
    await source.truncate(from);
    await source.datasync();
  } finally {
    await source.close();
  }
  const rule = '!'.repeat(100);
  console.error(
    [
      rule,
      `[embedded store] DAMAGED LOG: ${path}: ${reason}.`,
      `[embedded store] Started from the ${from} good bytes before it. The rest (${size - from} bytes, ${lines} lines) was moved to`,
      `[embedded store]   ${aside}`,
      `[embedded store] Look at it before deleting it: it may hold acknowledged events. See "The embedded store" in README.md.`,
      rule,
    ].join('\n'),
  );
  return aside;
}
