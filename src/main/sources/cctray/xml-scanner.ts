/**
 * A small XML scanner, enough for flat feeds such as cctray: start and end tags with their
 * attributes, everything else (text, comments, processing instructions, CDATA, DOCTYPE) skipped.
 * No XML parser is installed, and a feed is one element with attributes per project, so a full
 * parser would be weight without benefit. Strict where a mistake would change what a feed says
 * (a tag cut off in the middle is an error), lenient where real servers are sloppy (unknown
 * entities stay as text, unquoted attribute values are accepted).
 */

export type XmlEvent =
  | { kind: 'doctype'; text: string }
  | { kind: 'open'; name: string; attributes: Map<string, string>; selfClosing: boolean }
  | { kind: 'close'; name: string };

/** The document ends inside a tag, comment or declaration, or the syntax cannot be read. */
export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    /** The document stops before its end: a truncated answer rather than bad syntax. */
    readonly truncated: boolean,
  ) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

const ENTITY = /&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|[A-Za-z][A-Za-z0-9]{0,31});/g;
const ELEMENT_NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ATTRIBUTE_NAME = /[^\s=/>"'<]+/y;
const UNQUOTED_VALUE = /[^\s>]+/y;
const WHITESPACE = /[ \t\r\n]*/y;

function isCharacter(codePoint: number): boolean {
  if (codePoint === 0 || codePoint > 0x10ffff) return false;
  return codePoint < 0xd800 || codePoint > 0xdfff;
}

/**
 * Replaces the five predefined entities and character references. Anything else (`&nbsp;`, a
 * bare `&`) is kept as written: servers that forget to escape still say something readable.
 */
export function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(ENTITY, (whole, body: string) => {
    if (body.startsWith('#')) {
      const hex = body[1] === 'x' || body[1] === 'X';
      const codePoint = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
      return isCharacter(codePoint) ? String.fromCodePoint(codePoint) : whole;
    }
    return NAMED_ENTITIES[body] ?? whole;
  });
}

/** XML attribute-value normalization: literal tabs and line breaks become spaces. */
function attributeValue(raw: string): string {
  return decodeEntities(raw.replace(/\r\n|[\t\n\r]/g, ' '));
}

/** The name without its namespace prefix: `cc:Project` → `Project`. */
export function localName(name: string): string {
  const colon = name.lastIndexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function skipPast(text: string, from: number, terminator: string, what: string): number {
  const end = text.indexOf(terminator, from);
  if (end < 0) throw new XmlSyntaxError(`the document ends inside ${what}`, true);
  return end + terminator.length;
}

/** `<!DOCTYPE …>` and friends, with an optional internal subset in brackets. */
function skipDeclaration(text: string, start: number): number {
  let index = start + 2;
  let inSubset = false;
  let quote: string | null = null;
  for (; index < text.length; index += 1) {
    const character = text[index];
    if (quote) {
      if (character === quote) quote = null;
    } else if (character === '"' || character === "'") {
      quote = character;
    } else if (character === '[') {
      inSubset = true;
    } else if (character === ']') {
      inSubset = false;
    } else if (character === '>' && !inSubset) {
      return index + 1;
    }
  }
  throw new XmlSyntaxError('the document ends inside a <!DOCTYPE> declaration', true);
}

/** Reads one start tag from `<`; answers the event and where scanning continues. */
function readStartTag(text: string, start: number): { event: XmlEvent; next: number } | null {
  ELEMENT_NAME.lastIndex = start + 1;
  const nameMatch = ELEMENT_NAME.exec(text);
  if (!nameMatch) return null;
  const name = nameMatch[0];
  const attributes = new Map<string, string>();
  let index = ELEMENT_NAME.lastIndex;
  for (;;) {
    WHITESPACE.lastIndex = index;
    WHITESPACE.exec(text);
    index = WHITESPACE.lastIndex;
    if (index >= text.length) {
      throw new XmlSyntaxError(`the document ends inside the tag <${name}>`, true);
    }
    if (text[index] === '>') {
      return { event: { kind: 'open', name, attributes, selfClosing: false }, next: index + 1 };
    }
    if (text.startsWith('/>', index)) {
      return { event: { kind: 'open', name, attributes, selfClosing: true }, next: index + 2 };
    }
    ATTRIBUTE_NAME.lastIndex = index;
    const attributeMatch = ATTRIBUTE_NAME.exec(text);
    if (!attributeMatch) {
      // A stray character (a lone quote, a `/` not before `>`, a `<`): step over it.
      index += 1;
      continue;
    }
    const attributeName = attributeMatch[0];
    index = ATTRIBUTE_NAME.lastIndex;
    WHITESPACE.lastIndex = index;
    WHITESPACE.exec(text);
    if (text[WHITESPACE.lastIndex] !== '=') {
      // A name without a value (HTML style): keep it, empty.
      if (!attributes.has(attributeName)) attributes.set(attributeName, '');
      continue;
    }
    WHITESPACE.lastIndex += 1;
    WHITESPACE.exec(text);
    index = WHITESPACE.lastIndex;
    const quote = text[index];
    let raw: string;
    if (quote === '"' || quote === "'") {
      const end = text.indexOf(quote, index + 1);
      if (end < 0) {
        throw new XmlSyntaxError(
          `the document ends inside the value of ${attributeName} in <${name}>`,
          true,
        );
      }
      raw = text.slice(index + 1, end);
      index = end + 1;
    } else {
      UNQUOTED_VALUE.lastIndex = index;
      raw = UNQUOTED_VALUE.exec(text)?.[0] ?? '';
      index = UNQUOTED_VALUE.lastIndex === 0 ? index : UNQUOTED_VALUE.lastIndex;
      if (raw.endsWith('/') && text[index] === '>') {
        raw = raw.slice(0, -1);
        index -= 1;
      }
    }
    // Well-formed XML has no duplicates; a sloppy server's first value is as good as its last.
    if (!attributes.has(attributeName)) attributes.set(attributeName, attributeValue(raw));
  }
}

/**
 * Scans a document and calls `onEvent` for each tag, in order. Throws `XmlSyntaxError` when the
 * document stops inside markup. Returning `false` from `onEvent` stops the scan early.
 */
export function scanXml(text: string, onEvent: (event: XmlEvent) => boolean | void): void {
  let index = 0;
  while (index < text.length) {
    const open = text.indexOf('<', index);
    if (open < 0) return;
    if (text.startsWith('<!--', open)) {
      index = skipPast(text, open + 4, '-->', 'a comment');
    } else if (text.startsWith('<![CDATA[', open)) {
      index = skipPast(text, open + 9, ']]>', 'a CDATA section');
    } else if (text.startsWith('<?', open)) {
      index = skipPast(text, open + 2, '?>', 'a processing instruction');
    } else if (text.startsWith('<!', open)) {
      const next = skipDeclaration(text, open);
      if (onEvent({ kind: 'doctype', text: text.slice(open, next) }) === false) return;
      index = next;
    } else if (text[open + 1] === '/') {
      const end = skipPast(text, open + 2, '>', 'an end tag');
      const name = text.slice(open + 2, end - 1).trim();
      if (onEvent({ kind: 'close', name }) === false) return;
      index = end;
    } else {
      const tag = readStartTag(text, open);
      if (!tag) {
        // `<` not followed by a name ("a < b" in text): not markup.
        index = open + 1;
        continue;
      }
      if (onEvent(tag.event) === false) return;
      index = tag.next;
    }
  }
}
