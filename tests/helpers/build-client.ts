import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const built = join(root, 'dist/index.html');
/** Test files run in parallel processes: one builds while the others wait, or they would empty dist/ under each other. */
const lock = join(root, 'node_modules/.debate-client-build.lock');
const LOCK_STALE_MS = 180_000;

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** True when dist/ is missing or older than anything the client is built from. */
export function clientIsStale(): boolean {
  if (!existsSync(built)) return true;
  const sources = Math.max(newest(join(root, 'client')), newest(join(root, 'shared')), statSync(join(root, 'vite.config.ts')).mtimeMs);
  return sources > statSync(built).mtimeMs;
}

function tryLock(): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    // Left behind by a process that died mid-build: take it over.
    if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
    return false;
  }
}

/**
 * Builds the client with Vite's build() API when dist/ is missing or stale (once, however many test
 * files ask at the same time), so the browser tests always run the current code. Returns dist/.
 */
export async function buildClient(): Promise<string> {
  while (clientIsStale()) {
    if (!tryLock()) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    try {
      if (clientIsStale()) {
        const { build } = await import('vite');
        await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return join(root, 'dist');
}
