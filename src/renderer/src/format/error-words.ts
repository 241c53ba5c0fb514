import { ApiError } from '../../../shared/contract';

/** An error as a sentence for a person; never markup, never a stack. */
export function errorWords(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'unauthorized':
        return `Not authorized: ${error.message}`;
      case 'not-found':
        return `Not found: ${error.message}`;
      default:
        return error.message;
    }
  }
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
