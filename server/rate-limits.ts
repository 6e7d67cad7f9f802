import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../shared/errors.js';

/** A budget: `points` per window of `seconds`. */
export interface Rule {
  points: number;
  seconds: number;
}

/** One named limit; `consume` throws RATE_LIMITED (with a plain sentence) when the key is over budget. */
export interface Limit {
  consume(key: string, points?: number): Promise<void>;
  /** True when the key still has `points` left, without spending them. */
  allows(key: string, points?: number): Promise<boolean>;
}

export type LimitFactory = (name: string, rule: Rule, refusal?: (seconds: number) => string) => Limit;

/** A connected node-redis client (any of its typed variants). */
type RedisClient = object;

const tooFast = (seconds: number) => `You are going too fast; try again in ${seconds} s.`;

/**
 * Limits live in memory on one node, or in Redis when there is one, so that a budget holds across every
 * node an attacker can reach. If Redis stops answering, each node falls back to its own memory (the
 * insurance limiter) rather than letting everything through or refusing everyone.
 */
export function limitFactory(redis?: RedisClient, prefix = 'debate:rl'): LimitFactory {
  return (name, rule, refusal = tooFast) => {
    const options = { points: rule.points, duration: rule.seconds, keyPrefix: `${prefix}:${name}` };
    const limiter: RateLimiterAbstract = redis
      ? new RateLimiterRedis({ ...options, storeClient: redis, useRedisPackage: true, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(options) })
      : new RateLimiterMemory(options);
    return {
      async consume(key, points = 1) {
        try {
          await limiter.consume(key, points);
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          throw new AppError('RATE_LIMITED', refusal(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))));
        }
      },
      async allows(key, points = 1) {
        const used = await limiter.get(key);
        return !used || used.remainingPoints >= points;
      },
    };
  };
}
