import { join } from 'node:path';
import { checkSecret, type SecretStore } from './secret-store';
import { formatSecretsText, parseSecretsText } from './secrets-file';
import { fileStamp, readOwnerOnlyFile, writeOwnerOnlyFile } from './owner-only-file';

/** Serve mode's default secrets file inside the data folder. */
export function defaultSecretsFilePath(dataDir: string): string {
  return join(dataDir, 'secrets.json');
}

/**
 * Serve mode's secret store: a JSON object of tokens in a file only its owner may read
 * (`chmod 600`), e.g. `{"team-github": "ghp_…"}`. Opening refuses a file others can read with
 * a SecretStoreError that names the file and `chmod 600`. The file is re-read when it changes on
 * disk (and its permissions checked again), so a token rotated by hand takes effect without a
 * restart. A missing file is an empty store; the first `set` creates it with mode 0600.
 */
export function openFileSecretStore(path: string): SecretStore {
  let secrets = parseSecretsText(path, readOwnerOnlyFile(path) ?? '');
  let stamp = fileStamp(path);

  const current = (): Map<string, string> => {
    const now = fileStamp(path);
    if (now !== stamp) {
      // Throws (and keeps throwing) if someone made the file readable by others meanwhile.
      secrets = parseSecretsText(path, readOwnerOnlyFile(path) ?? '');
      stamp = now;
    }
    return secrets;
  };
  const save = (next: Map<string, string>): void => {
    writeOwnerOnlyFile(path, formatSecretsText(next));
    secrets = next;
    stamp = fileStamp(path);
  };

  return {
    get: (id) => current().get(id) ?? null,
    set(id, value) {
      checkSecret(id, value);
      save(new Map(current()).set(id, value));
    },
    remove(id) {
      const next = new Map(current());
      if (!next.delete(id)) return false;
      save(next);
      return true;
    },
    ids: () => [...current().keys()].sort(),
  };
}
