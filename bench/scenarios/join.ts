import type { Generators } from '../lib/generators.js';
import { waitForQuiet } from '../lib/machine.js';
import { ticksToMicros } from '../lib/procfs.js';
import type { Scenario } from '../lib/scenario.js';
import { ServerUnderTest, type ServerKind } from '../lib/servers.js';

export interface JoinPlan {
  seedPosts: number;
  viewers: number;
  seeders: number;
  quietMs: number;
}

/**
 * A room seeded with real posts in a reply tree, then a burst of fresh viewers joining at once: how fast
 * snapshots go out, what one costs the server, and how big it is. The baseline's tiny snapshot gives the
 * floor: what connecting and joining costs before any snapshot is built.
 */
export async function runJoin(gen: Generators, kind: ServerKind, plan: JoinPlan) {
  await waitForQuiet(plan.quietMs);
  const server = await ServerUnderTest.start({ kind });
  try {
    const { roomId } = await gen.posters.call('createRoom', { url: server.url, title: 'Join burst' });
    await gen.posters.call('join', { url: server.url, roomId, count: plan.seeders });
    const seeded = kind === 'app' ? await gen.posters.call('seed', { count: plan.seedPosts }) : { posts: 0, maxSeq: 0 };
    const rss0 = server.rssKb();
    const cpu0 = server.cpuTicks();
    const burst = await gen.viewers.call('joinBurst', { url: server.url, roomId, count: plan.viewers });
    const cpuUs = ticksToMicros(server.cpuTicks() - cpu0);
    const rss1 = server.rssKb();
    return {
      server: kind,
      seededPosts: seeded.posts,
      ...burst,
      serverCpuMsPerJoin: cpuUs / 1000 / Math.max(1, burst.joined),
      joinsPerCoreSecond: burst.joined / (cpuUs / 1e6),
      rssGrowthMb: (rss1 - rss0) / 1024,
    };
  } finally {
    await gen.posters.call('close').catch(() => {});
    await server.stop();
  }
}

/** The app's join burst, then (full run) the baseline's: the floor without a snapshot. */
export const join: Scenario = {
  name: 'join',
  async run({ plan, gen, results, log }) {
    for (const kind of plan.join.baseline ? (['app', 'baseline'] as const) : (['app'] as const)) {
      log(`join burst: ${kind}, ${plan.join.viewers} viewers${kind === 'app' ? `, ${plan.join.seedPosts} posts` : ''}`);
      const burst = await runJoin(gen, kind, { ...plan.join, seeders: 10, quietMs: plan.quietMs });
      if (burst.failed > 0) results.failures.push(`join burst (${kind}): ${burst.failed} joins failed`);
      results.join.push(burst);
    }
  },
};
