/**
 * A counting semaphore: at most `limit` holders at once, the rest wait in arrival order. The
 * poller uses it to bound polls in flight across all sources (GitHub's secondary rate limits
 * punish bursts of concurrent requests per token).
 */
export class Semaphore {
  private held = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`A semaphore needs a limit of at least 1, not ${limit}`);
    }
  }

  /** Holders right now. */
  get inUse(): number {
    return this.held;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with a release function once a slot is free. Releasing twice is harmless. */
  acquire(): Promise<() => void> {
    if (this.held < this.limit) {
      this.held += 1;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => {
      this.waiters.push(() => resolve(this.releaser()));
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // Hand the slot straight to the next waiter so no newcomer can jump the queue.
      if (next) next();
      else this.held -= 1;
    };
  }
}
