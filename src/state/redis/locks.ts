import { Mutex } from 'redis-semaphore';
import { STATE_TUNING } from '../../config/tuning.ts';
import type { Logger } from '../../log/logger.ts';
import type { LockState } from '../types.ts';
import type { RedisContext } from './context.ts';

/** Locks shared by every process (redis-semaphore's Mutex: SET NX with an expiry its holder refreshes). */
export function redisLocks({ client }: RedisContext, logger: Logger): LockState {
  const ttl = STATE_TUNING.rebuildLockTtlMs;
  return {
    async runExclusive(name, task) {
      const mutex = new Mutex(client, `lock:${name}`, {
        lockTimeout: ttl,
        acquireAttemptsLimit: 1,
        refreshInterval: ttl / 3,
        // The default throws from a timer; losing the lock (Redis down for longer than its expiry) only means another process may build too.
        onLockLost: (error) => logger.warn({ event: 'lock_lost', name, err: error }, 'lost a lock while holding it'),
      });
      if (!(await mutex.tryAcquire())) return { ran: false };
      try {
        return { ran: true, value: await task() };
      } finally {
        await mutex.release().catch((error: unknown) => logger.warn({ event: 'lock_release_failed', name, err: error }, 'could not release a lock; it expires by itself'));
      }
    },
  };
}
