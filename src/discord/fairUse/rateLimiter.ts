/** Sliding-window limit per user: at most `count` questions in any `windowMs`. Memory is bounded by active users. */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly count: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a question when allowed; otherwise says how long until the next one is. */
  take(userId: string): { allowed: true } | { allowed: false; retryAfterMs: number } {
    const t = this.now();
    this.prune(t);
    const recent = this.hits.get(userId) ?? [];
    if (recent.length >= this.count) return { allowed: false, retryAfterMs: recent[0]! + this.windowMs - t };
    recent.push(t);
    this.hits.set(userId, recent);
    return { allowed: true };
  }

  private prune(t: number): void {
    for (const [user, times] of this.hits) {
      while (times.length > 0 && times[0]! <= t - this.windowMs) times.shift();
      if (times.length === 0) this.hits.delete(user);
    }
  }
}

export function rateLimitNotice(retryAfterMs: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return `You're asking faster than I can keep up — please wait ${seconds} s and ask again.`;
}
