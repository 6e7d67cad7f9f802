import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const built = join(root, 'dist/index.html');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

let building: Promise<void> | null = null;

/** True when dist/ is missing or older than anything the client is built from. */
export function clientIsStale(): boolean {
  if (!existsSync(built)) return true;
  const sources = Math.max(newest(join(root, 'client')), newest(join(root, 'shared')), statSync(join(root, 'vite.config.ts')).mtimeMs);
  return sources > statSync(built).mtimeMs;
}

/**
 * Builds the client with Vite's build() API, once per test process and only when it is stale, so the
 * browser tests always run the current code. Returns the dist/ directory.
 */
export async function buildClient(): Promise<string> {
  if (clientIsStale()) {
    building ??= (async () => {
      const { build } = await import('vite');
      await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
    })();
    await building;
  }
  return join(root, 'dist');
}
