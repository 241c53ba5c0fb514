/** Words for what went wrong on the wire, for messages a person reads. */

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
