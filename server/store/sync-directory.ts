import { open } from 'node:fs/promises';

/** fsyncs a directory, so a file created or renamed in it survives a power cut. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
