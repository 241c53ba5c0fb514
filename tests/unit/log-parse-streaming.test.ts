import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineFlags, lineText, lineTimestamp, rawPieces } from '../../src/shared/log/log-lines';
import {
  CHUNK_LINES,
  createStreamingLogParser,
  parseLog,
  type ParsedLog,
  type StreamingLogParser,
} from '../../src/shared/log/parse-log';
import { FUZZ_RUNS } from '../support/fuzz-kit';

/**
 * A log read block by block parses exactly as the whole text does, wherever the blocks are cut
 * (inside a line, an escape sequence, a CRLF, a timestamp), and its first chunk of lines is ready
 * as soon as those lines have arrived.
 */

const ESC = '\u001b';

/** Everything a person or a program reads of a parsed log. */
function summary(log: ParsedLog) {
  const lines = Array.from({ length: log.lineCount }, (_, line) => ({
    text: lineText(log, line),
    flags: lineFlags(log, line),
    timestamp: lineTimestamp(log, line),
  }));
  return {
    format: log.format,
    lines,
    sections: log.sections,
    errorLines: log.errorLines,
    firstErrorLine: log.firstErrorLine,
    firstTraceLine: log.firstTraceLine,
    hasTimestamps: log.hasTimestamps,
    done: log.done,
    styles: log.styles,
  };
}

/** Feeds `pieces` one at a time, parsing whatever is ready in between, as the viewer does. */
function parseStreamed(pieces: readonly string[]): StreamingLogParser {
  const parser = createStreamingLogParser();
  for (const piece of pieces) {
    parser.push(piece);
    while (parser.ready) parser.step();
  }
  parser.end();
  while (!parser.step()) {
    // the rest, after the end
  }
  return parser;
}

function cutAt(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(text.slice(from, point));
    from = point;
  }
  pieces.push(text.slice(from));
  return pieces;
}

const line = fc.oneof(
  fc.constantFrom(
    '2024-01-01T10:00:00.0000000Z ##[group]Run npm test',
    '2024-01-01T10:00:01.0000000Z ##[endgroup]',
    '##[error]Process completed with exit code 1.',
    `${ESC}[0Ksection_start:1700000000:build[collapsed=true]\r${ESC}[0KBuilding`,
    `${ESC}[0Ksection_end:1700000000:build\r${ESC}[0K`,
    `${ESC}[31mred ${ESC}[1mbold`,
    `still coloured${ESC}[0m`,
    'Downloading 10%\rDownloading 100%\r',
    'AssertionError: expected 200 to equal 500',
    '    at Object.<anonymous> (src/search.test.ts:12:5)',
    '[command]/usr/bin/git log -1',
    'h header line',
    '漢字 and 😀 and é',
    '',
  ),
  fc.string({ maxLength: 30 }),
);

describe('a log read in pieces', () => {
  it('parses exactly as the whole text, wherever the pieces are cut', () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        (lines, chunks, cuts, trailingNewline) => {
          // Enough lines to cross chunk boundaries, from a few random ones repeated.
          const repeats = Math.ceil((CHUNK_LINES * chunks + 7) / lines.length);
          const body = Array.from({ length: repeats }, () => lines.join('\n')).join('\n');
          const text = trailingNewline ? `${body}\n` : body;
          const whole = parseLog(text);
          const streamed = parseStreamed(cutAt(text, cuts)).log;
          expect(summary(streamed)).toEqual(summary(whole));
          expect(rawPieces(streamed).join('')).toBe(text);
        },
      ),
      { numRuns: Math.max(20, Math.floor(FUZZ_RUNS / 10)) },
    );
  });

  it('parses the first chunk as soon as its lines have arrived, before the rest', () => {
    const lines = Array.from({ length: CHUNK_LINES * 3 }, (_, index) => `line ${index}`);
    const parser = createStreamingLogParser();
    parser.push(lines.slice(0, CHUNK_LINES - 1).join('\n'));
    // The last line of the chunk may still grow: nothing is parsed yet.
    expect(parser.ready).toBe(false);
    expect(parser.step()).toBe(false);
    expect(parser.log.lineCount).toBe(0);

    parser.push(`\n${lines[CHUNK_LINES - 1] ?? ''}\n${lines[CHUNK_LINES] ?? ''}`);
    expect(parser.ready).toBe(true);
    expect(parser.step()).toBe(false);
    expect(parser.log.lineCount).toBe(CHUNK_LINES);
    expect(lineText(parser.log, CHUNK_LINES - 1)).toBe(`line ${CHUNK_LINES - 1}`);
    // `line 2048` has arrived but may not be whole yet.
    expect(parser.ready).toBe(false);

    parser.end();
    expect(parser.ready).toBe(true);
    expect(parser.step()).toBe(true);
    expect(parser.log.lineCount).toBe(CHUNK_LINES + 1);
    expect(parser.parsedCharacters).toBe(rawPieces(parser.log).join('').length);
  });

  it('finds the first error and closes open sections only at the end', () => {
    const parser = createStreamingLogParser();
    const head = ['##[group]Never closed', ...Array.from({ length: CHUNK_LINES }, () => 'ok')];
    parser.push(`${head.join('\n')}\n`);
    parser.step();
    expect(parser.log.done).toBe(false);
    expect(parser.log.sections[0]?.endLine).toBe(-1);
    parser.push('error: boom\nlast');
    parser.end();
    expect(parser.step()).toBe(true);
    expect(parser.log.firstErrorLine).toBe(CHUNK_LINES + 1);
    expect(parser.log.sections[0]?.endLine).toBe(CHUNK_LINES + 2);
  });

  it('recognises a Buildbot stdio log from its first lines', () => {
    const parser = parseStreamed(['hheader\noout', 'put\neerr\n']);
    expect(parser.log.format).toBe('buildbot');
    expect(lineText(parser.log, 1)).toBe('output');
  });

  it('is done at once when the log is empty, and refuses text after its end', () => {
    const parser = createStreamingLogParser();
    parser.end();
    expect(parser.log.done).toBe(true);
    expect(parser.log.lineCount).toBe(0);
    expect(() => parser.push('late')).toThrow(/after its end/);
  });
});
