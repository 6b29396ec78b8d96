import { randomBytes } from 'node:crypto';
import type { RateLimitDecision, RateLimitState } from '../types.ts';
import { RateLimitWindows } from '../rateLimitWindows.ts';
import type { RedisContext } from './context.ts';

/**
 * One sliding window per user in a sorted set of hit times, checked and updated in one Lua script: atomic across
 * every process, and timed by the Redis server's clock so hosts with skewed clocks agree. Returns {1, 0} when
 * allowed, {0, ms until the oldest hit leaves the window} when not.
 */
const TAKE = `
local key, limit, window, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return {0, tonumber(oldest[2]) + window - now}
end
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, window)
return {1, 0}
`;

export function redisRateLimits({ client, degrade }: RedisContext): RateLimitState {
  // While Redis is unreachable each process limits on its own, so a user is still limited, if more loosely.
  const local = new RateLimitWindows();
  return {
    take: (key, rule) =>
      degrade.read(
        'rate limit',
        async (): Promise<RateLimitDecision> => {
          // Unique per hit: two hits in the same millisecond are two members.
          const member = randomBytes(8).toString('hex');
          const [allowed, retryAfterMs] = (await client.eval(TAKE, 1, `ratelimit:${key}`, rule.count, rule.windowMs, member)) as [number, number];
          return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterMs };
        },
        () => local.take(key, rule),
      ),
  };
}
