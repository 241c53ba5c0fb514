import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import {
  formatIssuePath,
  logStorageMegabytesSchema,
  sourceConfigSchema,
  type SourceConfig,
} from '../../shared/config';

/**
 * The sources added in Settings, kept in `<data dir>/sources.json` beside the database. It holds
 * the same entries as the config file's `sources` (tokens by reference only: `{secret: id}` or
 * `{env: NAME}`), so it can be copied into a config file as is.
 */

const appSourcesSchema = z.object({
  version: z.literal(1),
  sources: z.array(sourceConfigSchema),
  /** The built-in Catalog demo (shown while there is no config file) was removed. */
  hideBuiltInDemo: z.boolean().default(false),
  /** The disk budget for stored logs set in Settings; it wins over the config file's. */
  logStorageMegabytes: logStorageMegabytesSchema.optional(),
});
export type AppSources = z.infer<typeof appSourcesSchema>;

export const NO_APP_SOURCES: AppSources = { version: 1, sources: [], hideBuiltInDemo: false };

/** The file inside a data folder. */
export function appSourcesPath(dataDir: string): string {
  return join(dataDir, 'sources.json');
}

/** A sources.json that cannot be used; the message names the file and the field. */
export class AppSourcesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppSourcesError';
  }
}

/**
 * Reads the app's sources; a missing file is none. A file that is not what Pipewatch wrote stops
 * start-up with a message naming it, rather than silently dropping someone's sources.
 */
export function readAppSources(path: string): AppSources {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return NO_APP_SOURCES;
    throw new AppSourcesError(`Sources file ${path} cannot be read: ${(error as Error).message}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppSourcesError(
      `Sources file ${path} is not valid JSON; fix or remove it (the sources added in Settings live there).`,
    );
  }
  const result = appSourcesSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue ? formatIssuePath(issue.path) || '(top level)' : '(top level)';
    throw new AppSourcesError(`Sources file ${path}: ${field}: ${issue?.message ?? 'invalid'}.`);
  }
  return result.data;
}

/** Writes the app's sources atomically (a temporary file renamed over the old one). */
export function writeAppSources(path: string, sources: AppSources): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.sources-${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, `${JSON.stringify(sources, null, 2)}\n`, { flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The app's sources with one added or replaced (by id), order kept. Pure. */
export function withAppSource(sources: AppSources, config: SourceConfig): AppSources {
  const index = sources.sources.findIndex((entry) => entry.id === config.id);
  const list =
    index === -1
      ? [...sources.sources, config]
      : sources.sources.map((entry, position) => (position === index ? config : entry));
  return { ...sources, sources: list };
}

/** The app's sources without one. Pure. */
export function withoutAppSource(sources: AppSources, key: string): AppSources {
  return { ...sources, sources: sources.sources.filter((entry) => entry.id !== key) };
}
