import type { RateLimitDecision } from './types.ts';

/** Sliding-window limits in memory: at most `count` events per key in any `windowMs`. Memory is bounded by active keys. */
export class RateLimitWindows {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  take(key: string, rule: { count: number; windowMs: number }): RateLimitDecision {
    const t = this.now();
    this.prune(t, rule.windowMs);
    const recent = this.hits.get(key) ?? [];
    if (recent.length >= rule.count) return { allowed: false, retryAfterMs: recent[0]! + rule.windowMs - t };
    recent.push(t);
    this.hits.set(key, recent);
    return { allowed: true };
  }

  private prune(t: number, windowMs: number): void {
    for (const [key, times] of this.hits) {
      while (times.length > 0 && times[0]! <= t - windowMs) times.shift();
      if (times.length === 0) this.hits.delete(key);
    }
  }
}
