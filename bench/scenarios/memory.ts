import { sleep } from '../lib/clock.js';
import type { Generators } from '../lib/generators.js';
import { waitForQuiet } from '../lib/machine.js';
import type { Scenario } from '../lib/scenario.js';
import { ServerUnderTest, type ServerKind } from '../lib/servers.js';

/**
 * RSS once it stops falling: sampled every second for at least `minMs` (the read budgets of 10 s expire, and
 * the app's idle collector collects after the burst and once more after 10 s of quiet), then until two samples
 * in a row are within 0.5 %, for at most `maxMs`.
 */
async function settledRss(server: ServerUnderTest, minMs = 25_000, maxMs = 40_000): Promise<number> {
  const started = Date.now();
  let last = server.rssKb();
  for (;;) {
    await sleep(1_000);
    const rss = server.rssKb();
    const elapsed = Date.now() - started;
    if (elapsed >= maxMs || (elapsed >= minMs && Math.abs(rss - last) <= 0.005 * last)) return rss;
    last = rss;
  }
}

/**
 * Server RSS per idle connection: VmRSS before and after `connections` viewers joined one room, divided.
 * Idle means joined and quiet: no writes, only pings and the presence count going out.
 */
export async function runMemory(gen: Generators, kind: ServerKind, connections: number, quietMs: number) {
  await waitForQuiet(quietMs);
  const server = await ServerUnderTest.start({ kind });
  try {
    const { roomId } = await gen.posters.call('createRoom', { url: server.url, title: 'Memory' });
    // Warm the connection path first, so the code it loads and compiles is not charged to the connections.
    await gen.viewers.call('connect', { url: server.url, roomId, raw: 20, io: 0 });
    await gen.viewers.call('closeAll');
    await sleep(1_500);
    const before = server.rssKb();
    const connected = await gen.viewers.call('connect', { url: server.url, roomId, raw: connections, io: 0, concurrency: 200 });
    // Let presence broadcasts and the first garbage collections settle.
    await sleep(2_500);
    const after = server.rssKb();
    const settled = await settledRss(server);
    return {
      server: kind,
      connections: connected.viewers,
      connectMs: connected.ms,
      rssBeforeMb: before / 1024,
      rssAfterMb: after / 1024,
      kbPerConnection: (after - before) / connected.viewers,
      /** Once idle for a while: the joins' garbage collected, their 10 s read budgets expired; what the connections keep. */
      rssSettledMb: settled / 1024,
      kbPerConnectionSettled: (settled - before) / connected.viewers,
    };
  } finally {
    await gen.viewers.call('closeAll').catch(() => {});
    await server.stop();
  }
}

/** Full run only (the quick plan has no memory size): the app, then the bare baseline. */
export const memory: Scenario = {
  name: 'memory',
  async run({ plan, gen, results, log }) {
    if (!plan.memory) return;
    for (const kind of ['app', 'baseline'] as const) {
      log(`memory: ${kind}, ${plan.memory.connections} idle connections`);
      results.memory.push(await runMemory(gen, kind, plan.memory.connections, plan.quietMs));
    }
  },
};
