import { deleteRoomKeys, REDIS_URL, redisUnreachable } from '../lib/redis.js';
import type { Scenario, ScenarioContext } from '../lib/scenario.js';
import type { ServerOptions } from '../lib/servers.js';
import type { RoomWrites } from '../report/types.js';
import { runSession, type FanoutPlan } from './fanout.js';

/**
 * Many writers, one room: posts offered open-loop at rising rates, on the embedded store, on Redis and on
 * the bare Socket.IO baseline (which stores nothing: the ceiling of the transport). What counts is how
 * many writes per second one room acknowledges (stored, then acked, then broadcast) and how long an ack
 * takes: a room whose appends went one at a time (one fsync or one Redis round trip each) stops at what
 * one commit per write allows, where group commit takes every write that waited during one commit in the next.
 * A small audience follows the room, so every acknowledged write is checked to reach every viewer once.
 */
const sizes = (mode: 'quick' | 'full') =>
  mode === 'quick'
    ? { writers: 20, viewers: 20, ioViewers: 5, phaseMs: 1_000, warmupMs: 0, rates: [500, 2_500] }
    : { writers: 100, viewers: 50, ioViewers: 10, phaseMs: 3_000, warmupMs: 1_000, rates: [1_000, 2_000, 3_000, 5_000, 8_000] };

async function runServer(ctx: ScenarioContext, options: ServerOptions, label: string): Promise<RoomWrites['servers'][number]> {
  const size = sizes(ctx.plan.mode);
  const plan: FanoutPlan = {
    noise: { limit: ctx.plan.noise.limit, budget: { left: 2 } },
    audience: { viewers: size.viewers, ioViewers: size.ioViewers, posters: size.writers },
    phaseMs: size.phaseMs,
    warmupMs: size.warmupMs,
    warmupWritesPerSec: size.rates[0]! / 2,
    bodyBytes: 300,
    reactionsPerPost: 0,
    quietMs: ctx.plan.quietMs,
  };
  ctx.log(`room writes: ${label}, ${size.writers} writers, ${size.viewers} viewers`);
  const session = await runSession(ctx.gen, options, plan, `room-writes-${label}`, async (run) => {
    for (const rate of size.rates) await run({ label: `${rate}/s`, writesPerSec: rate });
  }, ctx.log);
  if (options.redisUrl) await deleteRoomKeys([session.roomId]).catch((error) => ctx.log(`could not delete Redis keys: ${error}`));
  ctx.check(`room writes ${label}`, session.delivery);
  const phases = session.phases.map((phase) => {
    const refused = Object.values(phase.writeErrors).reduce((sum, count) => sum + count, 0);
    // Every acknowledged write reaches every viewer (checked): the rate one viewer received them at is the room's.
    return { ...phase, ackedWritesPerSec: phase.deliveriesPerSec / phase.viewers, acked: phase.ackLatency.count - refused, ack: phase.ackLatency };
  });
  for (const phase of phases) {
    ctx.log(`  ${label} ${phase.label}: ${phase.ackedWritesPerSec.toFixed(0)} acknowledged writes/s, ack p50 ${phase.ack.p50.toFixed(1)} / p99 ${phase.ack.p99.toFixed(1)} ms, ${phase.eventsPerFrame.toFixed(1)} events/frame`);
  }
  return { server: session.server, phases, delivery: session.delivery };
}

export const scenario: Scenario = {
  name: 'room-writes',
  async run(ctx) {
    const size = sizes(ctx.plan.mode);
    const result: RoomWrites = { writers: size.writers, viewers: size.viewers, servers: [] };
    ctx.results.roomWrites = result;
    result.servers.push(await runServer(ctx, { kind: 'baseline' }, 'baseline'));
    result.servers.push(await runServer(ctx, { kind: 'app' }, 'embedded'));
    const why = await redisUnreachable();
    if (why) ctx.log(`room writes on Redis skipped: ${why}`);
    else result.servers.push(await runServer(ctx, { kind: 'app', redisUrl: REDIS_URL }, 'redis'));
  },
};
