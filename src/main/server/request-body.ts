import type { IncomingMessage } from 'node:http';
import type { ApiErrorBody } from '../../shared/contract';
import { isSameOriginRequest } from './auth';
import { errorBody } from './error-responses';

/** Request bodies above this are refused with 413; no operation needs more than a comment. */
export const MAX_BODY_BYTES = 1024 * 1024;

type BodyResult = { kind: 'body'; text: string } | { kind: 'too-large' };

function readBody(request: IncomingMessage): Promise<BodyResult> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > MAX_BODY_BYTES) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.off('data', onData);
        request.resume();
        resolve({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () =>
      resolve({ kind: 'body', text: Buffer.concat(chunks).toString('utf8') }),
    );
    request.on('error', reject);
  });
}

function isJsonContentType(header: string | undefined): boolean {
  const mediaType = (header ?? '').split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}

export type Refusal = { status: number; error: ApiErrorBody };

/**
 * The checks that keep other web sites from changing anything: a browser always sends `Origin`
 * on a cross-origin POST, and only `text/plain`, form and multipart bodies go out without a CORS
 * preflight (which this server never grants), so requiring JSON blocks simple form posts.
 */
export function refusePost(request: IncomingMessage): Refusal | null {
  if (!isSameOriginRequest(request.headers.origin, request.headers.host)) {
    return {
      status: 403,
      error: errorBody('unauthorized', 'Cross-origin requests may not change anything.'),
    };
  }
  if (!isJsonContentType(request.headers['content-type'])) {
    return {
      status: 415,
      error: errorBody('bad-request', 'POST requests must be sent as application/json.'),
    };
  }
  return null;
}

/** Reads a POST body as a JSON object; an empty body is `{}`. */
export async function readJsonObject(
  request: IncomingMessage,
): Promise<{ kind: 'input'; body: Record<string, unknown> } | ({ kind: 'refused' } & Refusal)> {
  const read = await readBody(request);
  if (read.kind === 'too-large') {
    return {
      kind: 'refused',
      status: 413,
      error: errorBody('bad-request', 'The request body is larger than 1 MiB.'),
    };
  }
  if (read.text.trim() === '') return { kind: 'input', body: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch {
    return {
      kind: 'refused',
      status: 400,
      error: errorBody('bad-request', 'The request body is not valid JSON.'),
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      kind: 'refused',
      status: 400,
      error: errorBody('bad-request', 'The request body must be a JSON object.'),
    };
  }
  return { kind: 'input', body: parsed as Record<string, unknown> };
}
