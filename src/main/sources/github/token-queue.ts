import { createHash } from 'node:crypto';

/** The tail of each token's chain of requests; an entry disappears when its chain runs dry. */
const tails = new Map<string, Promise<unknown>>();

/**
 * The queue key of a token on a server. Hashed so that the token itself is not kept as a key
 * any longer than needed; sources sharing a token share a queue (and GitHub's budget).
 */
export function tokenQueueKey(origin: string, token: string | null): string {
  return `${origin} ${createHash('sha256')
    .update(token ?? '')
    .digest('hex')}`;
}

/**
 * Runs `task` after every earlier task of the same key has settled. GitHub's secondary limits
 * punish concurrent requests per token, so each token's requests go one at a time.
 */
export function runInTokenQueue<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const current = previous.then(task, task);
  const tail = current.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return current;
}
