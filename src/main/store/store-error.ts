/** Why the store refused to open or write, for the shell to choose what to show. */
export type StoreErrorReason =
  'corrupt' | 'permission' | 'newer-schema' | 'not-pipewatch' | 'migration-failed' | 'io';

/**
 * A failure of the local database, as a sentence a person can act on: it names the file, says
 * what is wrong in words and, when opening failed, that the file was left untouched.
 */
export class StoreError extends Error {
  constructor(
    readonly reason: StoreErrorReason,
    message: string,
    /** The database file, or null for an in-memory database. */
    readonly file: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}
