import { SecretStoreError } from './secret-store';

/**
 * The format shared by both secrets files: one JSON object from secret id to a string (the token
 * itself in serve mode's file, base64 ciphertext in the desktop app's). Parse errors never quote
 * the file: JSON.parse's message would show a piece of it, which may be a token.
 */

/** Parses the text of a secrets file; throws SecretStoreError naming the file (not its text). */
export function parseSecretsText(path: string, text: string): Map<string, string> {
  if (text.trim() === '') return new Map();
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new SecretStoreError(
      `Secrets file ${path} is not valid JSON; it must be one object like {"team-github": "<token>"}.`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SecretStoreError(
      `Secrets file ${path} must hold one JSON object like {"team-github": "<token>"}.`,
    );
  }
  const secrets = new Map<string, string>();
  for (const [id, value] of Object.entries(json)) {
    if (typeof value !== 'string') {
      throw new SecretStoreError(`Secrets file ${path}: "${id.slice(0, 100)}" must be a string.`);
    }
    secrets.set(id, value);
  }
  return secrets;
}

/** The text written back: ids sorted so that the file diffs cleanly. */
export function formatSecretsText(secrets: ReadonlyMap<string, string>): string {
  const sorted = Object.fromEntries([...secrets.entries()].sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}
