import type { RateLimitDecision, RateLimitState } from '../types.ts';
import type { SqliteContext } from './context.ts';
import type { Db } from './database.ts';
import { everyNth } from './retention.ts';

/**
 * Sliding windows shared by every process using the file: each take is one IMMEDIATE transaction, so two shards
 * counting the same user cannot both see room for one more question.
 */
export function sqliteRateLimits(db: Db, ctx: SqliteContext): RateLimitState {
  const forget = db.prepare('DELETE FROM rate_limit_hits WHERE key = ? AND at <= ?');
  const recent = db.prepare<[string], { count: number; oldest: number | null }>('SELECT count(*) AS count, min(at) AS oldest FROM rate_limit_hits WHERE key = ?');
  const hit = db.prepare('INSERT INTO rate_limit_hits (key, at) VALUES (?, ?)');
  const forgetAll = db.prepare('DELETE FROM rate_limit_hits WHERE at <= ?');
  let windowMs = 0;
  // Users who stopped asking leave rows behind; clearing them now and then keeps the table as small as the windows.
  const prune = everyNth(ctx.pruneEvery, () => forgetAll.run(Date.now() - windowMs));

  const take = db.transaction((key: string, rule: { count: number; windowMs: number }): RateLimitDecision => {
    const t = Date.now();
    windowMs = rule.windowMs;
    forget.run(key, t - rule.windowMs);
    const { count, oldest } = recent.get(key)!;
    if (count >= rule.count) return { allowed: false, retryAfterMs: (oldest ?? t) + rule.windowMs - t };
    hit.run(key, t);
    prune();
    return { allowed: true };
  });
  return { take: async (key, rule) => take.immediate(key, rule) };
}
