import { LINE_ERROR, LINE_TRACE, type LogChunk, type ParsedLog } from './log-model';

/**
 * How failures look in CI logs. A cheap literal prefilter runs once over a whole chunk of lines
 * and only the lines it hits are tested with the full pattern: one pass of a literal regex over
 * a few megabytes costs a fraction of running a dozen alternatives at every position.
 */

/**
 * Lines that say something failed: `error:`/`Error:`/`ERROR` lines (compilers, npm, Maven,
 * logrus' `ERRO[…]`), exceptions and assertion errors by class name, test-runner verdicts
 * (`FAIL`, `FAILED`, `--- FAIL:`, `✕`), Python tracebacks, make errors and non-zero exits.
 */
export const ERROR_LINE = new RegExp(
  [
    String.raw`(?:^|[\s:(\[])(?:error|Error|ERROR|fatal|Fatal|FATAL)(?:\[\w+\]| [A-Z]{2,}\d+)?:\s`,
    String.raw`\b(?:ERROR|FATAL|FAILURE)\b(?!\s*[:=]\s*0\b)`,
    String.raw`^\s*(?:ERRO|FATA|CRIT)\[`,
    String.raw`^\s*npm ERR!`,
    String.raw`\b[A-Z][A-Za-z0-9]*(?:Error|Exception)\b(?::|$)`,
    String.raw`\bAssertion(?:Error| failed)\b`,
    String.raw`^\s*(?:FAIL|FAILED)\b`,
    String.raw`^\s*--- FAIL:`,
    String.raw`^\s*✕ `,
    String.raw`^Traceback \(most recent call last\):`,
    String.raw`^make(?:\[\d+\])?: \*\*\* `,
    String.raw`\bexit(?:ed)? (?:with )?(?:code|status)[ :=]*-?[1-9]\d*`,
    String.raw`\b(?:completed|finished|failed|returned|terminated) with (?:exit )?(?:code|status)[ :=]*-?[1-9]\d*`,
    String.raw`\bnon-zero (?:exit )?(?:code|status)`,
    String.raw`^Exception in thread `,
    String.raw`\blevel=(?:error|fatal)\b`,
  ].join('|'),
  '',
);

/**
 * Every line ERROR_LINE can match contains one of these, ignoring case. Few alternatives of at
 * least four characters: this scans every character of the log, and each alternative costs.
 */
export const ERROR_HINT =
  /erro|err!|fail|fata|ception|exit|non-zero|✕|traceback|\*\*\* |crit|ssertion|with (?:code|status)/gi;

/**
 * Lines of a stack trace: JavaScript and Java frames (`    at fn (file:line:col)`), Python
 * frames (`  File "x.py", line 3`). They belong to an error but are not its first line.
 */
export const TRACE_LINE = new RegExp(
  [
    String.raw`^\s+at (?:async )?\S.*(?::\d+(?::\d+)?\)?|\((?:native|<anonymous>|Unknown Source)\))$`,
    String.raw`^\s+File ".+", line \d+`,
  ].join('|'),
  '',
);

/** Every line TRACE_LINE can match contains one of these. */
export const TRACE_HINT = / at |\tat | File "/g;

/**
 * Calls `mark` with the index of every line of `text` that `hint` finds and `pattern` (tested
 * on the line alone) confirms, once per line. `lineStarts[j]` is where line j starts in `text`;
 * lines are separated by single newlines.
 */
export function markMatchingLines(
  text: string,
  lineStarts: Uint32Array,
  lineCount: number,
  hint: RegExp,
  pattern: RegExp,
  mark: (line: number) => void,
): void {
  hint.lastIndex = 0;
  let line = 0;
  for (let match = hint.exec(text); match !== null; match = hint.exec(text)) {
    while (line + 1 < lineCount && (lineStarts[line + 1] ?? 0) <= match.index) line += 1;
    const start = lineStarts[line] ?? 0;
    const next = lineStarts[line + 1] ?? text.length + 1;
    if (pattern.test(text.slice(start, next - 1))) mark(line);
    if (line + 1 >= lineCount) break;
    // The line is decided: go on from the next one.
    hint.lastIndex = Math.max(hint.lastIndex, next);
    line += 1;
  }
  hint.lastIndex = 0;
}

/** Most errors worth listing; a log where every line says ERROR lists only the first ones. */
const MAX_ERROR_LINES = 100_000;

/** Flags error and stack-trace lines of a finished chunk and records the first ones. */
export function markErrors(log: ParsedLog, chunk: LogChunk): void {
  const { flags, firstLine, lineCount, text, textStarts } = chunk;
  markMatchingLines(text, textStarts, lineCount, ERROR_HINT, ERROR_LINE, (index) => {
    flags[index] = (flags[index] ?? 0) | LINE_ERROR;
  });
  markMatchingLines(text, textStarts, lineCount, TRACE_HINT, TRACE_LINE, (index) => {
    flags[index] = (flags[index] ?? 0) | LINE_TRACE;
  });
  for (let index = 0; index < lineCount; index += 1) {
    const lineFlags = flags[index] ?? 0;
    if ((lineFlags & (LINE_ERROR | LINE_TRACE)) === 0) continue;
    const line = firstLine + index;
    if ((lineFlags & LINE_ERROR) !== 0) {
      if (log.firstErrorLine === -1) log.firstErrorLine = line;
      if (log.errorLines.length < MAX_ERROR_LINES) log.errorLines.push(line);
    } else if (log.firstTraceLine === -1) {
      log.firstTraceLine = line;
    }
  }
}
