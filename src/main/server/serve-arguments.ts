import { parseArgs } from 'node:util';
import { isLoopbackHost } from './auth';

/**
 * The command line of `pipewatch serve`, parsed and checked without touching the disk or the
 * network, so every refusal is a unit-testable value rather than a side effect.
 */

/** What `pipewatch serve` was asked to do. */
export interface ServeOptions {
  host: string;
  /** 0 picks any free port. */
  port: number;
  /** Undefined: `PIPEWATCH_DATA_DIR` or the platform's usual place (`resolveDataDir`). */
  dataDir: string | undefined;
  /** Undefined: `<dataDir>/config.json` if present, else the built-in demo. */
  configPath: string | undefined;
  /** From `--token` or `PIPEWATCH_TOKEN`. */
  token: string | null;
  /** From `--token-file`; read (and its permissions checked) when serving starts. */
  tokenFile: string | null;
  /**
   * From `--secrets-file` or `PIPEWATCH_SECRETS_FILE`: the owner-only JSON file of tokens that
   * sources reference as `{secret: id}`. Undefined: `<dataDir>/secrets.json`.
   */
  secretsFile?: string;
}

export type ParsedServeArguments =
  | { command: 'serve'; options: ServeOptions }
  | { command: 'help' }
  | { command: 'version' }
  | { error: string };

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8484;

/** The text of `pipewatch --help`. */
export const SERVE_USAGE = `Usage: pipewatch serve [options]

Serves the Pipewatch UI and API over HTTP (the same core as the desktop app).

Options:
  --config FILE      config file (default: <data dir>/config.json, else the built-in demo)
  --data-dir DIR     where the database lives (default: $PIPEWATCH_DATA_DIR or the usual place)
  --port N           port to listen on (default: ${DEFAULT_PORT}; 0 picks a free one)
  --host H           address to bind (default: ${DEFAULT_HOST}); anything but loopback needs a token
  --token T          access token every request must present (visible in ps: prefer the next two)
  --token-file F     read the access token from F (readable by its owner only)
  --secrets-file F   the sources' tokens, a JSON object readable by its owner only
                     (default: <data dir>/secrets.json)
  -h, --help         show this help
  -v, --version      show the version

Environment: PIPEWATCH_TOKEN (access token), PIPEWATCH_DATA_DIR (data folder),
PIPEWATCH_SECRETS_FILE (the sources' tokens).
`;

const optionSpec = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  'secrets-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown option ${option} (see pipewatch serve --help).`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `Option ${option} needs a value (see pipewatch serve --help).`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument ${message.match(/'([^']*)'/)?.[1] ?? ''} (see pipewatch serve --help).`;
    default:
      return message;
  }
}

/** Printable ASCII without spaces: a token must survive a header, a URL and a shell unchanged. */
const TOKEN_PATTERN = /^[\x21-\x7e]+$/;

/** Parses `pipewatch serve …` (argv without node and the script) against the environment. */
export function parseServeArguments(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ParsedServeArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: optionSpec,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return { error: describeParseError(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };

  const [command, ...extra] = positionals;
  if (command === undefined) return { error: 'Missing command: run pipewatch serve (see --help).' };
  if (command !== 'serve') return { error: `Unknown command "${command}": the command is serve.` };
  if (extra.length > 0) return { error: `Unexpected argument "${extra[0]}" after serve.` };

  const portText = values.port ?? String(DEFAULT_PORT);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) {
    return { error: `--port must be a whole number from 0 to 65535, not "${portText}".` };
  }

  const host = values.host ?? DEFAULT_HOST;
  if (host.trim() === '' || /\s/.test(host)) {
    return { error: `--host must be an address or host name, not "${host}".` };
  }

  if (values.token !== undefined && values['token-file'] !== undefined) {
    return { error: 'Give the access token once: --token or --token-file, not both.' };
  }
  const envToken = env['PIPEWATCH_TOKEN']?.trim() || undefined;
  const token = values.token ?? (values['token-file'] === undefined ? envToken : undefined) ?? null;
  if (token !== null && !TOKEN_PATTERN.test(token)) {
    return { error: 'The access token must be printable ASCII without spaces.' };
  }
  const tokenFile = values['token-file'] ?? null;
  if (tokenFile === '') return { error: '--token-file needs a file name.' };
  const secretsFile = values['secrets-file'] ?? (env['PIPEWATCH_SECRETS_FILE'] || undefined);
  if (secretsFile === '') return { error: '--secrets-file needs a file name.' };

  if (!isLoopbackHost(host) && token === null && tokenFile === null) {
    return {
      error: `Binding ${host} would let other machines in without a password — give an access token with --token-file F or PIPEWATCH_TOKEN, or bind 127.0.0.1.`,
    };
  }

  return {
    command: 'serve',
    options: {
      host,
      port,
      dataDir: values['data-dir'],
      configPath: values.config,
      token,
      tokenFile,
      ...(secretsFile === undefined ? {} : { secretsFile }),
    },
  };
}
