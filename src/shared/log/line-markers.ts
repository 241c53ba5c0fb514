/**
 * What CI servers put at the start of a log line besides the text: GitHub's and GitLab's
 * timestamps, GitHub workflow-command markers (`##[group]`, `##[error]`, …), GitLab section
 * markers and Buildbot's stream characters. Plain functions over char codes: they run once per
 * line of logs with a million lines.
 */

const ZERO = 0x30;
const NINE = 0x39;

function isDigit(raw: string, at: number): boolean {
  const code = raw.charCodeAt(at);
  return code >= ZERO && code <= NINE;
}

function digits(raw: string, at: number, count: number): boolean {
  for (let offset = 0; offset < count; offset += 1) {
    if (!isDigit(raw, at + offset)) return false;
  }
  return true;
}

/**
 * The length of an ISO-8601 UTC timestamp at `start` (GitHub: `2024-01-01T00:00:00.0000000Z`,
 * GitLab: six fractional digits), not counting the space after it; 0 when the line has none.
 * A timestamp counts only when a space or the line end follows it.
 */
export function timestampLength(raw: string, start: number, end: number): number {
  if (end - start < 20) return 0;
  // The separators first: most lines without a timestamp fail on the first of them.
  if (
    raw.charCodeAt(start + 4) !== 0x2d || // -
    raw.charCodeAt(start + 7) !== 0x2d ||
    raw.charCodeAt(start + 10) !== 0x54 || // T
    raw.charCodeAt(start + 13) !== 0x3a || // :
    raw.charCodeAt(start + 16) !== 0x3a ||
    !digits(raw, start, 4) ||
    !digits(raw, start + 5, 2) ||
    !digits(raw, start + 8, 2) ||
    !digits(raw, start + 11, 2) ||
    !digits(raw, start + 14, 2) ||
    !digits(raw, start + 17, 2)
  ) {
    return 0;
  }
  let index = start + 19;
  if (raw.charCodeAt(index) === 0x2e) {
    // .fraction
    index += 1;
    const fractionStart = index;
    while (index < end && isDigit(raw, index) && index - fractionStart < 9) index += 1;
    if (index === fractionStart) return 0;
  }
  const zone = raw.charCodeAt(index);
  if (zone === 0x5a) {
    index += 1; // Z
  } else if ((zone === 0x2b || zone === 0x2d) && digits(raw, index + 1, 2)) {
    // +hh:mm or -hh:mm
    index += raw.charCodeAt(index + 3) === 0x3a && digits(raw, index + 4, 2) ? 6 : 3;
  } else {
    return 0;
  }
  if (index > end) return 0;
  if (index < end && raw.charCodeAt(index) !== 0x20) return 0;
  return index - start;
}

/**
 * After a GitLab timestamp, the runner writes a stream tag such as `00O ` or `01E+ ` (stream
 * number, O/E for stdout/stderr, `+` for a continued line). Returns its length with the space.
 */
export function gitlabStreamTagLength(raw: string, start: number, end: number): number {
  if (end - start < 4) return 0;
  if (!isHex(raw.charCodeAt(start)) || !isHex(raw.charCodeAt(start + 1))) return 0;
  const stream = raw.charCodeAt(start + 2);
  if (stream !== 0x4f && stream !== 0x45) return 0; // O or E
  let index = start + 3;
  if (raw.charCodeAt(index) === 0x2b) index += 1; // +
  if (index >= end) return index - start;
  return raw.charCodeAt(index) === 0x20 ? index + 1 - start : 0;
}

function isHex(code: number): boolean {
  return (code >= ZERO && code <= NINE) || (code >= 0x61 && code <= 0x66);
}

/** GitHub (and Azure Pipelines) workflow-command markers a line may start with. */
export type CommandMarker =
  'group' | 'endgroup' | 'error' | 'warning' | 'notice' | 'debug' | 'command' | 'section';

const COMMAND_MARKER = /^##\[(group|endgroup|error|warning|notice|debug|command|section)\]/;

/** The `##[name]` marker at the start of `text` and its length, or null. */
export function commandMarker(text: string): { marker: CommandMarker; length: number } | null {
  if (text.charCodeAt(0) !== 0x23 || text.charCodeAt(1) !== 0x23) return null;
  const match = COMMAND_MARKER.exec(text);
  if (!match) return null;
  return { marker: match[1] as CommandMarker, length: match[0].length };
}

/** GitHub prefixes commands that actions run with `[command]`. */
export const COMMAND_PREFIX = '[command]';

/** A GitLab section marker, e.g. `section_start:1560896352:build_script[collapsed=true]`. */
export interface GitlabSectionMarker {
  kind: 'start' | 'end';
  name: string;
  collapsed: boolean;
}

const GITLAB_MARKER = /^section_(start|end):\d*:([^[\s]+)(?:\[([^\]]*)\])?/;

/** Reads a GitLab section marker; null for anything else. */
export function gitlabSectionMarker(text: string): GitlabSectionMarker | null {
  const match = GITLAB_MARKER.exec(text);
  if (!match) return null;
  const options = match[3] ?? '';
  return {
    kind: match[1] === 'start' ? 'start' : 'end',
    name: match[2] ?? '',
    collapsed: /(?:^|,)\s*collapsed\s*=\s*true\b/.test(options),
  };
}

/** Buildbot stdio logs start every line with its stream: input, output, error, header. */
export type BuildbotStream = 'i' | 'o' | 'e' | 'h';

const BUILDBOT_STREAMS = 'ioeh';

/** The Buildbot stream character at `start`, or null. */
export function buildbotStream(raw: string, start: number, end: number): BuildbotStream | null {
  if (start >= end) return null;
  const character = raw[start] ?? '';
  return BUILDBOT_STREAMS.includes(character) ? (character as BuildbotStream) : null;
}

/**
 * Whether a log looks like a Buildbot stdio log (`/logs/{id}/contents` joined): it opens with a
 * header line and each of its first lines starts with a stream character.
 */
export function looksLikeBuildbotStdio(raw: string): boolean {
  if (!raw.startsWith('h')) return false;
  let start = 0;
  for (let count = 0; count < 40 && start < raw.length; count += 1) {
    const newline = raw.indexOf('\n', start);
    const end = newline === -1 ? raw.length : newline;
    if (end > start && buildbotStream(raw, start, end) === null) return false;
    if (newline === -1) break;
    start = newline + 1;
  }
  return true;
}
