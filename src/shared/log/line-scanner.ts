import { applySgr, styleId, type SgrState, type StyleTable } from './ansi-style';

/**
 * Turns one line of terminal output into what a terminal would show: text without escape
 * sequences plus style changes as (column, style id) pairs. Every escape sequence is consumed —
 * SGR sets the style, a carriage return or "cursor to column 1" starts the line over (progress
 * bars), everything else (cursor moves, erases, OSC titles and links, DCS strings, unterminated
 * sequences) is dropped — so no ESC ever reaches the text.
 */

const ESC = 0x1b;
const CARRIAGE_RETURN = 0x0d;
/** The 8-bit CSI (C1 control), which some programs write instead of `ESC [`. */
const CSI_8BIT = 0x9b;
const BELL = 0x07;

/**
 * Characters that need the slow path: C0 controls but tab and newline, DEL, and C1 controls.
 * A line without any of them is copied as it is.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

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
 * Scans lines one after another. One instance per log: its fields are reused line after line
 * instead of allocating a closure and a buffer per line of a million-line log.
 */
export class LineScanner {
  private text = '';
  /** Style id of the last run pushed for this line (0 = plain at column 0). */
  private lastRunStyle = 0;
  private pendingStyle = 0;
  private runsBase = 0;
  private markers: string[] | null = null;
  private runs: number[] = [];

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
    runs: number[],
    nextControl: (from: number) => number = (from) => findControl(raw, from),
  ): ScannedLine {
    this.text = '';
    this.lastRunStyle = 0;
    this.runsBase = runs.length;
    this.runs = runs;
    this.markers = null;
    this.pendingStyle = styleId(this.table, this.state);
    let segmentStart = start;
    let index = start;
    while (index < end) {
      // Jump to the next control character: the text between needs no look at all.
      index = Math.min(end, nextControl(index));
      if (index >= end) break;
      const code = raw.charCodeAt(index);
      if (index > segmentStart) this.append(raw.slice(segmentStart, index));
      if (code === ESC || code === CSI_8BIT) {
        const sequence = code === ESC ? readEscape(raw, index, end) : readCsi(raw, index + 1, end);
        if (sequence.kind === 'sgr') {
          applySgr(this.state, sequence.params);
          this.pendingStyle = styleId(this.table, this.state);
        } else if (
          sequence.kind === 'erase-line' ||
          (sequence.kind === 'restart' && sequence.next < end)
        ) {
          this.restart();
        }
        index = sequence.next;
      } else if (code === CARRIAGE_RETURN) {
        // A carriage return at the very end is the CR of a CRLF; elsewhere the line starts over.
        if (index + 1 < end) this.restart();
        index += 1;
      } else {
        index += 1;
      }
      segmentStart = index;
    }
    if (end > segmentStart) this.append(raw.slice(segmentStart, end));
    return { text: this.text, markers: this.markers };
  }

  private append(piece: string): void {
    const { runs } = this;
    if (this.pendingStyle !== this.lastRunStyle) {
      const last = runs.length - 2;
      if (last >= this.runsBase && runs[last] === this.text.length) {
        runs[last + 1] = this.pendingStyle;
      } else {
        runs.push(this.text.length, this.pendingStyle);
      }
      this.lastRunStyle = this.pendingStyle;
    }
    this.text += piece;
  }

  /** The line is overwritten from column 0: keep GitLab section markers, drop what was shown. */
  private restart(): void {
    if (this.text.startsWith('section_')) (this.markers ??= []).push(this.text);
    this.text = '';
    this.runs.length = this.runsBase;
    this.lastRunStyle = 0;
  }
}

/** Where the next control character is at or after `from` (Infinity when there is none). */
export function findControl(raw: string, from: number): number {
  CONTROL_CHARACTER.lastIndex = from;
  const match = CONTROL_CHARACTER.exec(raw);
  return match ? match.index : Number.POSITIVE_INFINITY;
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
  return new LineScanner(state, table).scan(raw, start, end, runs);
}

type Sequence =
  | { kind: 'sgr'; params: string; next: number }
  | { kind: 'restart' | 'erase-line' | 'other'; next: number };

/** Reads the escape sequence starting with ESC at `at`; returns where the text resumes. */
function readEscape(raw: string, at: number, end: number): Sequence {
  if (at + 1 >= end) return { kind: 'other', next: end };
  const introducer = raw.charCodeAt(at + 1);
  switch (introducer) {
    case 0x5b: // [  CSI
      return readCsi(raw, at + 2, end);
    case 0x5d: // ]  OSC, ended by BEL or ST
    case 0x50: // P  DCS
    case 0x58: // X  SOS
    case 0x5e: // ^  PM
    case 0x5f: // _  APC
      return { kind: 'other', next: stringSequenceEnd(raw, at + 2, end) };
    default:
      break;
  }
  if (introducer >= 0x20 && introducer <= 0x2f) {
    // nF sequences such as `ESC ( B` (character sets): intermediates, then one final byte.
    let index = at + 1;
    while (index < end && raw.charCodeAt(index) >= 0x20 && raw.charCodeAt(index) <= 0x2f) {
      index += 1;
    }
    if (index < end && raw.charCodeAt(index) >= 0x30 && raw.charCodeAt(index) <= 0x7e) index += 1;
    return { kind: 'other', next: index };
  }
  // Two-character sequences (`ESC 7`, `ESC c`, `ESC =`); a control after ESC is kept for itself.
  if (introducer >= 0x30 && introducer <= 0x7e) return { kind: 'other', next: at + 2 };
  return { kind: 'other', next: at + 1 };
}

/**
 * Reads a CSI sequence whose parameters start at `from`: parameter bytes, intermediate bytes,
 * one final byte. A malformed or unterminated sequence ends where it stops making sense.
 */
function readCsi(raw: string, from: number, end: number): Sequence {
  let index = from;
  while (index < end && isParameterByte(raw.charCodeAt(index))) index += 1;
  const params = raw.slice(from, index);
  const intermediatesStart = index;
  while (index < end && isIntermediateByte(raw.charCodeAt(index))) index += 1;
  if (index >= end) return { kind: 'other', next: end };
  const final = raw.charCodeAt(index);
  if (final < 0x40 || final > 0x7e) return { kind: 'other', next: index };
  const next = index + 1;
  const privateMarker = params.length > 0 && params.charCodeAt(0) >= 0x3c; // < = > ?
  const plain = index === intermediatesStart && !privateMarker;
  if (!plain) return { kind: 'other', next };
  if (final === 0x6d) return { kind: 'sgr', params, next }; // m
  if (final === 0x4b && (params === '1' || params === '2')) return { kind: 'erase-line', next }; // K
  if (final === 0x47 && (params === '' || params === '0' || params === '1')) {
    return { kind: 'restart', next }; // G: cursor to column 1, like a carriage return
  }
  return { kind: 'other', next };
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
