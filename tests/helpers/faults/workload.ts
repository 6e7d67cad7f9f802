// Load for fault tests, and the checks at the end of every one: each acknowledged post is in the log
// exactly once and in its writer's order, every browser holds every one of them, and every browser's state
// equals the server's.
import { toRaw } from 'vue';
import { expect } from 'vitest';
import { redactState } from '../../../shared/redact.js';
import type { RoomState } from '../../../shared/room-state.js';
import { connect, ok } from '../client.js';
import type { Browser } from './browsers.js';
import { waitFor, type Cluster } from './cluster.js';

/** Opens a room through a raw socket (the host takes no part in the load). */
export async function openRoom(url: string): Promise<string> {
  const host = await connect(url);
  const { roomId } = await ok(host, 'room:create', { title: 'Fault drill', motion: 'This house believes nothing acknowledged is ever lost' });
  host.disconnect();
  return roomId;
}

export async function joinAll(browsers: Browser[], roomId: string, writers: Set<Browser>): Promise<void> {
  for (const browser of browsers) {
    browser.room.open(roomId);
    await (writers.has(browser) ? browser.room.join('participant', browser.name) : browser.room.join('viewer'));
  }
}

export interface Writing {
  stop(): void;
  submitted(): number;
}

/**
 * Each writer posts every `everyMs` while it has fewer than `maxPending` posts waiting (so an outage
 * builds a bounded backlog, as a person would), some of them replies to its own earlier posts.
 */
export function startWriting(writers: Browser[], opts: { everyMs?: number; maxPending?: number; replies?: boolean } = {}): Writing {
  let submitted = 0;
  const timers = writers.map((writer) =>
    setInterval(() => {
      const room = writer.room;
      if (room.phase !== 'joined' || room.pending.length >= (opts.maxPending ?? 5)) return;
      const mine = opts.replies === false ? [] : writer.acks.filter((id) => room.state?.posts[id]);
      const parent = mine.length && Math.random() < 0.3 ? mine[Math.floor(Math.random() * mine.length)]! : null;
      room.submitPost(`${writer.name}: point ${++submitted}`, parent);
    }, opts.everyMs ?? 40),
  );
  return {
    stop: () => timers.forEach(clearInterval),
    submitted: () => submitted,
  };
}

/** Milliseconds from `since` until every writer has had a post acknowledged after it; fails at once should a node die. */
export async function recoveryTime(cluster: Cluster, writers: Browser[], since: number, ms = 30_000): Promise<number> {
  await waitFor(() => {
    expectAlive(cluster);
    return writers.every((writer) => [...writer.ackedAt.values()].some((at) => at > since));
  }, 'every writer to be acknowledged again', ms);
  return Math.max(...writers.map((writer) => Math.min(...[...writer.ackedAt.values()].filter((at) => at > since)))) - since;
}

/** Fails with the last words of any node that died. */
export function expectAlive(cluster: Cluster): void {
  for (const node of cluster.nodes) {
    const { child } = node.process;
    if (child.exitCode === null && child.signalCode === null) continue;
    const lastWords = node.process.output().split('\n').slice(-12).join('\n');
    throw new Error(`${node.name} died (${child.exitCode ?? child.signalCode}):\n${lastWords}`);
  }
}

export interface Verdict {
  acked: number;
  found: number;
  duplicates: number;
  lost: number;
  events: number;
  syncs: number;
  browsers: number;
}

/**
 * Waits until every writer has nothing left to send and every browser is joined at the server's seq and
 * epoch, pages in every browser's older threads, then checks and returns the counts.
 */
export async function verify(cluster: Cluster, roomId: string, browsers: Browser[], writers: Browser[]): Promise<Verdict> {
  const reader = await cluster.reader();
  const server = async () => ({ state: (await reader.load(roomId))!, epoch: await reader.epoch(roomId) });
  await waitFor(
    async () => {
      const { state, epoch } = await server().catch(() => ({ state: null, epoch: null }));
      if (!state) return false;
      const settled = writers.every((writer) => writer.room.pending.every((post) => post.status === 'failed'));
      return settled && browsers.every((b) => b.room.ready && b.room.state?.seq === state.seq && b.room.epoch() === epoch);
    },
    'every browser to catch up and every writer to have sent everything',
    45_000,
    100,
    async () => {
      const { state, epoch } = await server().catch(() => ({ state: null, epoch: null }));
      const lines = browsers.map((b) => `  ${b.name}: ${b.room.phase}${b.room.ready ? ', ready' : ''}, seq ${b.room.state?.seq}, epoch ${b.room.epoch()}, ${b.room.pending.length} pending`);
      return [`  server: seq ${state?.seq}, epoch ${epoch}`, ...lines].join('\n');
    },
  );
  const failed = writers.flatMap((writer) => writer.room.pending.filter((post) => post.status === 'failed').map((post) => `${writer.name}: ${post.error}`));
  expect(failed, 'posts the outbox gave up on').toEqual([]);
  for (const browser of browsers) {
    while (browser.room.olderThreads) await browser.room.loadOlder();
  }

  const { state } = await server();
  const log = (await reader.eventsSince(roomId, 0, 1_000_000))!;
  const created = log.flatMap((event) => (event.type === 'post.created' ? [event.postId] : []));
  const counts = new Map<string, number>();
  for (const id of created) counts.set(id, (counts.get(id) ?? 0) + 1);
  const acked = writers.flatMap((writer) => writer.acks);
  const verdict: Verdict = {
    acked: acked.length,
    found: acked.filter((id) => counts.has(id)).length,
    duplicates: [...counts.values()].filter((n) => n > 1).length,
    lost: acked.filter((id) => !counts.has(id)).length,
    events: log.length,
    syncs: browsers.reduce((sum, browser) => sum + browser.syncs, 0),
    browsers: browsers.length,
  };
  expect(verdict.lost, 'acknowledged posts missing from the log').toBe(0);
  expect(verdict.duplicates, 'posts logged twice').toBe(0);
  for (const writer of writers) {
    const inOrder = (ids: string[]) => ids.filter((id) => writer.ackedAt.has(id) && !writer.sentAgain.has(id));
    expect(inOrder(created), `${writer.name}'s posts in the log, in the order they were acknowledged`).toEqual(inOrder(writer.acks));
  }
  const expected = comparable(redactState(state, 'public'));
  for (const browser of browsers) {
    const mine = browser.room.state!;
    expect(acked.filter((id) => !mine.posts[id]), `acknowledged posts missing from ${browser.name}`).toEqual([]);
    expect(comparable(mine), `${browser.name}'s state`).toEqual(expected);
  }
  return verdict;
}

/** A state as plain data, its posts in creation order (a browser that paged threads in orders them so). */
function comparable(state: RoomState): RoomState {
  const plain = JSON.parse(JSON.stringify(toRaw(state))) as RoomState;
  plain.postOrder = [...plain.postOrder].sort();
  return plain;
}

export function summary(label: string, verdict: Verdict, extra: Record<string, string> = {}): string {
  const perThousand = ((verdict.syncs / Math.max(1, verdict.events * verdict.browsers)) * 1_000).toFixed(1);
  const parts = [`acked ${verdict.acked}`, `found ${verdict.found}`, `duplicates ${verdict.duplicates}`, `lost ${verdict.lost}`, `room:sync ${perThousand} per 1,000 events per browser`];
  for (const [key, value] of Object.entries(extra)) parts.push(`${key} ${value}`);
  const line = `[faults] ${label}: ${parts.join(', ')}`;
  console.log(line);
  return line;
}
