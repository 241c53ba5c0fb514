import type { Clock } from '../../src/main/poller/clock';

/** Lets every pending promise callback run (microtasks drain before a macrotask). */
export async function flushPromises(): Promise<void> {
  for (let round = 0; round < 3; round += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

interface FakeTimer {
  due: number;
  callback: () => void;
}

/** A clock that moves only when a test says so; timers fire in due order, promises settle between. */
export class FakeClock implements Clock {
  private time: number;
  private nextHandle = 1;
  private readonly timers = new Map<number, FakeTimer>();

  constructor(start = Date.UTC(2025, 0, 6, 14, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, milliseconds: number): unknown {
    const handle = this.nextHandle;
    this.nextHandle += 1;
    this.timers.set(handle, { due: this.time + Math.max(0, milliseconds), callback });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers set and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward, firing each timer at its due time and settling promises after each. */
  async advance(milliseconds: number): Promise<void> {
    const target = this.time + milliseconds;
    for (;;) {
      await flushPromises();
      const next = this.earliest();
      if (!next || next[1].due > target) break;
      this.timers.delete(next[0]);
      this.time = next[1].due;
      next[1].callback();
    }
    this.time = target;
    await flushPromises();
  }

  private earliest(): [number, FakeTimer] | undefined {
    let found: [number, FakeTimer] | undefined;
    for (const entry of this.timers) {
      if (!found || entry[1].due < found[1].due) found = entry;
    }
    return found;
  }
}
