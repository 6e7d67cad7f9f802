import { it } from 'vitest';
import { redisRequired } from '../redis.js';
import { faultsAvailable } from './cluster.js';

/** Fault tests need redis-server; where Redis is required (CI), its absence fails instead of skipping. */
export function requireRedisServer(): boolean {
  if (!faultsAvailable && redisRequired()) {
    it('needs redis-server', () => {
      throw new Error('/usr/bin/redis-server is missing, and REQUIRE_REDIS=1.');
    });
  }
  return !faultsAvailable;
}
