import { randomUUID } from 'node:crypto';
import { STATE_TUNING } from '../../config/tuning.ts';
import type { LockState } from '../types.ts';
import type { Db } from './database.ts';

/**
 * Locks in the shared file: a row per held lock with an expiry that its holder renews; a holder that dies stops
 * renewing, and the next process takes the lock once it has expired.
 */
export function sqliteLocks(db: Db): LockState {
  const ttl = STATE_TUNING.rebuildLockTtlMs;
  const acquire = db.prepare(
    'INSERT INTO locks (name, owner, expires_at) VALUES (@name, @owner, @expires) ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at WHERE locks.expires_at < @now',
  );
  const renew = db.prepare('UPDATE locks SET expires_at = ? WHERE name = ? AND owner = ?');
  const release = db.prepare('DELETE FROM locks WHERE name = ? AND owner = ?');
  return {
    async runExclusive(name, task) {
      const owner = randomUUID();
      const now = Date.now();
      if (acquire.run({ name, owner, expires: now + ttl, now }).changes === 0) return { ran: false };
      const renewal = setInterval(() => {
        try {
          renew.run(Date.now() + ttl, name, owner);
        } catch {
          // A busy file skips one renewal; the lock holds for two more.
        }
      }, ttl / 3);
      renewal.unref();
      try {
        return { ran: true, value: await task() };
      } finally {
        clearInterval(renewal);
        release.run(name, owner);
      }
    },
  };
}
