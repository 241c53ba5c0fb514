/** Words for what went wrong on the wire, for messages a person reads, and bounded body reading. */

/** The first part of an error body, readable and short (an HTML page says little that helps). */
export async function bodySnippet(response: Response): Promise<string> {
  try {
    const text = (await response.text()).trim();
    if (text === '') return '';
    try {
      const json = JSON.parse(text) as { message?: unknown; error?: unknown };
      const message = json.message ?? json.error;
      if (typeof message === 'string') return message.slice(0, 200);
    } catch {
      // Not JSON: fall through to plain text.
    }
    if (/^<(!doctype|html)/i.test(text)) return 'an HTML page';
    return text.replace(/\s+/g, ' ').slice(0, 200);
  } catch {
    return '';
  }
}

/** A network failure in a few words: "connection refused", "host not found". */
export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
    default:
      return cause?.message ?? (error as Error).message ?? 'network error';
  }
}

/** The errors `bodyChunks` throws, in the caller's words. */
export interface BodyFailures {
  declaredTooBig(declared: number): Error;
  tooBig(): Error;
  /** The body stopped arriving: a time-out or a network failure. */
  cutOff(error: unknown): Error;
}

/**
 * A response body as it arrives, stopped (and the connection released) as soon as it passes
 * `limit` bytes: a declared length over the limit is refused before reading, an undeclared one
 * when the limit is reached — never after reading a body of any size into memory.
 */
export async function* bodyChunks(
  response: Response,
  limit: number,
  failures: BodyFailures,
): AsyncGenerator<Uint8Array, void, undefined> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > limit) {
    await response.body?.cancel();
    throw failures.declaredTooBig(declared);
  }
  if (response.body === null) return;
  const reader = response.body.getReader();
  let received = 0;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        throw failures.cutOff(error);
      }
      if (next.done) return;
      received += next.value.byteLength;
      if (received > limit) throw failures.tooBig();
      yield next.value;
    }
  } finally {
    // Stopped early (over the limit, or the reader gave up): release the connection.
    await reader.cancel().catch(() => undefined);
  }
}
