/**
 * `--concurrency N`: how many live targets (clusters, accounts, projects, subscriptions) a scan
 * collects at once, across all its sources. Each target holds one slot from its first call to its
 * last, so wall time follows the slowest targets, not their sum.
 */
export const DEFAULT_TARGET_CONCURRENCY = 8;

export class TargetLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number = DEFAULT_TARGET_CONCURRENCY) {}

  /** Runs `work` once a slot is free; slots are handed out in the order they were asked for. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line, so `active` never exceeds the limit.
      if (next) next();
      else this.active--;
    }
  }
}
