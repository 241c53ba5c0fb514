import {
  ApiError,
  apiErrorSchema,
  operations,
  type ApiErrorBody,
  type OperationInput,
  type OperationName,
} from '../../../shared/contract';

/** Where serve mode pushes events (server-sent events). */
export const EVENTS_PATH = '/api/events';

/** One HTTP request of the contract, ready for `fetch`. */
export type HttpRequest = {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
};

/**
 * Maps an operation call onto HTTP from the contract's table alone: `:name` path parameters
 * come out of the input; GET sends the rest as a query string, POST as a JSON body.
 */
export function buildRequest<K extends OperationName>(
  name: K,
  input: OperationInput<K> | undefined,
  baseUrl = '',
  token: string | null = null,
): HttpRequest {
  const { method, path } = operations[name];
  const rest: Record<string, unknown> = { ...((input ?? {}) as Record<string, unknown>) };
  const filledPath = path.replace(/:([A-Za-z0-9_]+)/g, (_match, parameter: string) => {
    const value = rest[parameter];
    delete rest[parameter];
    if (value === undefined || value === null || value === '') {
      throw new ApiError('bad-request', `${name}: ${parameter} is required`);
    }
    return encodeURIComponent(String(value));
  });
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const url = `${trimBase(baseUrl)}${filledPath}`;
  if (method === 'GET') return { method, url: url + queryString(rest), headers };
  headers['Content-Type'] = 'application/json';
  return { method, url, headers, body: JSON.stringify(rest) };
}

/** The event stream's URL; EventSource cannot send headers, so the token rides in the query. */
export function eventStreamUrl(baseUrl = '', token: string | null = null): string {
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${trimBase(baseUrl)}${EVENTS_PATH}${query}`;
}

/**
 * Turns a non-2xx answer into an ApiError: the server's `{ code, message }` when it sent one,
 * otherwise a sentence built from the HTTP status.
 */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML error page, an empty body): fall back to the status line.
  }
  const parsed = apiErrorSchema.safeParse(body);
  if (parsed.success) return new ApiError(parsed.data.code, parsed.data.message);
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  return new ApiError(codeForStatus(response.status), `The server answered HTTP ${status}.`);
}

function codeForStatus(status: number): ApiErrorBody['code'] {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status >= 400 && status < 500) return 'bad-request';
  return 'internal';
}

function queryString(parameters: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(parameters)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) search.append(key, String(item));
    } else {
      search.append(key, String(value));
    }
  }
  const text = search.toString();
  return text.length > 0 ? `?${text}` : '';
}

function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}
