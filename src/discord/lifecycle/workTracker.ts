/**
 * What the bot is doing right now, so that a shutdown can stop taking new questions and still finish the answers
 * in flight (SIGTERM from a supervisor or a deploy) instead of dropping them.
 */
export class WorkTracker {
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping = false;

  /** True once a shutdown began: new questions are remembered for after the restart instead of answered. */
  get draining(): boolean {
    return this.stopping;
  }

  get size(): number {
    return this.inFlight.size;
  }

  /** Counts `work` as in flight until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const done = () => this.inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  /** Stops new work and waits until nothing is in flight, or `timeoutMs`; true when everything finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.stopping = true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      // Work may start while we wait (a question remembered for later, say): wait for that too.
      while (this.inFlight.size > 0) {
        const settled = await Promise.race([Promise.allSettled([...this.inFlight]).then(() => true), timedOut]);
        if (!settled) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}
