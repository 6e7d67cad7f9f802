import { deleteRoomKeys, REDIS_URL, redisUnreachable } from '../lib/redis.js';
import type { Scenario } from '../lib/scenario.js';
import { fanoutPlan, levels, runSession } from './fanout.js';

/**
 * The app on the Redis store and adapter at the plan's load levels (of the baseline's capacity for that
 * audience). Skipped, not failed, without a Redis; deletes exactly the keys its room wrote.
 */
export const redis: Scenario = {
  name: 'redis',
  async run(ctx) {
    const { plan, gen, results, log, check } = ctx;
    if (!plan.redis) return;
    const why = await redisUnreachable();
    if (why) {
      results.redis = { skipped: why };
      return;
    }
    log(`app with Redis (${REDIS_URL}), ${plan.redis.viewers} viewers`);
    const cap = ctx.capacityAt(plan.redis.viewers);
    const loads = plan.redis.levels.map((level) => ({ label: level === plan.fanout.saturation ? 'sat' : `${Math.round(level * 100)}%`, writesPerSec: cap * level }));
    const session = await runSession(gen, { kind: 'app', redisUrl: REDIS_URL }, fanoutPlan(ctx, plan.redis.viewers, 20), `redis-${plan.redis.viewers}`, levels(loads), log);
    await deleteRoomKeys([session.roomId]).catch((error) => log(`could not delete Redis keys: ${error}`));
    check('app+redis', session.delivery);
    results.redis = session;
  },
};
