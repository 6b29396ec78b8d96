/** Runs at most `max` tasks at once; the rest wait in order (nothing is dropped). */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `task` when a slot is free; `onQueued` is told, at once, how many tasks are ahead when it has to wait. */
  async run<T>(task: () => Promise<T>, onQueued?: (ahead: number) => void): Promise<T> {
    if (this.running >= this.max) {
      const ahead = this.running + this.waiting.length;
      const turn = new Promise<void>((resolve) => this.waiting.push(resolve));
      onQueued?.(ahead);
      await turn;
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // Hand the slot straight to the next task so a newcomer cannot jump the queue.
      if (next) next();
      else this.running--;
    }
  }
}
