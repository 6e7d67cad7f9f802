import { readFileSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const LOCK_FILE = 'rooms.lock';

/** Data dirs this process holds: its own pid in a lock file says nothing about which store in it opened it. */
const heldHere = new Set<string>();

export interface DataDirLock {
  release(): Promise<void>;
}

/**
 * One process per data directory: two would both append to the log and number events from their own
 * memory, forking it. The lock is a file created exclusively with the holder's pid (and, on Linux, its
 * start time, so a pid reused after a reboot is not taken for the holder). A lock left by a process that
 * is gone (killed, crashed) is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const dir = resolve(dataDir);
  const path = join(dir, LOCK_FILE);
  if (heldHere.has(dir)) throw new Error(`DATA_DIR ${dataDir} is already open in this process (pid ${process.pid}); close that store first.`);
  const mine = `${process.pid}\n${startTimeOf(process.pid) ?? ''}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      const file = await open(path, 'wx');
      try {
        await file.writeFile(mine);
        await file.sync();
      } finally {
        await file.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
    }
    const holder = await readHolder(path);
    if (holder && isRunning(holder)) {
      throw new Error(
        `DATA_DIR ${dataDir} is in use by another server process (pid ${holder.pid}): stop it, or give this one its own DATA_DIR. ` +
          `Two processes on one embedded store would fork its log. (If pid ${holder.pid} is not a server of this store, delete ${path}.)`,
      );
    }
    await takeOverStale(path, holder);
  }
  heldHere.add(dir);
  return {
    async release() {
      heldHere.delete(dir);
      const holder = await readHolder(path);
      if (holder?.pid === process.pid) await rm(path, { force: true });
    },
  };
}

interface Holder {
  pid: number;
  startTime: string;
  text: string;
}

async function readHolder(path: string): Promise<Holder | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const [pid, startTime = ''] = text.split('\n');
  return /^\d+$/.test(pid ?? '') ? { pid: Number(pid), startTime, text } : { pid: 0, startTime: '', text };
}

/** Moves a stale lock out of the way, unless someone else replaced it meanwhile (then it is theirs: put it back). */
async function takeOverStale(path: string, stale: Holder | null): Promise<void> {
  if (stale === null) return;
  const aside = `${path}.stale-${process.pid}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((await readFile(aside, 'utf8')) !== stale.text) {
    await rename(aside, path);
    return;
  }
  await rm(aside, { force: true });
  const who = stale.pid ? `pid ${stale.pid}, no longer running` : 'unreadable';
  console.error(`[embedded store] took over the lock on ${path} left by a process that is gone (${who}).`);
}

function isRunning(holder: Holder): boolean {
  // Our own pid but not held here: a previous life of this process's pid (a container's pid 1 after a restart).
  if (holder.pid <= 0 || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(holder.pid);
  if (!stat) return true;
  // A zombie has exited (its parent has not reaped it yet); another start time is another process with a reused pid.
  return stat.state !== 'Z' && !(holder.startTime && stat.startTime !== holder.startTime);
}

const startTimeOf = (pid: number) => procStat(pid)?.startTime ?? null;

/** A process's state and start time (clock ticks since boot) from /proc; null where /proc does not say. */
function procStat(pid: number): { state: string; startTime: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name, which is in parentheses and may hold spaces: state is the 3rd field, starttime the 22nd.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ? { state: fields[0]!, startTime: fields[19] } : null;
  } catch {
    return null;
  }
}
