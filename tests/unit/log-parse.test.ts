import { describe, expect, it } from 'vitest';
import {
  BOLD,
  DEFAULT_COLOR,
  ITALIC,
  TRUECOLOR,
  UNDERLINE,
  colorToCss,
} from '../../src/shared/log/ansi-style';
import {
  cleanText,
  lineFlags,
  lineSegments,
  lineText,
  lineTimestamp,
} from '../../src/shared/log/log-lines';
import {
  CHUNK_LINES,
  LINE_COMMAND,
  LINE_ERROR,
  LINE_HEADER,
  LINE_SECTION_END,
  LINE_SECTION_START,
  LINE_STDERR,
  LINE_TRACE,
  LINE_WARNING,
  createLogParser,
  parseLog,
  type ParsedLog,
} from '../../src/shared/log/parse-log';

const ESC = '\u001b';

function texts(log: ParsedLog): string[] {
  return Array.from({ length: log.lineCount }, (_, line) => lineText(log, line));
}

function styleOf(log: ParsedLog, line: number, text: string) {
  const segment = lineSegments(log, line).find((candidate) => candidate.text === text);
  if (!segment) throw new Error(`no segment "${text}" on line ${line}`);
  return log.styles[segment.style];
}

describe('GitHub Actions logs', () => {
  const log = parseLog(
    [
      '2024-01-01T10:00:00.0000000Z ##[group]Run npm test',
      `2024-01-01T10:00:00.1000000Z ${ESC}[36;1mnpm test${ESC}[0m`,
      '2024-01-01T10:00:00.2000000Z ##[endgroup]',
      '2024-01-01T10:00:01.0000000Z > jest --ci',
      `2024-01-01T10:00:02.0000000Z ${ESC}[1;37;41m FAIL ${ESC}[0m src/search.test.ts`,
      '2024-01-01T10:00:03.0000000Z ##[warning]Node 16 is deprecated',
      '2024-01-01T10:00:04.0000000Z [command]/usr/bin/git log -1',
      '2024-01-01T10:00:05.0000000Z ##[error]Process completed with exit code 1.',
      '',
    ].join('\n'),
  );

  it('shows timestamps as a column, not as text', () => {
    expect(log.hasTimestamps).toBe(true);
    expect(lineTimestamp(log, 3)).toBe('2024-01-01T10:00:01.0000000Z');
    expect(lineText(log, 3)).toBe('> jest --ci');
    expect(log.lineCount).toBe(8);
  });

  it('turns ##[group] into a folded section titled by its header and hides ##[endgroup]', () => {
    expect(log.sections).toEqual([
      expect.objectContaining({ title: 'Run npm test', headerLine: 0, endLine: 2 }),
    ]);
    expect(log.sections[0]?.collapsedByDefault).toBe(true);
    expect(lineText(log, 0)).toBe('Run npm test');
    expect(lineFlags(log, 0) & LINE_SECTION_START).toBeTruthy();
    expect(lineFlags(log, 2) & LINE_SECTION_END).toBeTruthy();
  });

  it('flags ##[error] and the FAIL verdict, and finds the first error', () => {
    expect(log.firstErrorLine).toBe(4);
    expect(log.errorLines).toEqual([4, 7]);
    expect(lineText(log, 7)).toBe('Process completed with exit code 1.');
    expect(lineFlags(log, 5) & LINE_WARNING).toBeTruthy();
    expect(lineFlags(log, 6) & LINE_COMMAND).toBeTruthy();
    expect(lineText(log, 6)).toBe('/usr/bin/git log -1');
  });

  it('keeps colours as style runs: bold white on red', () => {
    expect(lineText(log, 4)).toBe(' FAIL  src/search.test.ts');
    expect(styleOf(log, 4, ' FAIL ')).toEqual({ foreground: 7, background: 1, attributes: BOLD });
    expect(styleOf(log, 4, ' src/search.test.ts')).toEqual({
      foreground: DEFAULT_COLOR,
      background: DEFAULT_COLOR,
      attributes: 0,
    });
  });
});

describe('ANSI escape sequences', () => {
  it('reads 16, 256 and 24-bit colours, bold, italic, underline and their resets', () => {
    const log = parseLog(
      `${ESC}[31mred${ESC}[0m ${ESC}[38;5;208morange${ESC}[39m ${ESC}[38;2;1;2;3mtrue${ESC}[m ` +
        `${ESC}[1;3;4mall${ESC}[22;23;24mnone ${ESC}[48:2::255:0:0mcolon${ESC}[49m ${ESC}[94mbright`,
    );
    expect(lineText(log, 0)).toBe('red orange true allnone colon bright');
    expect(styleOf(log, 0, 'red')?.foreground).toBe(1);
    expect(styleOf(log, 0, 'orange')?.foreground).toBe(208);
    expect(styleOf(log, 0, 'true')?.foreground).toBe(TRUECOLOR + 0x010203);
    expect(styleOf(log, 0, 'all')?.attributes).toBe(BOLD | ITALIC | UNDERLINE);
    expect(styleOf(log, 0, 'none ')?.attributes).toBe(0);
    expect(styleOf(log, 0, 'colon')?.background).toBe(TRUECOLOR + 0xff0000);
    expect(styleOf(log, 0, 'bright')?.foreground).toBe(12);
    expect(colorToCss(TRUECOLOR + 0x010203)).toBe('#010203');
    expect(colorToCss(208)).toBe('rgb(255 135 0)');
    expect(colorToCss(244)).toBe('rgb(128 128 128)');
    expect(colorToCss(3)).toBeNull();
  });

  it('carries a colour across lines until it is reset, as a terminal does', () => {
    const log = parseLog(`${ESC}[32mgreen starts\nstill green\n${ESC}[0mplain`);
    expect(log.styles[lineSegments(log, 1)[0]?.style ?? 0]?.foreground).toBe(2);
    expect(lineSegments(log, 2)[0]?.style).toBe(0);
  });

  it('removes cursor moves, erases, OSC titles and links, and keeps their text', () => {
    const log = parseLog(
      `${ESC}[2J${ESC}[H${ESC}]0;window title${ESC}\\before${ESC}[5Aup${ESC}[?25l ` +
        `${ESC}]8;;https://example.com${ESC}\\link${ESC}]8;;${ESC}\\ ${ESC}(Bcharset${ESC}7`,
    );
    expect(lineText(log, 0)).toBe('beforeup link charset');
  });

  it('shows the last state of a progress bar drawn with carriage returns', () => {
    const log = parseLog('Downloading 10%\rDownloading 55%\rDownloading 100%\r\nnext line\r\n');
    expect(texts(log)).toEqual(['Downloading 100%', 'next line']);
    const npm = parseLog(`${ESC}[1G${ESC}[0K⠙${ESC}[1G${ESC}[0Kadded 12 packages`);
    expect(lineText(npm, 0)).toBe('added 12 packages');
  });

  it('drops unterminated and malformed sequences without losing the next line', () => {
    const log = parseLog(`ok${ESC}[31\nnext${ESC}]0;no end\nthird${ESC}\n${ESC}[1;3`);
    expect(texts(log)).toEqual(['ok', 'next', 'third', '']);
  });

  it('reads the 8-bit CSI and drops other control characters', () => {
    const log = parseLog('a\u009b31mred\u0007\u0000\u0008b\tc');
    expect(lineText(log, 0)).toBe('aredb\tc');
    expect(styleOf(log, 0, 'redb\tc')?.foreground).toBe(1);
  });
});

describe('GitLab job traces', () => {
  const log = parseLog(
    [
      `${ESC}[0KRunning with gitlab-runner 17.0.0`,
      `${ESC}[0Ksection_start:1700000000:prepare_executor[collapsed=true]\r${ESC}[0K${ESC}[36;1mPreparing the "docker" executor${ESC}[0;m`,
      'Using Docker executor with image node:20',
      `${ESC}[0Ksection_end:1700000001:prepare_executor\r${ESC}[0K`,
      `${ESC}[0Ksection_start:1700000002:step_script\r${ESC}[0K${ESC}[0K${ESC}[36;1mExecuting "step_script" stage${ESC}[0;m`,
      `${ESC}[0Ksection_start:1700000003:inner\r${ESC}[0KInner`,
      '$ npm test',
      `${ESC}[0Ksection_end:1700000004:inner\r${ESC}[0K${ESC}[0Ksection_end:1700000005:step_script\r${ESC}[0K`,
      `${ESC}[31;1mERROR: Job failed: exit code 1${ESC}[0;m`,
    ].join('\n'),
  );

  it('turns section markers into nested sections, collapsed only when asked', () => {
    expect(
      log.sections.map(({ name, title, headerLine, endLine, depth, collapsedByDefault }) => ({
        name,
        title,
        headerLine,
        endLine,
        depth,
        collapsedByDefault,
      })),
    ).toEqual([
      {
        name: 'prepare_executor',
        title: 'Preparing the "docker" executor',
        headerLine: 1,
        endLine: 3,
        depth: 0,
        collapsedByDefault: true,
      },
      {
        name: 'step_script',
        title: 'Executing "step_script" stage',
        headerLine: 4,
        endLine: 7,
        depth: 0,
        collapsedByDefault: false,
      },
      {
        name: 'inner',
        title: 'Inner',
        headerLine: 5,
        endLine: 7,
        depth: 1,
        collapsedByDefault: false,
      },
    ]);
    expect(lineFlags(log, 3) & LINE_SECTION_END).toBeTruthy();
    expect(lineText(log, 1)).toBe('Preparing the "docker" executor');
    expect(cleanText(log)).not.toContain('section_');
  });

  it('finds the job failure', () => {
    expect(log.firstErrorLine).toBe(8);
    expect(lineText(log, 8)).toBe('ERROR: Job failed: exit code 1');
  });

  it('strips the runner timestamps and stream tags of FF_TIMESTAMPS logs', () => {
    const stamped = parseLog(
      '2024-05-21T10:05:20.123456Z 00O Hello\n2024-05-21T10:05:21.000001Z 01E+ oops',
    );
    expect(texts(stamped)).toEqual(['Hello', 'oops']);
    expect(lineTimestamp(stamped, 1)).toBe('2024-05-21T10:05:21.000001Z');
  });
});

describe('Buildbot stdio logs', () => {
  const log = parseLog(
    [
      'hnpm test',
      'h in dir /build/catalog',
      'h argv: ["npm", "test"]',
      'o> jest --ci',
      'eTypeError: Cannot read properties of undefined',
      'e    at search (src/search.ts:10:5)',
      'hprogram finished with exit code 1',
      'helapsedTime=3.2',
    ].join('\n'),
  );

  it('reads the stream characters and folds header blocks', () => {
    expect(log.format).toBe('buildbot');
    expect(lineText(log, 3)).toBe('> jest --ci');
    expect(lineFlags(log, 0) & LINE_HEADER).toBeTruthy();
    expect(lineFlags(log, 4) & LINE_STDERR).toBeTruthy();
    expect(log.sections.map((section) => [section.headerLine, section.endLine])).toEqual([
      [0, 2],
      [6, 7],
    ]);
    expect(lineFlags(log, 6) & LINE_SECTION_START).toBeTruthy();
  });

  it('finds the exception before its stack and the non-zero exit', () => {
    expect(log.firstErrorLine).toBe(4);
    expect(lineFlags(log, 5) & LINE_TRACE).toBeTruthy();
    expect(log.errorLines).toContain(6);
  });

  it('leaves ordinary logs that happen to start with "h" alone', () => {
    expect(parseLog('hello\nworld').format).toBe('plain');
  });
});

describe('error patterns', () => {
  it.each([
    'AssertionError: expected 3 to equal 4',
    'Error: Cannot find module "./search"',
    "src/search.ts(3,4): error TS2322: Type 'string' is not assignable",
    'error[E0308]: mismatched types',
    'fatal: not a git repository',
    'npm ERR! code ELIFECYCLE',
    ' FAIL  src/catalog/search.test.ts',
    '--- FAIL: TestSearch (0.00s)',
    'FAILED tests/test_search.py::test_filter - assert 4 == 3',
    '[ERROR] BUILD FAILURE',
    'Traceback (most recent call last):',
    'make: *** [Makefile:12: test] Error 2',
    'Process completed with exit code 2.',
    'The command exited with status 1',
    'ERRO[0422] thresholds on metrics have been crossed',
    'java.lang.IllegalStateException: boom',
    'level=error msg="connection refused"',
  ])('flags "%s" as an error', (line) => {
    expect(parseLog(line).firstErrorLine).toBe(0);
  });

  it.each([
    'Tests: 0 failed, 12 passed',
    '0 errors, 0 warnings',
    'Process completed with exit code 0.',
    'src/error-handling.ts compiled',
    'added 120 packages in 3s',
    'errors: 0',
  ])('does not flag "%s"', (line) => {
    expect(parseLog(line).errorLines).toEqual([]);
  });

  it('falls back to the first stack frame when no line says error', () => {
    const log = parseLog(
      'something odd\n    at run (src/main.ts:3:9)\n    at main (src/main.ts:9:1)',
    );
    expect(log.errorLines).toEqual([]);
    expect(log.firstErrorLine).toBe(1);
  });
});

describe('hostile and huge input', () => {
  it('keeps markup as literal text', () => {
    const log = parseLog('<script>alert(1)</script>\n<img src=x onerror="alert(2)">');
    expect(texts(log)).toEqual(['<script>alert(1)</script>', '<img src=x onerror="alert(2)">']);
  });

  it('parses a 10 MB single line', () => {
    const line = `${ESC}[32m${'x'.repeat(10 * 1024 * 1024)}${ESC}[0m`;
    const log = parseLog(line);
    expect(log.lineCount).toBe(1);
    expect(lineText(log, 0).length).toBe(10 * 1024 * 1024);
  });

  it('accepts invalid UTF-8 as replacement characters', () => {
    const text = Buffer.from([0x6f, 0x6b, 0xff, 0xfe, 0x0a, 0xc3, 0x28]).toString('utf8');
    const log = parseLog(text);
    expect(texts(log)).toEqual(['ok\ufffd\ufffd', '\ufffd(']);
  });

  it('ends a section that never ends at the last line', () => {
    const log = parseLog('##[group]Never closed\none\ntwo');
    expect(log.sections[0]?.endLine).toBe(2);
  });

  it('parses chunk by chunk, so the first lines can be shown before the rest', () => {
    const lines = Array.from({ length: CHUNK_LINES * 2 + 5 }, (_, index) => `line ${index}`);
    const parser = createLogParser(lines.join('\n'));
    expect(parser.step()).toBe(false);
    expect(parser.log.lineCount).toBe(CHUNK_LINES);
    expect(parser.step()).toBe(false);
    expect(parser.step()).toBe(true);
    expect(parser.log.lineCount).toBe(lines.length);
    expect(lineText(parser.log, CHUNK_LINES * 2 + 4)).toBe(`line ${CHUNK_LINES * 2 + 4}`);
  });

  it('treats an empty log as no lines and CRLF as line ends', () => {
    expect(parseLog('').lineCount).toBe(0);
    expect(texts(parseLog('a\r\nb\r\n'))).toEqual(['a', 'b']);
  });
});

describe('lines kept as ranges of the raw log', () => {
  it('gives a plain log back as it is, across chunk boundaries', () => {
    const lines = Array.from({ length: CHUNK_LINES + 10 }, (_, index) =>
      index % 7 === 0 ? '' : `step ${index}: compiling module-${index}.ts`,
    );
    const raw = `${lines.join('\n')}\n`;
    const log = parseLog(raw);
    expect(log.lineCount).toBe(lines.length);
    expect(cleanText(log)).toBe(lines.join('\n'));
    expect(lineText(log, CHUNK_LINES + 1)).toBe(
      `step ${CHUNK_LINES + 1}: compiling module-${CHUNK_LINES + 1}.ts`,
    );
  });

  it('joins timestamped, coloured and CRLF lines without their prefixes and escapes', () => {
    const log = parseLog(
      [
        `2024-01-01T10:00:00.0000000Z ${ESC}[36mone${ESC}[0m two\r`,
        '2024-01-01T10:00:01.0000000Z three\r',
        `four ${ESC}[1mfive${ESC}[22m`,
        '',
      ].join('\n'),
    );
    expect(texts(log)).toEqual(['one two', 'three', 'four five']);
    expect(log.chunks[0]?.text).toBe('one two\nthree\nfour five');
  });

  it('still reads a marker that a colour code splits', () => {
    const log = parseLog(`#${ESC}[31m#[error]boom${ESC}[0m\n${ESC}[1m##[group]${ESC}[0mBuild`);
    expect(lineText(log, 0)).toBe('boom');
    expect(lineFlags(log, 0) & LINE_ERROR).toBe(LINE_ERROR);
    expect(styleOf(log, 0, 'boom')?.foreground).toBe(1);
    expect(lineText(log, 1)).toBe('Build');
    expect(log.sections[0]?.title).toBe('Build');
  });

  it('cuts a coloured [command] prefix and keeps the colour of the rest', () => {
    const log = parseLog(`${ESC}[36m[command]/usr/bin/git${ESC}[0m log -1`);
    expect(lineText(log, 0)).toBe('/usr/bin/git log -1');
    expect(lineFlags(log, 0) & LINE_COMMAND).toBe(LINE_COMMAND);
    expect(styleOf(log, 0, '/usr/bin/git')?.foreground).toBe(6);
    expect(styleOf(log, 0, ' log -1')?.foreground).toBe(-1);
  });

  it('finds error lines whatever the case of the words around them', () => {
    const log = parseLog(
      [
        'npm ERR! code ELIFECYCLE',
        'level=fatal msg=down',
        'all fine',
        'Process exited with code 2',
      ].join('\n'),
    );
    expect(log.errorLines).toEqual([0, 1, 3]);
  });
});
