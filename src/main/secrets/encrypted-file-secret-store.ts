import { checkSecret, SecretStoreError, type SecretStore } from './secret-store';
import { formatSecretsText, parseSecretsText } from './secrets-file';
import { readOwnerOnlyFile, writeOwnerOnlyFile } from './owner-only-file';

/**
 * What encrypts secrets at rest: Electron's `safeStorage` in the desktop app (the OS keychain,
 * DPAPI or libsecret), a test cipher in unit tests.
 */
export interface SecretCipher {
  /** Null when encryption works here; otherwise a sentence saying why it does not. */
  unavailableReason(): string | null;
  encrypt(plainText: string): Buffer;
  /** Throws when the ciphertext was not made by this cipher (another machine, another user). */
  decrypt(cipherText: Buffer): string;
}

/**
 * The desktop app's secret store: each token encrypted with `cipher` and kept as base64 in an
 * owner-only JSON file in the user-data folder, so the database, the config and the file itself
 * never hold a token in plain text. Decryption happens at each `get`, so no plain-text copy is
 * kept in memory between requests.
 */
export function openEncryptedFileSecretStore(path: string, cipher: SecretCipher): SecretStore {
  let entries = parseSecretsText(path, readOwnerOnlyFile(path) ?? '');

  const save = (next: Map<string, string>): void => {
    writeOwnerOnlyFile(path, formatSecretsText(next));
    entries = next;
  };

  return {
    get(id) {
      const stored = entries.get(id);
      if (stored === undefined) return null;
      try {
        return cipher.decrypt(Buffer.from(stored, 'base64'));
      } catch {
        // Copied from another machine or user profile: the keyring cannot open it.
        throw new SecretStoreError(
          `The stored token "${id}" cannot be decrypted on this machine; enter it again in Settings.`,
        );
      }
    },
    set(id, value) {
      checkSecret(id, value);
      const reason = cipher.unavailableReason();
      if (reason !== null) throw new SecretStoreError(reason);
      save(new Map(entries).set(id, cipher.encrypt(value).toString('base64')));
    },
    remove(id) {
      const next = new Map(entries);
      if (!next.delete(id)) return false;
      save(next);
      return true;
    },
    ids: () => [...entries.keys()].sort(),
  };
}
