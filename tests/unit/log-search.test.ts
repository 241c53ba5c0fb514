import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineSegments, lineText } from '../../src/shared/log/log-lines';
import {
  CHUNK_LINES,
  LINE_SECTION_START,
  parseLog,
  type ParsedLog,
} from '../../src/shared/log/parse-log';
import {
  compileSearch,
  firstMatchAtOrAfter,
  searchLog,
  type SearchMatches,
} from '../../src/shared/log/search-log';
import { demoSource, stepRef, temporaryFolder, testClock } from './demo-fixture';

function found(result: SearchMatches | { error: string }): SearchMatches {
  if ('error' in result) throw new Error(result.error);
  return result;
}

describe('searching a log', () => {
  const log = parseLog(
    [
      'connect ECONNRESET 10.0.0.1:443',
      '\u001b[31mretrying\u001b[0m after econnreset',
      'all good',
      '##[group]Hidden in a folded section',
      'ECONNRESET again, and ECONNRESET',
      '##[endgroup]',
    ].join('\n'),
  );

  it('counts every match, also in folded sections, ignoring case unless asked', () => {
    const matches = found(
      searchLog(log, { text: 'econnreset', regex: false, caseSensitive: false }),
    );
    expect(matches.count).toBe(4);
    expect(Array.from(matches.lines.subarray(0, matches.count))).toEqual([0, 1, 4, 4]);
    expect(Array.from(matches.columns.subarray(0, matches.count))).toEqual([8, 15, 0, 22]);
    const exact = found(searchLog(log, { text: 'ECONNRESET', regex: false, caseSensitive: true }));
    expect(exact.count).toBe(3);
  });

  it('searches the text shown, without escape sequences or markers', () => {
    expect(found(searchLog(log, { text: '[31m', regex: false, caseSensitive: false })).count).toBe(
      0,
    );
    expect(
      found(searchLog(log, { text: '##[group]', regex: false, caseSensitive: false })).count,
    ).toBe(0);
    expect(
      found(searchLog(log, { text: 'Hidden in', regex: false, caseSensitive: true })).count,
    ).toBe(1);
  });

  it('takes regular expressions, cuts matches at line ends and skips empty ones', () => {
    const regex = found(searchLog(log, { text: '^\\w+ ', regex: true, caseSensitive: false }));
    expect(Array.from(regex.lines.subarray(0, regex.count))).toEqual([0, 1, 2, 3, 4]);
    const across = found(
      searchLog(log, { text: 'good\\nHidden', regex: true, caseSensitive: true }),
    );
    expect(across.count).toBe(1);
    expect(across.lengths[0]).toBe(4);
    const empty = found(searchLog(log, { text: 'x*', regex: true, caseSensitive: true }));
    expect(empty.count).toBe(0);
  });

  it('treats special characters literally unless regex is on, and reports invalid regexes', () => {
    const literal = parseLog('price (USD) is $3.50\nprice USD is 3x50');
    expect(
      found(searchLog(literal, { text: '$3.50', regex: false, caseSensitive: true })).count,
    ).toBe(1);
    expect(
      found(searchLog(literal, { text: '(USD)', regex: false, caseSensitive: true })).count,
    ).toBe(1);
    expect(compileSearch({ text: '(unclosed', regex: true, caseSensitive: true })).toEqual({
      error: expect.stringMatching(/unterminated group|Invalid/i),
    });
    expect(compileSearch({ text: '', regex: false, caseSensitive: true })).toBeNull();
  });

  it('finds the match at or after a line for "next"', () => {
    const matches = found(
      searchLog(log, { text: 'econnreset', regex: false, caseSensitive: false }),
    );
    expect(firstMatchAtOrAfter(matches, 2)).toBe(2);
    expect(firstMatchAtOrAfter(matches, 5)).toBe(matches.count);
  });

  it('counts a million matches across chunks', () => {
    const lines = Array.from(
      { length: CHUNK_LINES * 3 },
      (_, index) => `GET /items/${index} 200 ok`,
    );
    const big = parseLog(lines.join('\n'));
    const matches = found(searchLog(big, { text: 'ok', regex: false, caseSensitive: true }));
    expect(matches.count).toBe(lines.length);
    expect(matches.lines[matches.count - 1]).toBe(lines.length - 1);
  });
});

describe('escape sequences, whatever they are', () => {
  const fragments = [
    '\u001b',
    '[',
    ']',
    '0',
    '1',
    '38',
    '5',
    '2',
    ';',
    ':',
    'm',
    'K',
    'G',
    'H',
    '?',
    '\r',
    '\n',
    '\u0007',
    '\\',
    'P',
    '(',
    'a',
    ' ',
    '##[group]',
    '##[endgroup]',
    '##[error]',
    'section_start:1:x[collapsed=true]',
    'section_end:1:x',
    '\u009b',
    '2024-01-01T00:00:00.0000000Z ',
    '✓',
    '\ud83d',
  ];
  const hostile = fc
    .array(fc.constantFrom(...fragments), { maxLength: 200 })
    .map((parts) => parts.join(''));

  function everyLine(log: ParsedLog, check: (line: number) => void): void {
    for (let line = 0; line < log.lineCount; line += 1) check(line);
  }

  it('never throws and never leaves an ESC character in the text', () => {
    fc.assert(
      fc.property(hostile, (raw) => {
        const log = parseLog(raw);
        const expectedLines =
          raw.length === 0 ? 0 : raw.split('\n').length - (raw.endsWith('\n') ? 1 : 0);
        expect(log.lineCount).toBe(expectedLines);
        everyLine(log, (line) => {
          const text = lineText(log, line);
          expect(text).not.toContain('\u001b');
          expect(text).not.toContain('\u009b');
          let column = 0;
          for (const segment of lineSegments(log, line)) {
            expect(segment.start).toBe(column);
            column += segment.text.length;
          }
          expect(column).toBe(text.length);
        });
        for (const section of log.sections) {
          expect(section.endLine).toBeGreaterThanOrEqual(section.headerLine);
          expect(section.endLine).toBeLessThan(Math.max(1, log.lineCount));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('searching hostile text never throws and only reports matches inside lines', () => {
    fc.assert(
      fc.property(hostile, fc.constantFrom('a', '1', ' ', '\\d+', '.', '^', '$'), (raw, query) => {
        const log = parseLog(raw);
        const matches = found(searchLog(log, { text: query, regex: true, caseSensitive: false }));
        for (let index = 0; index < matches.count; index += 1) {
          const text = lineText(log, matches.lines[index] ?? 0);
          expect((matches.columns[index] ?? 0) + (matches.lengths[index] ?? 0)).toBeLessThanOrEqual(
            text.length,
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("build 121's load test log", () => {
  let folder: ReturnType<typeof temporaryFolder>;
  let log: ParsedLog;
  beforeAll(async () => {
    folder = temporaryFolder();
    const fetched = await demoSource(folder.path, testClock()).fetchLog(
      stepRef(121, 'performance-tests', 'load-test'),
    );
    log = parseLog(fetched.text);
  });
  afterAll(() => folder.remove());

  it('parses 100,000+ lines and points at the k6 threshold error, outside the folded samples', () => {
    expect(log.lineCount).toBeGreaterThan(100_000);
    expect(lineText(log, log.firstErrorLine)).toMatch(/^ERRO\[\d+\] thresholds on metrics/);
    const samples = log.sections.find((section) => section.title === 'Request samples');
    expect(samples?.collapsedByDefault).toBe(true);
    expect(samples && samples.endLine - samples.headerLine).toBeGreaterThan(100_000);
    expect(log.firstErrorLine).toBeGreaterThan(samples?.endLine ?? Infinity);
    expect(log.errorLines.at(-1)).toBe(log.lineCount - 1);
  });

  it('finds every request sample, folded or not', () => {
    const matches = found(
      searchLog(log, { text: 'sample vu=', regex: false, caseSensitive: true }),
    );
    const samples = log.sections.find((section) => section.title === 'Request samples');
    expect(samples).toBeDefined();
    expect(matches.count).toBe((samples?.endLine ?? 0) - (samples?.headerLine ?? 0) - 1);
    expect(lineSegments(log, (samples?.headerLine ?? 0) + 1)[0]?.text).toBe('sample');
    expect(LINE_SECTION_START).toBeGreaterThan(0);
  });
});
