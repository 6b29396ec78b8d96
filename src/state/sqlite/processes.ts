import os from 'node:os';
import { STATE_TUNING } from '../../config/tuning.ts';
import { AppError } from '../../errors/appError.ts';
import type { Db } from './database.ts';

/**
 * SQLite's locking works between processes of one machine, not over a network file system, so every process
 * that opens the file says which host it runs on (and renews that while it runs). A process on another host that
 * finds a live entry refuses to start instead of corrupting the file. Returns the function that removes the entry.
 */
export function registerProcess(db: Db, file: string, host: string = os.hostname()): () => void {
  const pid = process.pid;
  const others = db.prepare<[string, number], { host: string }>('SELECT host FROM processes WHERE host != ? AND seen_at >= ? LIMIT 1');
  const upsert = db.prepare('INSERT INTO processes (host, pid, seen_at) VALUES (?, ?, ?) ON CONFLICT (host, pid) DO UPDATE SET seen_at = excluded.seen_at');
  const remove = db.prepare('DELETE FROM processes WHERE host = ? AND pid = ?');
  const forgetStale = db.prepare('DELETE FROM processes WHERE seen_at < ?');
  const register = db.transaction(() => {
    const now = Date.now();
    forgetStale.run(now - STATE_TUNING.sqliteProcessStaleMs);
    const other = others.get(host, now - STATE_TUNING.sqliteProcessStaleMs);
    if (other) {
      throw new AppError(
        'STATE_NOT_SHAREABLE',
        `The state database ${file} is in use by a bot process on another host (${other.host}), and SQLite cannot be shared between hosts`,
        'Run every process on one host, or set STATE_URL=redis://… on all of them.',
      );
    }
    upsert.run(host, pid, now);
  });
  register.immediate();
  const heartbeat = setInterval(() => {
    try {
      upsert.run(host, pid, Date.now());
    } catch {
      // A busy file skips one beat; the entry stays live for several more.
    }
  }, STATE_TUNING.sqliteProcessHeartbeatMs);
  heartbeat.unref();
  return () => {
    clearInterval(heartbeat);
    remove.run(host, pid);
  };
}
