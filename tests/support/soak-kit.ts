import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Measures of the soak (tests/integration/soak.test.ts): waiting, memory, overlap. */

/** Resolves after `milliseconds`. */
export const sleep = (milliseconds: number) =>
  new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Resolves once `condition` holds; rejects naming `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(100);
  }
}

/** A full garbage collection, so that memory figures compare live data, not garbage. */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Resident set, V8 heap and external memory (MB) after a full garbage collection. */
export function memory(): { rss: number; heap: number; external: number } {
  collectGarbage();
  const usage = process.memoryUsage();
  return {
    rss: usage.rss / 2 ** 20,
    heap: usage.heapUsed / 2 ** 20,
    external: usage.external / 2 ** 20,
  };
}

/**
 * The most polls in flight at once: a poll runs from its first request reaching the fake to its
 * health being published, both inside the time it holds one of the poller's slots.
 */
export function mostAtOnce(polls: ReadonlyArray<{ from: number; to: number }>): number {
  const events = polls.flatMap((poll) => [
    { at: poll.from, step: 1 },
    { at: poll.to, step: -1 },
  ]);
  // At equal times an end comes first: a slot handed straight on is not two polls at once.
  events.sort((left, right) => left.at - right.at || left.step - right.step);
  let current = 0;
  let most = 0;
  for (const event of events) {
    current += event.step;
    most = Math.max(most, current);
  }
  return most;
}
