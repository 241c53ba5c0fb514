import type { LogChunk } from '../../../shared/log/parse-log';
import type { SearchMatches } from '../../../shared/log/search-log';
import {
  answerRegexSearch,
  chunkRequest,
  type RegexSearchRequest,
  type RegexSearchResponse,
} from './regex-search-protocol';

/** What the client needs of a worker (a real `Worker`, or a fake in tests). */
export type RegexSearchWorker = {
  postMessage(request: RegexSearchRequest): void;
  addEventListener(type: 'message', listener: (event: { data: RegexSearchResponse }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
  terminate(): void;
};

/** How long one chunk (2,048 lines) may take: ordinary patterns need a few milliseconds. */
export const REGEX_CHUNK_BUDGET_MS = 3_000;

/** What the viewer says when a pattern ran out of time. */
export const TOO_LONG =
  'The search took too long and was stopped — simplify the pattern (nested repeats such as (a+)+ can run for ever).';

/** A chunk's search ran past its budget; the worker running it was stopped. */
export class SearchTooLongError extends Error {
  constructor() {
    super(TOO_LONG);
    this.name = 'SearchTooLongError';
  }
}

/** Searches chunks with a regular expression somewhere it can be stopped. */
export type RegexSearchClient = {
  /** Adds the chunk's matches to `matches` (at most `limit` in all). */
  searchChunk(
    chunk: LogChunk,
    pattern: RegExp,
    matches: SearchMatches,
    limit: number,
  ): Promise<void>;
  /** Stops the search in flight, if any (its promise rejects); the next one starts afresh. */
  cancel(): void;
  dispose(): void;
};

/** Timers, injectable for tests. */
export type Timers = {
  setTimeout(callback: () => void, milliseconds: number): unknown;
  clearTimeout(handle: unknown): void;
};

const realTimers: Timers = {
  setTimeout: (callback, milliseconds) => setTimeout(callback, milliseconds),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Pending {
  request: RegexSearchRequest;
  resolve(response: RegexSearchResponse): void;
  reject(error: Error): void;
  timer: unknown;
}

/**
 * Runs regex searches in a worker, one chunk per message, and stops the worker when a chunk
 * takes longer than `budgetMs` (the search then fails with `SearchTooLongError`; the next
 * search starts a fresh worker). If the worker cannot start or fails (a CSP or a file:// origin
 * that refuses workers), chunks are searched on the main thread instead, as before.
 */
export function createRegexSearchClient(
  startWorker: () => RegexSearchWorker,
  budgetMs = REGEX_CHUNK_BUDGET_MS,
  timers: Timers = realTimers,
): RegexSearchClient {
  let worker: RegexSearchWorker | null = null;
  let broken = false;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  function settle(id: number): Pending | undefined {
    const request = pending.get(id);
    if (!request) return undefined;
    pending.delete(id);
    timers.clearTimeout(request.timer);
    return request;
  }

  function fallBack(): void {
    broken = true;
    worker?.terminate();
    worker = null;
    for (const id of [...pending.keys()]) {
      const request = settle(id);
      request?.resolve(answerRegexSearch(request.request));
    }
  }

  function ensureWorker(): RegexSearchWorker | null {
    if (worker || broken) return worker;
    try {
      const started = startWorker();
      started.addEventListener('message', ({ data }) => settle(data.id)?.resolve(data));
      started.addEventListener('error', fallBack);
      worker = started;
    } catch {
      broken = true;
    }
    return worker;
  }

  function stopForTooLong(id: number): void {
    const request = settle(id);
    if (!request) return;
    // A regex cannot be interrupted: the only way to stop it is to stop its thread.
    worker?.terminate();
    worker = null;
    request.reject(new SearchTooLongError());
    for (const other of [...pending.keys()]) settle(other)?.reject(new SearchTooLongError());
  }

  function run(request: RegexSearchRequest): Promise<RegexSearchResponse> {
    const running = ensureWorker();
    if (!running) return Promise.resolve(answerRegexSearch(request));
    return new Promise((resolve, reject) => {
      const timer = timers.setTimeout(() => stopForTooLong(request.id), budgetMs);
      pending.set(request.id, { request, resolve, reject, timer });
      running.postMessage(request);
    });
  }

  return {
    async searchChunk(chunk, pattern, matches, limit) {
      const remaining = Math.max(0, limit - matches.count);
      const response = await run(chunkRequest(nextId++, chunk, pattern, remaining));
      if ('error' in response) throw new Error(response.error);
      appendMatches(matches, response, limit);
    },
    cancel() {
      if (pending.size === 0) return;
      // The worker may be deep in a pattern that never ends: do not let the next search wait.
      worker?.terminate();
      worker = null;
      for (const id of [...pending.keys()]) settle(id)?.reject(new Error('search stopped'));
    },
    dispose() {
      worker?.terminate();
      worker = null;
      for (const id of [...pending.keys()]) settle(id)?.reject(new Error('search stopped'));
    },
  };
}

/** Adds one chunk's matches to the log's, growing the arrays as `searchChunk` does. */
export function appendMatches(
  matches: SearchMatches,
  found: Extract<RegexSearchResponse, { lines: Uint32Array }>,
  limit: number,
): void {
  const room = Math.max(0, limit - matches.count);
  const count = Math.min(found.count, room);
  if (matches.count + count > matches.lines.length) {
    let capacity = Math.max(1, matches.lines.length);
    while (capacity < matches.count + count) capacity *= 2;
    const grow = (from: Uint32Array): Uint32Array => {
      const next = new Uint32Array(capacity);
      next.set(from.subarray(0, matches.count));
      return next;
    };
    matches.lines = grow(matches.lines);
    matches.columns = grow(matches.columns);
    matches.lengths = grow(matches.lengths);
  }
  matches.lines.set(found.lines.subarray(0, count), matches.count);
  matches.columns.set(found.columns.subarray(0, count), matches.count);
  matches.lengths.set(found.lengths.subarray(0, count), matches.count);
  matches.count += count;
  if (found.truncated || count < found.count) matches.truncated = true;
}

let shared: RegexSearchClient | null = null;

/** The viewer's one regex search worker client. */
export function sharedRegexSearchClient(): RegexSearchClient {
  // Vite finds this exact `new Worker(new URL(…, import.meta.url))` form and bundles the worker.
  shared ??= createRegexSearchClient(
    () =>
      new Worker(new URL('./regex-search-worker.ts', import.meta.url), {
        type: 'module',
      }) as unknown as RegexSearchWorker,
  );
  return shared;
}
