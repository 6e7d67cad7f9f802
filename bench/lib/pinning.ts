import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * The server gets CPU 0 and every generator CPU 1, so neither steals the other's core and the server's
 * CPU time is its own. Without taskset (or with one core) nothing is pinned and the report says so.
 */
export const pinning: { enabled: boolean; why: string } = (() => {
  if (availableParallelism() < 2) return { enabled: false, why: 'fewer than 2 CPUs' };
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return { enabled: true, why: 'server on CPU 0, generators on CPU 1' };
  } catch {
    return { enabled: false, why: 'taskset not found' };
  }
})();

export function pinned(role: 'server' | 'generator', argv: string[]): string[] {
  return pinning.enabled ? ['taskset', '-c', role === 'server' ? '0' : '1', ...argv] : argv;
}

/** Moves this (orchestrating) process and its threads onto the generators' core. */
export function pinSelf(): void {
  if (pinning.enabled) execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
}
