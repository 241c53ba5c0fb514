/**
 * Text styles of terminal output (ANSI SGR: 16, 256 and 24-bit colours, bold, italic, …), kept
 * compact: a style is three numbers, and every distinct style of a log is stored once in a
 * `StyleTable` so that a line's colours are a few (column, style id) pairs.
 */

/** The terminal's own colour (the theme decides it). */
export const DEFAULT_COLOR = -1;
/** Colours at or above this are 24-bit: `TRUECOLOR + 0xRRGGBB`. Below it, palette indices 0–255. */
export const TRUECOLOR = 0x1000000;

export const BOLD = 1;
export const DIM = 2;
export const ITALIC = 4;
export const UNDERLINE = 8;
export const STRIKE = 16;
export const INVERSE = 32;
export const HIDDEN = 64;

/** One text style: foreground and background colours and the attribute bits above. */
export interface TextStyle {
  readonly foreground: number;
  readonly background: number;
  readonly attributes: number;
}

/** The plain style: id 0 in every `StyleTable`. */
export const PLAIN_STYLE: TextStyle = {
  foreground: DEFAULT_COLOR,
  background: DEFAULT_COLOR,
  attributes: 0,
};

/** The style the SGR sequences seen so far have set; mutated as sequences arrive. */
export interface SgrState {
  foreground: number;
  background: number;
  attributes: number;
}

/** A fresh, plain state. */
export function plainSgrState(): SgrState {
  return { foreground: DEFAULT_COLOR, background: DEFAULT_COLOR, attributes: 0 };
}

/** Every distinct style of one log, by id; id 0 is always the plain style. */
export interface StyleTable {
  readonly styles: TextStyle[];
  readonly ids: Map<number, Map<number, number>>;
  /** The last style looked up and its id: most lookups ask for the same style again. */
  last: TextStyle;
  lastId: number;
}

export function createStyleTable(): StyleTable {
  return { styles: [PLAIN_STYLE], ids: new Map(), last: PLAIN_STYLE, lastId: 0 };
}

/** The id of the state's style, adding it to the table the first time it is seen. */
export function styleId(table: StyleTable, state: SgrState): number {
  const { foreground, background, attributes } = state;
  if (foreground === DEFAULT_COLOR && background === DEFAULT_COLOR && attributes === 0) {
    return 0;
  }
  const last = table.last;
  if (
    last.foreground === foreground &&
    last.background === background &&
    last.attributes === attributes
  ) {
    return table.lastId;
  }
  // Keyed by numbers, not by a string built per lookup: this runs once per escape sequence.
  const key = foreground * 256 + attributes;
  let byBackground = table.ids.get(key);
  if (byBackground === undefined) {
    byBackground = new Map();
    table.ids.set(key, byBackground);
  }
  let id = byBackground.get(background);
  if (id === undefined) {
    id = table.styles.length;
    table.styles.push({ foreground, background, attributes });
    byBackground.set(background, id);
  }
  table.last = table.styles[id] ?? PLAIN_STYLE;
  table.lastId = id;
  return id;
}

/**
 * Applies one SGR sequence (`ESC [ params m`) to the state. `params` is the text between `[`
 * and `m`; both `;` and the ITU `:` separators are accepted (`38:2::255:0:0`). Unknown codes are
 * ignored, as terminals do.
 */
export function applySgr(state: SgrState, params: string): void {
  applySgrRange(state, params, 0, params.length);
}

/**
 * `applySgr` for the parameters at `text[from, to)`: the scanner reads them in place rather
 * than cutting a string out of the log for every colour change.
 */
export function applySgrRange(state: SgrState, text: string, from: number, to: number): void {
  if (to <= from) {
    resetState(state);
    return;
  }
  const count = readCodes(text, from, to, SGR_CODES);
  const colonForm = readColon;
  for (let index = 0; index < count; index += 1) {
    const code = SGR_CODES[index] ?? 0;
    if (code === 38 || code === 48 || code === 58) {
      const color = extendedColor(SGR_CODES, count, index + 1, colonForm);
      index += extendedUsed;
      if (color === null) continue;
      if (code === 38) state.foreground = color;
      else if (code === 48) state.background = color;
      continue;
    }
    applyCode(state, code);
  }
}

/** Scratch space for one sequence's codes; SGR runs once per escape of a million-line log. */
const SGR_CODES = new Int32Array(64);
/** Whether the sequence `readCodes` last read used the `:` separator. */
let readColon = false;

/**
 * Reads `;`/`:`-separated numbers (empty = 0) of `text[from, to)` into `into`; returns how many
 * (at most its size).
 */
function readCodes(text: string, from: number, to: number, into: Int32Array): number {
  let count = 0;
  let value = 0;
  readColon = false;
  for (let index = from; index < to; index += 1) {
    const character = text.charCodeAt(index);
    if (character === 0x3b || character === 0x3a) {
      if (character === 0x3a) readColon = true;
      if (count < into.length) into[count] = value;
      count += 1;
      value = 0;
    } else if (character >= 0x30 && character <= 0x39) {
      // Clamped so that a hostile 400-digit parameter stays a (meaningless) number.
      value = Math.min(value * 10 + (character - 0x30), 0xffffff);
    }
  }
  if (count < into.length) into[count] = value;
  return Math.min(count + 1, into.length);
}

function applyCode(state: SgrState, code: number): void {
  if (code === 0) resetState(state);
  else if (code === 1) state.attributes |= BOLD;
  else if (code === 2) state.attributes |= DIM;
  else if (code === 3) state.attributes |= ITALIC;
  else if (code === 4 || code === 21) state.attributes |= UNDERLINE;
  else if (code === 7) state.attributes |= INVERSE;
  else if (code === 8) state.attributes |= HIDDEN;
  else if (code === 9) state.attributes |= STRIKE;
  else if (code === 22) state.attributes &= ~(BOLD | DIM);
  else if (code === 23) state.attributes &= ~ITALIC;
  else if (code === 24) state.attributes &= ~UNDERLINE;
  else if (code === 27) state.attributes &= ~INVERSE;
  else if (code === 28) state.attributes &= ~HIDDEN;
  else if (code === 29) state.attributes &= ~STRIKE;
  else if (code >= 30 && code <= 37) state.foreground = code - 30;
  else if (code === 39) state.foreground = DEFAULT_COLOR;
  else if (code >= 40 && code <= 47) state.background = code - 40;
  else if (code === 49) state.background = DEFAULT_COLOR;
  else if (code >= 90 && code <= 97) state.foreground = code - 90 + 8;
  else if (code >= 100 && code <= 107) state.background = code - 100 + 8;
}

function resetState(state: SgrState): void {
  state.foreground = DEFAULT_COLOR;
  state.background = DEFAULT_COLOR;
  state.attributes = 0;
}

/**
 * Reads `5;n` (256 colours) or `2;r;g;b` (24-bit) after a 38/48/58 code. Returns the colour, or
 * null when malformed; leaves how many codes it consumed in `extendedUsed` (no tuple per
 * colour: this runs for most escapes of a coloured log). The colon form may carry an empty
 * colour-space id: `38:2::r:g:b`.
 */
function extendedColor(
  codes: Int32Array,
  count: number,
  at: number,
  colonForm: boolean,
): number | null {
  const mode = at < count ? codes[at] : undefined;
  if (mode === 5) {
    extendedUsed = 2;
    const index = at + 1 < count ? codes[at + 1] : undefined;
    if (index === undefined || index < 0 || index > 255) return null;
    return index;
  }
  if (mode === 2) {
    // `38:2:id:r:g:b` has a colour-space id before the channels; `38;2;r;g;b` does not.
    const skip = colonForm && count - at >= 5 ? 1 : 0;
    extendedUsed = 4 + skip;
    const red = at + 1 + skip < count ? codes[at + 1 + skip] : undefined;
    const green = at + 2 + skip < count ? codes[at + 2 + skip] : undefined;
    const blue = at + 3 + skip < count ? codes[at + 3 + skip] : undefined;
    if (!isChannel(red) || !isChannel(green) || !isChannel(blue)) return null;
    return TRUECOLOR + red * 65536 + green * 256 + blue;
  }
  extendedUsed = 1;
  return null;
}

/** How many codes the last `extendedColor` consumed. */
let extendedUsed = 0;

function isChannel(value: number | undefined): value is number {
  return value !== undefined && value >= 0 && value <= 255;
}

const CUBE_LEVELS = [0, 95, 135, 175, 215, 255] as const;

/**
 * The CSS colour of a 256-palette index from 16 up, or of a 24-bit colour. The first 16 palette
 * colours are the theme's (CSS classes), so this returns null for them and for the default.
 */
export function colorToCss(color: number): string | null {
  if (color >= TRUECOLOR) return `#${(color - TRUECOLOR).toString(16).padStart(6, '0')}`;
  if (color < 16) return null;
  if (color < 232) {
    const cube = color - 16;
    const red = CUBE_LEVELS[Math.floor(cube / 36)] ?? 0;
    const green = CUBE_LEVELS[Math.floor(cube / 6) % 6] ?? 0;
    const blue = CUBE_LEVELS[cube % 6] ?? 0;
    return `rgb(${red} ${green} ${blue})`;
  }
  const grey = 8 + (color - 232) * 10;
  return `rgb(${grey} ${grey} ${grey})`;
}
