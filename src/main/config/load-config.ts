import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { configSchema, formatIssuePath, type Config } from '../../shared/config';
import { optionsSchemaFor } from '../sources/registry';

/** A config file that cannot be used; the message names the file, the field and what was expected. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads, parses and validates a config file; throws ConfigError for anything wrong with it. */
export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'the file does not exist'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a folder, not a file'
            : (error as Error).message;
    throw new ConfigError(`Config file ${path} cannot be read: ${reason}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(`Config file ${path} is not valid JSON: ${(error as Error).message}.`);
  }
  return parseConfig(json, path);
}

/** Validates a parsed config, including each source's kind-specific options. */
export function parseConfig(json: unknown, path: string): Config {
  const result = configSchema.safeParse(json);
  if (!result.success) throw issueError(path, result.error);
  const config = result.data;
  config.sources.forEach((source, index) => {
    const schema = optionsSchemaFor(source.kind);
    if (schema === null) {
      throw new ConfigError(
        `Config file ${path}: sources[${index}].kind: "${source.kind}" is not supported by this version of Pipewatch yet.`,
      );
    }
    const options = schema.safeParse(source.options);
    if (!options.success) throw issueError(path, options.error, ['sources', index, 'options']);
    source.options = options.data as Record<string, unknown>;
  });
  return config;
}

function issueError(path: string, error: z.ZodError, prefix: PropertyKey[] = []): ConfigError {
  const issue = error.issues[0];
  if (!issue) return new ConfigError(`Config file ${path} is invalid.`);
  const field = formatIssuePath([...prefix, ...issue.path]) || '(top level)';
  return new ConfigError(`Config file ${path}: ${field}: ${issue.message}.`);
}

/** The config of a first run: the Catalog demo, so there is something alive to look at. */
export function defaultConfig(): Config {
  return parseConfig(
    { sources: [{ id: 'catalog-demo', kind: 'demo', name: 'Catalog (demo)' }] },
    '(built-in default)',
  );
}
