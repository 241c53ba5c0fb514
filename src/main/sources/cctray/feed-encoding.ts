/**
 * Turns the bytes of a cctray feed into text. Feeds come from many servers, some old
 * (CruiseControl.NET, TeamCity on Windows) that declare `ISO-8859-1` or `windows-1252` in the XML
 * declaration while the HTTP header says nothing or says UTF-8 by framework default.
 */

const XML_DECLARATION_ENCODING = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/;
const HTTP_CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

/** The encoding named by a byte order mark, or null. */
function byteOrderMark(bytes: Uint8Array): { encoding: string; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { encoding: 'utf-8', length: 3 };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** The encoding the XML declaration names; the declaration itself is ASCII in every encoding. */
export function declaredEncoding(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 256)).toString('latin1');
  return XML_DECLARATION_ENCODING.exec(head)?.[1] ?? null;
}

function charsetOf(contentType: string | null): string | null {
  if (!contentType) return null;
  return HTTP_CHARSET.exec(contentType)?.[1] ?? null;
}

function decoderFor(label: string, fatal: boolean): TextDecoder | null {
  try {
    return new TextDecoder(label, { fatal });
  } catch {
    // An encoding name this runtime does not know: try the next candidate.
    return null;
  }
}

/**
 * Decodes a feed: a byte order mark decides; otherwise the HTTP charset and the XML declaration
 * are tried in that order (RFC 7303) and the first that decodes the bytes without error wins, so
 * a latin-1 feed served as "charset=utf-8" still reads correctly. UTF-8 is the default.
 */
export function decodeFeed(bytes: Uint8Array, contentType: string | null): string {
  const mark = byteOrderMark(bytes);
  if (mark) {
    const decoder = decoderFor(mark.encoding, false) ?? new TextDecoder('utf-8');
    return decoder.decode(bytes.subarray(mark.length));
  }
  const candidates = [charsetOf(contentType), declaredEncoding(bytes), 'utf-8'].filter(
    (label): label is string => label !== null,
  );
  for (const label of candidates) {
    const decoder = decoderFor(label, true);
    if (!decoder) continue;
    try {
      return stripBom(decoder.decode(bytes));
    } catch {
      // Not valid in this encoding: the next candidate may fit.
    }
  }
  // Nothing decodes cleanly: show what we can, with replacement characters, rather than nothing.
  return stripBom(new TextDecoder('utf-8').decode(bytes));
}

function stripBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
