import { ApiError, type ApiErrorBody } from '../../shared/contract';
import { SourceError } from '../sources/source';

/** The HTTP status for each contract error code. */
export const STATUS_FOR_CODE: Readonly<Record<ApiErrorBody['code'], number>> = {
  'bad-request': 400,
  unauthorized: 401,
  'not-found': 404,
  conflict: 409,
  'source-error': 502,
  internal: 500,
};

/** An error body for a refusal the server itself decides. */
export function errorBody(code: ApiErrorBody['code'], message: string): ApiErrorBody {
  return { code, message };
}

/** What to answer for an error thrown while serving a request. */
export interface ErrorResponse {
  status: number;
  body: ApiErrorBody;
  /** Unexpected errors are logged with their stack; expected ones are answers, not incidents. */
  unexpected: boolean;
}

/**
 * Turns a thrown value into a response. Only `ApiError` and `SourceError` messages reach the
 * client (both are written for people and never carry tokens); anything else is a bug whose
 * message and stack stay in the server log.
 */
export function errorResponseFor(error: unknown): ErrorResponse {
  if (error instanceof ApiError) {
    return {
      status: STATUS_FOR_CODE[error.code],
      body: { code: error.code, message: error.message },
      unexpected: error.code === 'internal',
    };
  }
  if (error instanceof SourceError) {
    return {
      status: 502,
      body: { code: 'source-error', message: error.message },
      unexpected: false,
    };
  }
  return {
    status: 500,
    body: {
      code: 'internal',
      message: 'Something went wrong inside Pipewatch; the server log has the details.',
    },
    unexpected: true,
  };
}
