import { describe, expect, it } from 'vitest';
import { parseLog, type ParsedLog } from '../../src/shared/log/parse-log';
import { emptyMatches, searchLog, type SearchMatches } from '../../src/shared/log/search-log';
import {
  SearchTooLongError,
  TOO_LONG,
  createRegexSearchClient,
  type RegexSearchWorker,
  type Timers,
} from '../../src/renderer/src/logs/regex-search-client';
import {
  answerRegexSearch,
  chunkRequest,
  type RegexSearchRequest,
  type RegexSearchResponse,
} from '../../src/renderer/src/logs/regex-search-protocol';

/** A 5,000-line log over three chunks: every 100th request answered 503. */
const LOG: ParsedLog = parseLog(
  Array.from({ length: 5000 }, (_, index) =>
    index % 100 === 50
      ? `GET /catalog/items/${index} status=503 upstream reset`
      : `GET /catalog/items/${index} status=200`,
  ).join('\n'),
);
const PATTERN = /status=5\d\d/g;

/** A worker on the same thread: answers on the next microtask, or never when `silent`. */
function fakeWorker(options: { silent?: boolean; failToStart?: boolean } = {}) {
  const started: Array<{ terminated: boolean; posted: RegexSearchRequest[] }> = [];
  const start = (): RegexSearchWorker => {
    if (options.failToStart) throw new Error('workers are refused here');
    const record = { terminated: false, posted: [] as RegexSearchRequest[] };
    started.push(record);
    const listeners: Array<(event: { data: RegexSearchResponse }) => void> = [];
    return {
      postMessage(request) {
        record.posted.push(request);
        if (options.silent) return;
        queueMicrotask(() => {
          if (!record.terminated)
            for (const listener of listeners) listener({ data: answerRegexSearch(request) });
        });
      },
      addEventListener(type: 'message' | 'error', listener: (event: never) => void) {
        if (type === 'message')
          listeners.push(listener as (event: { data: RegexSearchResponse }) => void);
      },
      terminate() {
        record.terminated = true;
      },
    };
  };
  return { start, started };
}

/** Timers that fire only when told to. */
function manualTimers() {
  const due = new Map<number, () => void>();
  let next = 1;
  const timers: Timers = {
    setTimeout(callback) {
      due.set(next, callback);
      return next++;
    },
    clearTimeout(handle) {
      due.delete(handle as number);
    },
  };
  const fireAll = (): void => {
    for (const [handle, callback] of [...due]) {
      due.delete(handle);
      callback();
    }
  };
  return { timers, fireAll, pending: () => due.size };
}

async function searchAll(
  client: ReturnType<typeof createRegexSearchClient>,
  limit: number,
): Promise<SearchMatches> {
  const matches = emptyMatches(4);
  for (const chunk of LOG.chunks) await client.searchChunk(chunk, PATTERN, matches, limit);
  return matches;
}

function found(matches: SearchMatches): Array<[number, number, number]> {
  return Array.from({ length: matches.count }, (_, index) => [
    matches.lines[index] ?? -1,
    matches.columns[index] ?? -1,
    matches.lengths[index] ?? -1,
  ]);
}

describe('regex search off the main thread', () => {
  it('finds in the worker exactly what the viewer finds on its own thread', async () => {
    const expected = searchLog(LOG, { text: 'status=5\\d\\d', regex: true, caseSensitive: true });
    if ('error' in expected) throw new Error(expected.error);
    const worker = fakeWorker();
    const matches = await searchAll(createRegexSearchClient(worker.start), 1_000_000);
    expect(matches.count).toBe(50);
    expect(found(matches)).toEqual(found(expected));
    expect(found(matches)[0]).toEqual([50, 22, 10]);
    // One chunk per message: the worker never gets the whole log at once.
    expect(worker.started).toHaveLength(1);
    expect(worker.started[0]?.posted.map((request) => request.lineCount)).toEqual([
      2048, 2048, 904,
    ]);
  });

  it('stops at the match limit and says there were more', async () => {
    const matches = await searchAll(createRegexSearchClient(fakeWorker().start), 30);
    expect(matches.count).toBe(30);
    expect(matches.truncated).toBe(true);
    expect(matches.lines[29]).toBe(2950);
  });

  it('stops a pattern that runs past its budget, and starts a fresh worker for the next search', async () => {
    const silent = fakeWorker({ silent: true });
    const clock = manualTimers();
    const client = createRegexSearchClient(silent.start, 3000, clock.timers);
    const chunk = LOG.chunks[0];
    if (!chunk) throw new Error('no chunk');
    const running = client.searchChunk(chunk, /(\S+\S+)+!/g, emptyMatches(), 100);
    expect(clock.pending()).toBe(1);
    clock.fireAll();
    await expect(running).rejects.toBeInstanceOf(SearchTooLongError);
    await expect(running).rejects.toThrow(TOO_LONG);
    expect(silent.started[0]?.terminated).toBe(true);

    void client.searchChunk(chunk, PATTERN, emptyMatches(), 100).catch(() => undefined);
    expect(silent.started).toHaveLength(2);
    expect(silent.started[1]?.terminated).toBe(false);
  });

  it('stops the worker when the search is abandoned, so the next one does not wait behind it', async () => {
    const silent = fakeWorker({ silent: true });
    const client = createRegexSearchClient(silent.start, 3000, manualTimers().timers);
    const chunk = LOG.chunks[0];
    if (!chunk) throw new Error('no chunk');
    const running = client.searchChunk(chunk, /(\S+\S+)+!/g, emptyMatches(), 100);
    client.cancel();
    await expect(running).rejects.toThrow('search stopped');
    expect(silent.started[0]?.terminated).toBe(true);
  });

  it('searches on the main thread where workers are refused', async () => {
    const refused = fakeWorker({ failToStart: true });
    const matches = await searchAll(createRegexSearchClient(refused.start), 1_000_000);
    expect(matches.count).toBe(50);
    expect(refused.started).toHaveLength(0);
  });

  it('answers a broken pattern with its error rather than throwing in the worker', () => {
    const chunk = LOG.chunks[0];
    if (!chunk) throw new Error('no chunk');
    const request = chunkRequest(7, chunk, /x/g, 10);
    expect(answerRegexSearch({ ...request, source: '(' })).toEqual({
      id: 7,
      error: expect.stringContaining('Invalid regular expression'),
    });
  });
});
