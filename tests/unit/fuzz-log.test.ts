import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineFlags, lineSegments, lineText, lineTimestamp } from '../../src/shared/log/log-lines';
import {
  LINE_ERROR,
  createLogParser,
  parseLog,
  type ParsedLog,
} from '../../src/shared/log/parse-log';
import { searchLog } from '../../src/shared/log/search-log';
import { FUZZ_RUNS } from '../support/fuzz-kit';

/**
 * Log text as CI servers write it, with random escape sequences mixed in: the parser must take
 * anything — never throw, never let an escape or control character reach the text a person
 * reads, and keep its line, section and error bookkeeping consistent.
 */

const ESC = '\u001b';

const sgrParameter = fc.oneof(
  fc.integer({ min: 0, max: 120 }).map(String),
  fc.constantFrom('38;5;208', '48;2;255;0;0', '38;2;999;-1', '', ';;', '1;2;3;4;5;6;7;8;9'),
);

/** Escape sequences, well formed or not: SGR, cursor moves, erases, OSC, DCS, 8-bit CSI. */
const escapeSequence = fc.oneof(
  fc.array(sgrParameter, { maxLength: 4 }).map((parts) => `${ESC}[${parts.join(';')}m`),
  fc.constantFrom(
    `${ESC}[0K`,
    `${ESC}[2J`,
    `${ESC}[1G`,
    `${ESC}[10;20H`,
    `${ESC}[?25l`,
    `${ESC}]0;title\u0007`,
    `${ESC}]8;;https://example.com${ESC}\\`,
    `${ESC}P1$r${ESC}\\`,
    `${ESC}[`,
    `${ESC}]unterminated`,
    `${ESC}`,
    '\u009b31m',
    '\u009b',
    '\u0000',
    '\u0007',
    '\u007f',
    '\b',
    '\r',
    '\t',
  ),
  fc.string({ maxLength: 6 }).map((tail) => `${ESC}${tail}`),
);

/** Markers CI servers put in their logs: timestamps, groups, sections, commands, streams. */
const marker = fc.oneof(
  fc.constantFrom(
    '2024-01-01T10:00:00.0000000Z ',
    '2024-13-45T99:99:99Z ',
    '##[group]',
    '##[endgroup]',
    '##[error]',
    '##[warning]',
    '[command]',
    'h ',
    'o ',
    'e ',
    'ERROR: ',
    'Traceback (most recent call last):',
    '    at Object.<anonymous> (file.js:1:1)',
  ),
  fc
    .tuple(fc.constantFrom('start', 'end'), fc.nat(), fc.string({ maxLength: 8 }), fc.boolean())
    .map(
      ([kind, time, name, collapsed]) =>
        `${ESC}[0Ksection_${kind}:${time}:${name}${collapsed ? '[collapsed=true]' : ''}\r${ESC}[0K`,
    ),
);

const logText = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.string({ maxLength: 20 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
      { weight: 3, arbitrary: escapeSequence },
      { weight: 2, arbitrary: marker },
      { weight: 3, arbitrary: fc.constantFrom('\n', '\r\n', '\n\n') },
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

/** Control characters but tab: none may reach the text shown. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

function lines(log: ParsedLog): string[] {
  return Array.from({ length: log.lineCount }, (_, line) => lineText(log, line));
}

describe('parsing any log text', () => {
  it('never throws, and no escape or control character reaches the text', () => {
    fc.assert(
      fc.property(
        logText,
        fc.constantFrom('auto', 'plain', 'buildbot') as fc.Arbitrary<'auto'>,
        (raw, format) => {
          const log = parseLog(raw, { format });
          expect(log.done).toBe(true);
          for (const text of lines(log)) expect(text).not.toMatch(CONTROL);
          for (let line = 0; line < log.lineCount; line += 1) {
            const segments = lineSegments(log, line);
            expect(segments.map((segment) => segment.text).join('')).toBe(lineText(log, line));
            for (const segment of segments) {
              expect(segment.style).toBeGreaterThanOrEqual(0);
              expect(segment.style).toBeLessThan(log.styles.length);
            }
            const timestamp = lineTimestamp(log, line);
            if (timestamp !== null) expect(raw).toContain(timestamp);
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('keeps lines, sections and errors consistent with each other', () => {
    fc.assert(
      fc.property(logText, (raw) => {
        const log = parseLog(raw);
        expect(log.lineCount).toBeLessThanOrEqual(raw.split('\n').length);
        for (const section of log.sections) {
          expect(section.headerLine).toBeGreaterThanOrEqual(0);
          expect(section.headerLine).toBeLessThan(Math.max(log.lineCount, 1));
          if (section.endLine !== -1)
            expect(section.endLine).toBeGreaterThanOrEqual(section.headerLine - 1);
          if (section.parentId !== -1) {
            expect(log.sections.some((parent) => parent.id === section.parentId)).toBe(true);
          }
        }
        const errors = log.errorLines;
        expect([...errors].sort((left, right) => left - right)).toEqual(errors);
        for (const line of errors) expect(lineFlags(log, line) & LINE_ERROR).toBe(LINE_ERROR);
        // The first error, else the first stack-trace line, else none.
        expect(log.firstErrorLine).toBe(errors[0] ?? log.firstTraceLine);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('parses the same a chunk at a time as all at once', () => {
    fc.assert(
      fc.property(logText, (raw) => {
        const parser = createLogParser(raw);
        let steps = 0;
        while (!parser.step()) steps += 1;
        expect(steps).toBeLessThanOrEqual(raw.length + 1);
        expect(lines(parser.log)).toEqual(lines(parseLog(raw)));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('searches with any query, a broken regular expression being an answer, not a throw', () => {
    fc.assert(
      fc.property(
        logText,
        fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('(', '[a-', '*', '\\', 'a{2,1}')),
        fc.boolean(),
        fc.boolean(),
        (raw, text, regex, caseSensitive) => {
          const log = parseLog(raw);
          const result = searchLog(log, { text, regex, caseSensitive });
          if ('error' in result) {
            expect(regex).toBe(true);
            return;
          }
          for (let index = 0; index < result.count; index += 1) {
            const line = result.lines[index] ?? -1;
            expect(line).toBeGreaterThanOrEqual(0);
            expect(line).toBeLessThan(log.lineCount);
            const column = result.columns[index] ?? 0;
            const length = result.lengths[index] ?? 0;
            expect(column + length).toBeLessThanOrEqual(lineText(log, line).length);
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});
