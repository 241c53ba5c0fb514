import { describe, expect, it } from 'vitest';
import type { LogComparison, LogSearchHit, LogSearchResult } from '../../src/shared/log/log-api';
import { queryWords as indexQueryWords } from '../../src/main/logs/log-search';
import {
  baselineWords,
  compareToggleWords,
  comparisonNote,
  newLineCountWords,
  stepNewLine,
} from '../../src/renderer/src/logs/new-lines';
import {
  coverageNotes,
  hitHref,
  hitPlace,
  markWords,
  queryWords,
  searchSummary,
} from '../../src/renderer/src/logs/pipeline-log-search';
import { hrefFor, parseHashRoute } from '../../src/renderer/src/routing/hash-route';

function hit(overrides: Partial<LogSearchHit> = {}): LogSearchHit {
  return {
    buildId: 2,
    buildNumber: 121,
    stageId: 14,
    stageName: 'performance-tests',
    stepId: 33,
    stepName: 'Load test',
    lineNumber: 105_423,
    line: "ERRO[0140] thresholds on metrics 'http_req_duration' have been crossed",
    fetchedAt: '2026-11-30T00:00:00.000Z',
    ...overrides,
  };
}

/** A search of 41 stored logs of builds #80–#124, all indexed, every build with a log. */
function result(overrides: Partial<LogSearchResult> = {}): LogSearchResult {
  const hits = overrides.hits ?? [];
  return {
    words: ['ECONNRESET'],
    hits,
    logsMatched: hits.length,
    logsSearched: 41,
    logsRunning: 0,
    logsWaiting: 0,
    buildsKept: 45,
    buildsWithoutLogs: 0,
    searchedBuilds: { oldest: 80, newest: 124 },
    ...overrides,
  };
}

describe('the log search route', () => {
  it('opens the search of a pipeline with nothing searched yet', () => {
    expect(parseHashRoute('#/pipelines/3/logs')).toEqual({
      view: 'log-search',
      pipelineId: 3,
      query: '',
      order: 'oldest',
    });
    expect(hrefFor({ view: 'log-search', pipelineId: 3, query: '', order: 'oldest' })).toBe(
      '#/pipelines/3/logs',
    );
  });

  it.each([
    ['connect ECONNRESET', 'oldest'],
    ['ECONNRESET', 'newest'],
    ['a&b=c #1 ?x “quoted” 100%', 'oldest'],
  ] as const)('keeps %j (%s first) through its address', (query, order) => {
    const href = hrefFor({ view: 'log-search', pipelineId: 3, query, order });
    expect(href).toMatch(/^#\/pipelines\/3\/logs\?q=/);
    expect(parseHashRoute(href)).toEqual({ view: 'log-search', pipelineId: 3, query, order });
  });

  it('reads an unknown order as oldest first', () => {
    expect(parseHashRoute('#/pipelines/3/logs?q=x&order=sideways')).toMatchObject({
      order: 'oldest',
    });
  });

  it('leaves the other pipeline pages alone', () => {
    expect(parseHashRoute('#/pipelines/3/trends').view).toBe('trends');
    expect(parseHashRoute('#/pipelines/3/logs/extra').view).toBe('not-found');
  });
});

describe('search hits', () => {
  it("link to the hit's line in its step's log", () => {
    const href = hitHref(1, hit());
    expect(href).toBe('#/pipelines/1/builds/2/stages/14/steps/33/log/L105423');
    expect(parseHashRoute(href)).toEqual({
      view: 'log',
      pipelineId: 1,
      buildId: 2,
      stageId: 14,
      stepId: 33,
      line: 105_423,
    });
  });

  it("link to a whole stage's log when the hit is in one", () => {
    expect(hitHref(1, hit({ stepId: null, stepName: null, lineNumber: 7 }))).toBe(
      '#/pipelines/1/builds/2/stages/14/log/L7',
    );
  });

  it('say where they are', () => {
    expect(hitPlace(hit())).toBe('performance-tests · Load test');
    expect(hitPlace(hit({ stepName: null, stageName: 'compile' }))).toBe('compile (whole stage)');
  });
});

describe('marking the searched words in a line', () => {
  it('marks every occurrence, ignoring case, and keeps the whole text', () => {
    const line = 'Error: read ECONNRESET (econnreset again)';
    const parts = markWords(line, 'econnReset');
    expect(parts.map((part) => part.text).join('')).toBe(line);
    expect(parts.filter((part) => part.marked).map((part) => part.text)).toEqual([
      'ECONNRESET',
      'econnreset',
    ]);
  });

  it('marks each word of a query, merging words that overlap', () => {
    const parts = markWords('connect ECONNRESET 10.0.0.7:5432', 'connect ECONNRESET 5432');
    expect(parts.filter((part) => part.marked).map((part) => part.text)).toEqual([
      'connect',
      'ECONNRESET',
      '5432',
    ]);
    expect(markWords('abcd', 'abc bcd')).toEqual([{ text: 'abcd', marked: true }]);
  });

  it('marks nothing when the query has no word, and shows markup as it is', () => {
    expect(markWords('<b>x</b>', '<>')).toEqual([{ text: '<b>x</b>', marked: false }]);
    expect(markWords('', 'x')).toEqual([]);
  });

  it('reads a query into words as the log index does', () => {
    for (const query of ['connect ECONNRESET', 'a.b-c_d', 'Größe: 3 “x”', '!!!', 'npm ERR!']) {
      expect(queryWords(query)).toEqual(indexQueryWords(query));
    }
  });
});

describe('the search summary', () => {
  it('answers "when did it first appear?" oldest first, out of the logs searched', () => {
    const hits = [hit({ buildNumber: 121 }), hit({ buildNumber: 124 }), hit({ buildNumber: 124 })];
    expect(searchSummary(result({ hits }), 'ECONNRESET', 'oldest')).toBe(
      '3 of 41 stored logs contain “ECONNRESET” (in 2 builds), first in build #121.',
    );
  });

  it('answers "where did it happen lately?" newest first', () => {
    const hits = [hit({ buildNumber: 130 })];
    expect(searchSummary(result({ hits }), ' thresholds ', 'newest')).toBe(
      '1 of 41 stored logs contains “thresholds”, most recently in build #130.',
    );
  });

  it('says how many logs it looked at when none has the words', () => {
    expect(searchSummary(result(), 'ECONNRESET', 'oldest')).toBe(
      'None of the 41 stored logs of this pipeline contains “ECONNRESET”.',
    );
    expect(searchSummary(result({ logsSearched: 1 }), 'ECONNRESET', 'oldest')).toBe(
      'The 1 stored log of this pipeline does not contain “ECONNRESET”.',
    );
    expect(searchSummary(result({ logsSearched: 0 }), 'ECONNRESET', 'oldest')).toBe(
      'No stored log of this pipeline could be searched for “ECONNRESET”.',
    );
  });

  it('says how many more match when the list is cut', () => {
    const hits = [hit({ buildNumber: 140 }), hit({ buildNumber: 139 })];
    expect(searchSummary(result({ hits, logsMatched: 7 }), 'x', 'newest')).toBe(
      '7 of 41 stored logs contain “x”; the newest 2 are listed, most recently in build #140.',
    );
  });
});

describe('what a search of stored logs covered', () => {
  it('names the builds it searched and nothing else when every log was searched', () => {
    expect(coverageNotes(result(), 'ECONNRESET')).toEqual([
      'Searched 41 stored logs from builds #80–#124.',
    ]);
  });

  it('says which logs it left out and why', () => {
    const notes = coverageNotes(
      result({ logsWaiting: 1, logsRunning: 2, buildsWithoutLogs: 12, buildsKept: 53 }),
      'ECONNRESET',
    );
    expect(notes).toEqual([
      'Searched 41 stored logs from builds #80–#124.',
      '1 log is still being indexed and not searched yet: search again in a moment.',
      '2 logs belong to steps still running: searched once they finish.',
      '12 of the 53 builds in the history have no stored log (never opened, or removed by the log budget), so they were not searched.',
    ]);
  });

  it('says when nothing could be searched at all', () => {
    const notes = coverageNotes(
      result({ logsSearched: 0, searchedBuilds: null, buildsKept: 3, buildsWithoutLogs: 3 }),
      'ECONNRESET',
    );
    expect(notes).toEqual([
      'All 3 builds in the history have no stored log (never opened, or removed by the log budget), so they were not searched.',
    ]);
  });

  it('shows the words looked for when the index dropped punctuation', () => {
    const words = ['connect', 'ECONNRESET', '10', '0', '0', '7'];
    const notes = coverageNotes(
      result({ words, searchedBuilds: { oldest: 121, newest: 121 }, logsSearched: 1 }),
      'connect ECONNRESET 10.0.0.7',
    );
    expect(notes).toEqual([
      'Searched 1 stored log from build #121.',
      'Looked for the words “connect”, “ECONNRESET”, “10”, “0”, “0”, “7”.',
    ]);
  });
});

describe('stepping through new lines', () => {
  const lines = [3, 10, 42];

  it('starts at the first (or last) new line', () => {
    expect(stepNewLine(lines, null, 1)).toBe(3);
    expect(stepNewLine(lines, null, -1)).toBe(42);
  });

  it('goes to the next and previous one from the current line', () => {
    expect(stepNewLine(lines, 3, 1)).toBe(10);
    expect(stepNewLine(lines, 10, -1)).toBe(3);
    expect(stepNewLine(lines, 5, 1)).toBe(10);
    expect(stepNewLine(lines, 5, -1)).toBe(3);
  });

  it('wraps around the log', () => {
    expect(stepNewLine(lines, 42, 1)).toBe(3);
    expect(stepNewLine(lines, 3, -1)).toBe(42);
    expect(stepNewLine(lines, 1, -1)).toBe(42);
  });

  it('has nowhere to go without new lines', () => {
    expect(stepNewLine([], null, 1)).toBeNull();
    expect(stepNewLine([], 5, -1)).toBeNull();
  });

  it('counts them, and says where one is', () => {
    expect(newLineCountWords([], null)).toBe('No new lines');
    expect(newLineCountWords([7], null)).toBe('1 new line');
    expect(newLineCountWords(lines, null)).toBe('3 new lines');
    expect(newLineCountWords(lines, 10)).toBe('2 of 3 new');
    expect(newLineCountWords(lines, 11)).toBe('3 new lines');
  });
});

describe('comparing with the last green build', () => {
  const compared: LogComparison = {
    baseline: { buildId: 3, buildNumber: 122, stageId: 20, stepId: 41 },
    lineCount: 120,
    newLines: [60, 61],
    note: null,
  };

  it('names the green build it compared with', () => {
    expect(compareToggleWords(null)).toBe('Compare with last green');
    expect(compareToggleWords(compared)).toBe('New since last green: #122');
    expect(comparisonNote(compared)).toBeNull();
    expect(baselineWords(122, 2)).toMatch(/build #122, the last green run of this stage/);
    expect(baselineWords(122, 0)).toMatch(/^Every line reads like one in build #122/);
  });

  it('says why there is nothing to compare with', () => {
    const none: LogComparison = { baseline: null, lineCount: 50, newLines: [], note: null };
    expect(compareToggleWords(none)).toBe('Compare with last green');
    expect(comparisonNote(none)).toMatch(/No earlier build passed this stage/);
    const unreadable = {
      ...compared,
      newLines: [],
      note: 'The log of build 122 could not be read',
    };
    expect(comparisonNote(unreadable)).toBe('The log of build 122 could not be read');
  });
});
