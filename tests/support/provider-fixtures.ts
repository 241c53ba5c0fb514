import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The providers' real example payloads (copied from shared/fixtures, see its README for where
 * each came from). Tests map these, not payloads we imagine.
 */
export const PROVIDER_FIXTURES = join(__dirname, '..', 'fixtures', 'providers');

export function fixtureText(provider: string, file: string): string {
  return readFileSync(join(PROVIDER_FIXTURES, provider, file), 'utf8');
}

export function fixtureJson<T = unknown>(provider: string, file: string): T {
  return JSON.parse(fixtureText(provider, file)) as T;
}
