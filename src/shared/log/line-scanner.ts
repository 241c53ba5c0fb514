import { applySgrRange, styleId, type SgrState, type StyleTable } from './ansi-style';

/**
 * Turns one line of terminal output into what a terminal would show: text without escape
 * sequences plus style changes as (column, style id) pairs. Every escape sequence is consumed —
 * SGR sets the style, a carriage return or "cursor to column 1" starts the line over (progress
 * bars), everything else (cursor moves, erases, OSC titles and links, DCS strings, unterminated
 * sequences) is dropped — so no ESC ever reaches the text.
 *
 * The text is not built as a string: the scanner records which ranges of the raw log it is made
 * of, so the parser can copy a whole chunk of lines into one string at once. A million-line log
 * then costs no string per line, only when a caller asks for one (`lineText`).
 */

const ESC = 0x1b;
const CARRIAGE_RETURN = 0x0d;
/** The 8-bit CSI (C1 control), which some programs write instead of `ESC [`. */
const CSI_8BIT = 0x9b;
const BELL = 0x07;
const LETTER_S = 0x73;

/**
 * Characters that need the slow path: C0 controls but tab and newline, DEL, and C1 controls.
 * A line without any of them is copied as it is.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * The same characters but ESC. ESC is by far the most frequent (colours), and `indexOf` finds it
 * without allocating a match; the rest are rare enough for a regex.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_BUT_ESCAPE = /[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f]/g;

/** What one scanned line holds besides its style runs. */
export interface ScannedLine {
  text: string;
  /**
   * GitLab section markers (`section_start:…`, `section_end:…`) found before a carriage return,
   * in order; null when there are none (nearly always).
   */
  markers: string[] | null;
}

/**
 * Style runs as flat (column, style id) pairs in a growable typed array, reused chunk after
 * chunk: a coloured million-line log has millions of runs.
 */
export class RunList {
  data = new Uint32Array(4096);
  /** Numbers in use (twice the number of runs). */
  length = 0;

  push(column: number, style: number): void {
    if (this.length + 2 > this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = column;
    this.data[this.length + 1] = style;
    this.length += 2;
  }

  /** A copy of the runs in use. */
  copy(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

/** Escape sequence kinds `readEscape` reports in `LineScanner.sequenceKind`. */
const OTHER = 0;
const SGR = 1;
const RESTART = 2;
const ERASE_LINE = 3;

/**
 * Scans lines one after another. One instance per log: its fields are reused line after line
 * instead of allocating objects and strings per line of a million-line log. After `scan`, the
 * line's text is `segmentCount` ranges of the raw log (`segmentStarts`/`segmentEnds`), `length`
 * characters in all.
 */
export class LineScanner {
  /** Where each piece of the line's text starts in the raw log. */
  readonly segmentStarts: number[] = [];
  /** Where each piece ends (exclusive). */
  readonly segmentEnds: number[] = [];
  segmentCount = 0;
  /** The length of the line's text. */
  length = 0;
  /**
   * GitLab section markers (`section_start:…`, `section_end:…`) found before a carriage return,
   * in order; null when there are none (nearly always).
   */
  markers: string[] | null = null;
  private raw = '';
  /** Style id of the last run pushed for this line (0 = plain at column 0). */
  private lastRunStyle = 0;
  private pendingStyle = 0;
  private runsBase = 0;
  private runs = new RunList();
  private sequenceKind = OTHER;
  private paramsStart = 0;
  private paramsEnd = 0;

  constructor(
    private readonly state: SgrState,
    private readonly table: StyleTable,
  ) {}

  /**
   * Scans `raw[start, end)` (one line without its newline), appending style runs to `runs` as
   * flat (column, style id) pairs. The SGR state carries colours across lines, as a terminal does.
   */
  scan(
    raw: string,
    start: number,
    end: number,
    runs: RunList,
    nextControl: (from: number, limit: number) => number = (from) => findControl(raw, from),
  ): void {
    this.raw = raw;
    this.segmentCount = 0;
    this.length = 0;
    this.lastRunStyle = 0;
    this.runsBase = runs.length;
    this.runs = runs;
    this.markers = null;
    this.pendingStyle = styleId(this.table, this.state);
    let segmentStart = start;
    let index = start;
    while (index < end) {
      // Jump to the next control character: the text between needs no look at all.
      index = Math.min(end, nextControl(index, end));
      if (index >= end) break;
      const code = raw.charCodeAt(index);
      if (index > segmentStart) this.append(segmentStart, index);
      if (code === ESC || code === CSI_8BIT) {
        index = code === ESC ? this.readEscape(index, end) : this.readCsi(index + 1, end);
        const kind = this.sequenceKind;
        if (kind === SGR) {
          applySgrRange(this.state, raw, this.paramsStart, this.paramsEnd);
          this.pendingStyle = styleId(this.table, this.state);
        } else if (kind === ERASE_LINE || (kind === RESTART && index < end)) {
          this.restart();
        }
      } else if (code === CARRIAGE_RETURN) {
        // A carriage return at the very end is the CR of a CRLF; elsewhere the line starts over.
        if (index + 1 < end) this.restart();
        index += 1;
      } else {
        index += 1;
      }
      segmentStart = index;
    }
    if (end > segmentStart) this.append(segmentStart, end);
  }

  /** Sets the line to `raw[start, end)` as it is: a line without control characters. */
  setPlain(raw: string, start: number, end: number): void {
    this.raw = raw;
    this.markers = null;
    this.segmentCount = 0;
    this.length = 0;
    if (end > start) this.pushSegment(start, end);
  }

  /** The code of the text's first character, or -1 when the line is empty. */
  firstCode(): number {
    return this.segmentCount === 0 ? -1 : this.raw.charCodeAt(this.segmentStarts[0] ?? 0);
  }

  /** The line's text as a string (built on demand: most lines never need one). */
  text(): string {
    const count = this.segmentCount;
    const { raw, segmentStarts, segmentEnds } = this;
    if (count === 0) return '';
    if (count === 1) return raw.slice(segmentStarts[0], segmentEnds[0]);
    let text = '';
    for (let index = 0; index < count; index += 1) {
      text += raw.slice(segmentStarts[index], segmentEnds[index]);
    }
    return text;
  }

  private pushSegment(start: number, end: number): void {
    const count = this.segmentCount;
    // Adjacent pieces (an escape sequence that was dropped in between) stay separate ranges.
    this.segmentStarts[count] = start;
    this.segmentEnds[count] = end;
    this.segmentCount = count + 1;
    this.length += end - start;
  }

  private append(start: number, end: number): void {
    const { runs } = this;
    if (this.pendingStyle !== this.lastRunStyle) {
      const last = runs.length - 2;
      if (last >= this.runsBase && runs.data[last] === this.length) {
        runs.data[last + 1] = this.pendingStyle;
      } else {
        runs.push(this.length, this.pendingStyle);
      }
      this.lastRunStyle = this.pendingStyle;
    }
    this.pushSegment(start, end);
  }

  /** The line is overwritten from column 0: keep GitLab section markers, drop what was shown. */
  private restart(): void {
    if (this.firstCode() === LETTER_S) {
      const text = this.text();
      if (text.startsWith('section_')) (this.markers ??= []).push(text);
    }
    this.segmentCount = 0;
    this.length = 0;
    this.runs.length = this.runsBase;
    this.lastRunStyle = 0;
  }

  /**
   * Reads the escape sequence starting with ESC at `at`; returns where the text resumes and
   * leaves its kind (and an SGR's parameters) in the scanner's fields.
   */
  private readEscape(at: number, end: number): number {
    const { raw } = this;
    this.sequenceKind = OTHER;
    if (at + 1 >= end) return end;
    const introducer = raw.charCodeAt(at + 1);
    switch (introducer) {
      case 0x5b: // [  CSI
        return this.readCsi(at + 2, end);
      case 0x5d: // ]  OSC, ended by BEL or ST
      case 0x50: // P  DCS
      case 0x58: // X  SOS
      case 0x5e: // ^  PM
      case 0x5f: // _  APC
        return stringSequenceEnd(raw, at + 2, end);
      default:
        break;
    }
    if (introducer >= 0x20 && introducer <= 0x2f) {
      // nF sequences such as `ESC ( B` (character sets): intermediates, then one final byte.
      let index = at + 1;
      while (index < end && raw.charCodeAt(index) >= 0x20 && raw.charCodeAt(index) <= 0x2f) {
        index += 1;
      }
      if (index < end && raw.charCodeAt(index) >= 0x30 && raw.charCodeAt(index) <= 0x7e) {
        index += 1;
      }
      return index;
    }
    // Two-character sequences (`ESC 7`, `ESC c`, `ESC =`); a control after ESC is kept for itself.
    if (introducer >= 0x30 && introducer <= 0x7e) return at + 2;
    return at + 1;
  }

  /**
   * Reads a CSI sequence whose parameters start at `from`: parameter bytes, intermediate bytes,
   * one final byte. A malformed or unterminated sequence ends where it stops making sense.
   */
  private readCsi(from: number, end: number): number {
    const { raw } = this;
    this.sequenceKind = OTHER;
    let index = from;
    while (index < end && isParameterByte(raw.charCodeAt(index))) index += 1;
    const paramsEnd = index;
    while (index < end && isIntermediateByte(raw.charCodeAt(index))) index += 1;
    if (index >= end) return end;
    const final = raw.charCodeAt(index);
    if (final < 0x40 || final > 0x7e) return index;
    const next = index + 1;
    const privateMarker = paramsEnd > from && raw.charCodeAt(from) >= 0x3c; // < = > ?
    if (index !== paramsEnd || privateMarker) return next;
    if (final === 0x6d) {
      // m
      this.sequenceKind = SGR;
      this.paramsStart = from;
      this.paramsEnd = paramsEnd;
    } else if (final === 0x4b) {
      // K: erase the whole line or its start
      if (isSingleDigit(raw, from, paramsEnd, 0x31, 0x32)) this.sequenceKind = ERASE_LINE;
    } else if (final === 0x47) {
      // G: cursor to column 1, like a carriage return
      if (paramsEnd === from || isSingleDigit(raw, from, paramsEnd, 0x30, 0x31)) {
        this.sequenceKind = RESTART;
      }
    }
    return next;
  }
}

/** Whether `raw[from, to)` is one digit between `low` and `high` (char codes). */
function isSingleDigit(raw: string, from: number, to: number, low: number, high: number): boolean {
  if (to - from !== 1) return false;
  const code = raw.charCodeAt(from);
  return code >= low && code <= high;
}

/** Where the next control character is at or after `from` (Infinity when there is none). */
export function findControl(raw: string, from: number): number {
  CONTROL_CHARACTER.lastIndex = from;
  const match = CONTROL_CHARACTER.exec(raw);
  return match ? match.index : Number.POSITIVE_INFINITY;
}

/** How much of the log `controlFinder` looks at in one go. */
const CONTROL_WINDOW = 1 << 16;

/**
 * A `findControl` for scanning `raw` front to back: `(from, limit)` is where the next control
 * character at or after `from` is, or Infinity when there is none before `limit`. It remembers
 * the next ESC and the next other control character, so each is looked for again only once the
 * scan has passed it; and it looks a window at a time, so that the first lines of a huge log
 * cost no scan of the whole log.
 */
export function controlFinder(raw: string): (from: number, limit: number) => number {
  let windowStart = 0;
  let windowEnd = 0;
  let windowText = '';
  // Absolute positions in the current window; Infinity: none left in it; -1: not looked for.
  let nextEscape = -1;
  let nextOther = -1;
  return (start: number, limit: number): number => {
    let from = start;
    for (;;) {
      if (from < windowStart || from >= windowEnd) {
        if (from >= raw.length) return Number.POSITIVE_INFINITY;
        windowStart = from;
        windowEnd = Math.min(raw.length, from + CONTROL_WINDOW);
        // A slice of a flat string shares its characters: cheap, and searching it stops at its end.
        windowText = raw.slice(windowStart, windowEnd);
        nextEscape = -1;
        nextOther = -1;
      }
      if (nextEscape !== Number.POSITIVE_INFINITY && nextEscape < from) {
        const found = windowText.indexOf('\u001b', from - windowStart);
        nextEscape = found === -1 ? Number.POSITIVE_INFINITY : windowStart + found;
      }
      if (nextOther !== Number.POSITIVE_INFINITY && nextOther < from) {
        CONTROL_BUT_ESCAPE.lastIndex = from - windowStart;
        const match = CONTROL_BUT_ESCAPE.exec(windowText);
        nextOther = match ? windowStart + match.index : Number.POSITIVE_INFINITY;
      }
      const next = nextEscape < nextOther ? nextEscape : nextOther;
      if (next !== Number.POSITIVE_INFINITY || windowEnd >= limit) return next;
      from = windowEnd;
    }
  };
}

/** Scans one line with a fresh state (tests and one-off callers). */
export function scanLine(
  raw: string,
  start: number,
  end: number,
  state: SgrState,
  table: StyleTable,
  runs: number[],
): ScannedLine {
  const scanner = new LineScanner(state, table);
  const list = new RunList();
  scanner.scan(raw, start, end, list);
  for (let index = 0; index < list.length; index += 1) runs.push(list.data[index] ?? 0);
  return { text: scanner.text(), markers: scanner.markers };
}

function isParameterByte(code: number): boolean {
  return code >= 0x30 && code <= 0x3f;
}

function isIntermediateByte(code: number): boolean {
  return code >= 0x20 && code <= 0x2f;
}

/** Where an OSC/DCS/SOS/PM/APC string ends: after BEL or ST (`ESC \`), else at the line end. */
function stringSequenceEnd(raw: string, from: number, end: number): number {
  for (let index = from; index < end; index += 1) {
    const code = raw.charCodeAt(index);
    if (code === BELL) return index + 1;
    if (code === ESC)
      return index + 1 < end && raw.charCodeAt(index + 1) === 0x5c ? index + 2 : index;
  }
  return end;
}
