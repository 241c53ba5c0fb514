import { lineFlags, lineText } from './log-lines';
import { LINE_SECTION_END, type ParsedLog } from './parse-log';

/**
 * "What is new in this log compared with the last green one": a line is new when nothing in the
 * green log reads the same once the parts that change on every run are blurred — numbers
 * (durations, counts, ports, line:column), hex ids (commit SHAs, container ids) and spacing.
 */

const HEX_ID = /\b[0-9a-f]{7,64}\b/gi;
const NUMBER = /\d+(?:\.\d+)?/g;
const SPACES = /\s+/g;

/** A line with the parts that differ between otherwise identical runs blurred. */
export function normalizeLine(text: string): string {
  return text.replace(HEX_ID, '#').replace(NUMBER, '0').replace(SPACES, ' ').trim();
}

/** 0-based lines of `current` that do not appear (normalized) anywhere in `baseline`. */
export function findNewLines(current: ParsedLog, baseline: ParsedLog): number[] {
  const known = new Set<string>();
  for (let line = 0; line < baseline.lineCount; line += 1) {
    known.add(normalizeLine(lineText(baseline, line)));
  }
  const fresh: number[] = [];
  for (let line = 0; line < current.lineCount; line += 1) {
    if ((lineFlags(current, line) & LINE_SECTION_END) !== 0) continue;
    const normalized = normalizeLine(lineText(current, line));
    if (normalized.length > 0 && !known.has(normalized)) fresh.push(line);
  }
  return fresh;
}
