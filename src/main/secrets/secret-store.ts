/**
 * Where tokens live: the desktop app's encrypted file (Electron `safeStorage`) or serve mode's
 * owner-only secrets file. The core reads a token only through `get` at the moment a request
 * needs it, so a replaced token takes effect at the next request and no copy lingers elsewhere.
 */
export interface SecretStore {
  /** The secret with this id, or null when none is stored. */
  get(id: string): string | null;
  /** Stores (or replaces) a secret. Throws `SecretStoreError` when the store cannot keep it. */
  set(id: string, value: string): void;
  /** Forgets a secret; true when there was one. */
  remove(id: string): boolean;
  /** The ids of every stored secret (never their values). */
  ids(): string[];
}

/**
 * A secret store that cannot be used: a secrets file others can read, no keyring to encrypt
 * with. The message names the file and the fix, and never contains a secret.
 */
export class SecretStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretStoreError';
  }
}

/** Secret ids are source ids (`team-github`): short, printable, no path separators. */
export const SECRET_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Throws unless `id` is a usable secret id and `value` a usable token (one line, not empty). */
export function checkSecret(id: string, value?: string): void {
  if (!SECRET_ID_PATTERN.test(id)) {
    throw new SecretStoreError(
      `"${id.slice(0, 100)}" is not a valid secret id (letters, digits, dots, dashes).`,
    );
  }
  if (value === undefined) return;
  // Tokens end up in HTTP headers, where line breaks would split the header.
  if (value.length === 0 || value.length > 10_000 || /[\r\n\0]/.test(value)) {
    throw new SecretStoreError('A token must be one line of at most 10,000 characters.');
  }
}

/** Secrets kept in memory only: tests, and a core created without a store. */
export function createMemorySecretStore(initial: Record<string, string> = {}): SecretStore {
  const secrets = new Map(Object.entries(initial));
  return {
    get: (id) => secrets.get(id) ?? null,
    set(id, value) {
      checkSecret(id, value);
      secrets.set(id, value);
    },
    remove: (id) => secrets.delete(id),
    ids: () => [...secrets.keys()].sort(),
  };
}
