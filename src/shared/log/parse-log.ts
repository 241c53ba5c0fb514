import { createStyleTable, plainSgrState, styleId } from './ansi-style';
import { markErrors } from './error-patterns';
import {
  COMMAND_PREFIX,
  buildbotStream,
  commandMarker,
  gitlabSectionMarker,
  gitlabStreamTagLength,
  looksLikeBuildbotStdio,
  timestampLength,
} from './line-markers';
import { ChunkText } from './chunk-text';
import { LineScanner, RunList, controlFinder } from './line-scanner';
import {
  CHUNK_LINES,
  CHUNK_SHIFT,
  LINE_COMMAND,
  LINE_DEBUG,
  LINE_ERROR,
  LINE_HEADER,
  LINE_NOTICE,
  LINE_SECTION_END,
  LINE_SECTION_START,
  LINE_STDERR,
  LINE_WARNING,
  type LogChunk,
  type ParsedLog,
} from './log-model';
import { PendingText } from './pending-text';
import { SectionTracker } from './sections';

export type { LogSection } from './sections';
export {
  CHUNK_SHIFT,
  CHUNK_LINES,
  LINE_ERROR,
  LINE_TRACE,
  LINE_WARNING,
  LINE_NOTICE,
  LINE_DEBUG,
  LINE_COMMAND,
  LINE_STDERR,
  LINE_HEADER,
  LINE_SECTION_START,
  LINE_SECTION_END,
  type LogChunk,
  type ParsedLog,
} from './log-model';

export interface ParseOptions {
  /** `auto` recognises Buildbot stdio logs by their stream characters. */
  format?: 'auto' | 'plain' | 'buildbot';
}

/** Parses a log a chunk at a time, so a viewer can paint the first lines before the rest. */
export interface LogParser {
  readonly log: ParsedLog;
  /**
   * Parses the next chunk of lines when its text is there; returns true once every line is
   * parsed. A streaming parser waiting for text returns false without parsing (see `ready`).
   */
  step(): boolean;
  /** A chunk can be parsed now: its lines have arrived, or the text has ended. */
  readonly ready: boolean;
  /** Characters of text parsed so far. */
  readonly parsedCharacters: number;
}

/**
 * A parser fed the text as it arrives (a log read block by block): `push` pieces in order, cut
 * anywhere, then `end`. Lines are parsed a chunk at a time as soon as a whole chunk of lines has
 * arrived, so the first screen paints before the rest of the log is read. Pieces that end on a
 * chunk boundary (as stored log blocks do) are never copied.
 */
export interface StreamingLogParser extends LogParser {
  push(text: string): void;
  /** No more text: the last lines, however few, can be parsed. */
  end(): void;
}

/** Parses the whole log at once. */
export function parseLog(raw: string, options: ParseOptions = {}): ParsedLog {
  const parser = createLogParser(raw, options);
  while (!parser.step()) {
    // each step parses one chunk
  }
  return parser.log;
}

/** A parser over the whole of `raw`; call `step()` until it returns true. */
export function createLogParser(raw: string, options: ParseOptions = {}): LogParser {
  const parser = createStreamingLogParser(options);
  parser.push(raw);
  parser.end();
  return parser;
}

/** A parser fed with `push` and `end`; call `step()` while it is `ready`. */
export function createStreamingLogParser(options: ParseOptions = {}): StreamingLogParser {
  const requested = options.format ?? 'auto';
  const styleTable = createStyleTable();
  const log: ParsedLog = {
    format: requested === 'buildbot' ? 'buildbot' : 'plain',
    chunks: [],
    lineCount: 0,
    sections: [],
    sectionByHeader: new Map(),
    styles: styleTable.styles,
    errorLines: [],
    firstErrorLine: -1,
    firstTraceLine: -1,
    hasTimestamps: false,
    done: false,
  };
  const state = plainSgrState();
  const scanner = new LineScanner(state, styleTable);
  const sections = new SectionTracker(log.sections, log.sectionByHeader);
  const runs = new RunList();
  const input = new PendingText(CHUNK_LINES);
  let parsedCharacters = 0;

  const step = (): boolean => {
    if (log.done) return true;
    if (!input.ready()) return false;
    // Each chunk is parsed in the text that has not been parsed yet, from its start: its lines'
    // offsets are offsets into the chunk's own `raw`.
    const raw = input.text;
    if (log.chunks.length === 0 && requested === 'auto' && looksLikeBuildbotStdio(raw)) {
      log.format = 'buildbot';
    }
    const { format } = log;
    const controlAtOrAfter = controlFinder(raw);
    const text = new ChunkText(raw);
    let position = 0;
    const firstLine = log.lineCount;
    const rawStarts = new Uint32Array(CHUNK_LINES);
    const timestampLengths = new Uint8Array(CHUNK_LINES);
    const flags = new Uint16Array(CHUNK_LINES);
    const textStarts = new Uint32Array(CHUNK_LINES + 1);
    const runStarts = new Uint32Array(CHUNK_LINES + 1);
    runs.length = 0;
    text.reset();
    let textOffset = 0;
    let count = 0;
    while (count < CHUNK_LINES && position < raw.length) {
      const newline = raw.indexOf('\n', position);
      const lineEnd = newline === -1 ? raw.length : newline;
      const line = firstLine + count;
      rawStarts[count] = position;
      runStarts[count] = runs.length / 2;
      textStarts[count] = textOffset;

      let contentStart = position;
      const stamp = timestampLength(raw, position, lineEnd);
      if (stamp > 0) {
        timestampLengths[count] = stamp;
        log.hasTimestamps = true;
        contentStart = Math.min(lineEnd, position + stamp + 1);
        contentStart += gitlabStreamTagLength(raw, contentStart, lineEnd);
      }
      let lineFlags = 0;
      if (format === 'buildbot') {
        const stream = buildbotStream(raw, contentStart, lineEnd);
        if (stream !== null) {
          contentStart += 1;
          if (stream === 'e') lineFlags |= LINE_STDERR;
          if (stream === 'h') lineFlags |= LINE_HEADER;
        }
      }
      let contentEnd = lineEnd;
      if (contentEnd > contentStart && raw.charCodeAt(contentEnd - 1) === 0x0d) contentEnd -= 1;

      if (controlAtOrAfter(contentStart, contentEnd) < contentEnd) {
        scanner.scan(raw, contentStart, contentEnd, runs, controlAtOrAfter);
      } else {
        scanner.setPlain(raw, contentStart, contentEnd);
        // Colours set on an earlier line carry on, as in a terminal.
        const carried = styleId(styleTable, state);
        if (carried !== 0 && contentEnd > contentStart) runs.push(0, carried);
      }

      // Most lines are taken as the scanner left them, as ranges of the raw log; only lines that
      // may start with a marker, or that open a section, become a string of their own.
      let lineText: string | null = null;
      let length = scanner.length;
      const firstCode = scanner.firstCode();
      if (firstCode === HASH) {
        const scanned = scanner.text();
        const command = commandMarker(scanned);
        if (command !== null) {
          lineText = scanned.slice(command.length);
          length = lineText.length;
          shiftRuns(runs, runStarts[count] ?? 0, command.length);
          switch (command.marker) {
            case 'group':
            case 'section':
              sections.openGroup(line, lineText);
              lineFlags |= LINE_SECTION_START;
              break;
            case 'endgroup':
              sections.closeGroup(line);
              lineFlags |= LINE_SECTION_END;
              break;
            case 'error':
              lineFlags |= LINE_ERROR;
              break;
            case 'warning':
              lineFlags |= LINE_WARNING;
              break;
            case 'notice':
              lineFlags |= LINE_NOTICE;
              break;
            case 'debug':
              lineFlags |= LINE_DEBUG;
              break;
            case 'command':
              lineFlags |= LINE_COMMAND;
              break;
          }
        }
      } else if (firstCode === BRACKET) {
        const scanned = scanner.text();
        if (scanned.startsWith(COMMAND_PREFIX)) {
          lineText = scanned.slice(COMMAND_PREFIX.length);
          length = lineText.length;
          shiftRuns(runs, runStarts[count] ?? 0, COMMAND_PREFIX.length);
          lineFlags |= LINE_COMMAND;
        }
      }
      const { markers } = scanner;
      if (markers !== null) {
        lineText ??= scanner.text();
        lineFlags |= applyGitlabMarkers(markers, line, lineText, sections);
      }
      if (format === 'buildbot') {
        const header = (lineFlags & LINE_HEADER) !== 0;
        // Only the first line of a header block titles it.
        const title = header ? (lineText ?? scanner.text()) : '';
        if (sections.trackHeader(line, header, title)) {
          markHeaderLine(log, flags, firstLine, sections.lastHeaderRunStart);
        }
      }

      flags[count] = lineFlags;
      if (count > 0) text.appendNewline(position - 1);
      if (lineText === null) text.appendLine(scanner);
      else text.appendString(lineText);
      textOffset += length + 1;
      count += 1;
      position = newline === -1 ? raw.length : newline + 1;
    }
    textStarts[count] = textOffset;
    runStarts[count] = runs.length / 2;
    const full = count === CHUNK_LINES;
    const chunk: LogChunk = {
      firstLine,
      raw: input.take(position),
      lineCount: count,
      text: text.finish(),
      textStarts: full ? textStarts : textStarts.slice(0, count + 1),
      rawStarts: full ? rawStarts : rawStarts.slice(0, count),
      timestampLengths: full ? timestampLengths : timestampLengths.slice(0, count),
      flags: full ? flags : flags.slice(0, count),
      runStarts: full ? runStarts : runStarts.slice(0, count + 1),
      runs: runs.copy(),
    };
    log.chunks.push(chunk);
    log.lineCount += count;
    parsedCharacters += position;
    markErrors(log, chunk);
    if (input.finished()) finish();
    return log.done;
  };

  /** Closes what the last line left open; the log is done. */
  const finish = (): void => {
    const last = log.chunks.at(-1);
    if (last && log.format === 'buildbot' && sections.trackHeader(log.lineCount, false, '')) {
      markHeaderLine(log, last.flags, last.firstLine, sections.lastHeaderRunStart);
    }
    sections.closeAll(log.lineCount - 1);
    if (log.firstErrorLine === -1) log.firstErrorLine = log.firstTraceLine;
    log.done = true;
  };

  return {
    log,
    step,
    get ready() {
      return !log.done && input.ready();
    },
    get parsedCharacters() {
      return parsedCharacters;
    },
    push(piece) {
      input.push(piece);
    },
    end() {
      input.end();
      // Everything pushed was parsed already (or nothing was): the log is done now.
      if (!log.done && input.finished()) finish();
    },
  };
}

const HASH = 0x23;
const BRACKET = 0x5b;

/** Moves the runs of the line being parsed left by `removed` columns (a marker was cut off). */
function shiftRuns(runs: RunList, firstPair: number, removed: number): void {
  const { data } = runs;
  for (let index = firstPair * 2; index < runs.length; index += 2) {
    data[index] = Math.max(0, (data[index] ?? 0) - removed);
  }
}

/** Opens and closes the sections a GitLab line's markers name; returns flags for the line. */
function applyGitlabMarkers(
  markers: readonly string[],
  line: number,
  text: string,
  sections: SectionTracker,
): number {
  let flags = 0;
  const starts = markers.some((marker) => gitlabSectionMarker(marker)?.kind === 'start');
  for (const text of markers) {
    const marker = gitlabSectionMarker(text);
    if (marker?.kind === 'end') sections.closeNamed(marker.name, line, starts);
  }
  for (const markerText of markers) {
    const marker = gitlabSectionMarker(markerText);
    if (marker?.kind !== 'start') continue;
    sections.openNamed(line, marker.name, text.length > 0 ? text : marker.name, marker.collapsed);
    flags |= LINE_SECTION_START;
  }
  if (!starts && text.length === 0 && markers.some((m) => gitlabSectionMarker(m) !== null)) {
    flags |= LINE_SECTION_END;
  }
  return flags;
}

/** Flags the first line of a Buildbot header block, which may sit in an earlier chunk. */
function markHeaderLine(
  log: ParsedLog,
  current: Uint16Array,
  firstLine: number,
  line: number,
): void {
  if (line >= firstLine) {
    current[line - firstLine] = (current[line - firstLine] ?? 0) | LINE_SECTION_START;
    return;
  }
  const chunk = log.chunks[line >>> CHUNK_SHIFT];
  if (chunk) {
    const index = line - chunk.firstLine;
    chunk.flags[index] = (chunk.flags[index] ?? 0) | LINE_SECTION_START;
  }
}
