import { describe, expect, it } from 'vitest';
import type { LogComparison, LogSearchHit } from '../../src/shared/log/log-api';
import { queryWords as indexQueryWords } from '../../src/main/logs/log-search';
import {
  baselineWords,
  compareToggleWords,
  comparisonNote,
  newLineCountWords,
  stepNewLine,
} from '../../src/renderer/src/logs/new-lines';
import {
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
  it('answers "when did it first appear?" oldest first', () => {
    const hits = [hit({ buildNumber: 121 }), hit({ buildNumber: 124 }), hit({ buildNumber: 124 })];
    expect(searchSummary(hits, 'ECONNRESET', 'oldest')).toBe(
      '3 stored logs of 2 builds contain “ECONNRESET”, first in build #121.',
    );
  });

  it('answers "where did it happen lately?" newest first', () => {
    expect(searchSummary([hit({ buildNumber: 130 })], ' thresholds ', 'newest')).toBe(
      '1 stored log contains “thresholds”, most recently in build #130.',
    );
  });

  it('says plainly when no stored log has the words', () => {
    expect(searchSummary([], 'ECONNRESET', 'oldest')).toBe(
      'No stored log of this pipeline contains “ECONNRESET”.',
    );
  });

  it('says there may be more when the list is full', () => {
    const hits = [hit({ buildNumber: 140 }), hit({ buildNumber: 139 })];
    expect(searchSummary(hits, 'x', 'newest', 2)).toBe(
      'The newest 2 stored logs of 2 builds that contain “x”, most recently in build #140; there may be more.',
    );
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
