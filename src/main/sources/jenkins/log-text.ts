/**
 * Jenkins log text as Pipewatch keeps it: plain text. Console notes (hidden `ESC[8mha:…ESC[0m`
 * annotations) are removed, and the HTML that wfapi's node log sends is turned back into text —
 * a log is always shown as text, never rendered as HTML.
 */

// Console notes are delimited by ESC sequences, so the pattern must name that control character.
// eslint-disable-next-line no-control-regex
const CONSOLE_NOTE = /\u001b\[8mha:[^\u001b]*\u001b\[0m/g;

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** Removes Jenkins console notes, which a plain-text endpoint may still carry. */
export function stripConsoleNotes(text: string): string {
  return text.replace(CONSOLE_NOTE, '');
}

/** wfapi's `text` (annotated HTML: links, spans, entities) as the plain text it stands for. */
export function htmlToText(html: string): string {
  return stripConsoleNotes(html)
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity: string, code: string) => {
      if (code.startsWith('#x') || code.startsWith('#X')) {
        return fromCodePoint(Number.parseInt(code.slice(2), 16)) ?? entity;
      }
      if (code.startsWith('#')) return fromCodePoint(Number(code.slice(1))) ?? entity;
      return ENTITIES[code.toLowerCase()] ?? entity;
    });
}

/** The character of a numeric entity, or null past U+10FFFF (where `fromCodePoint` throws). */
function fromCodePoint(code: number): string | null {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff
    ? String.fromCodePoint(code)
    : null;
}

/** One answer of `logText/progressiveText?start=N`. */
export interface ProgressiveChunk {
  text: string;
  /** `X-Text-Size`: where the next request starts. */
  next: number;
  /** `X-More-Data: true`: the log is still growing. */
  more: boolean;
}

/** Reads a progressive-text answer; without `X-Text-Size` the offset advances by the bytes read. */
export function readProgressive(text: string, headers: Headers, start: number): ProgressiveChunk {
  const header = headers.get('x-text-size');
  const size = header === null ? Number.NaN : Number(header);
  return {
    text: stripConsoleNotes(text),
    next: Number.isInteger(size) && size >= start ? size : start + Buffer.byteLength(text),
    more: headers.get('x-more-data')?.toLowerCase() === 'true',
  };
}
