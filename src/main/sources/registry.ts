import type { z } from 'zod';
import type { SourceConfig } from '../../shared/config';
import type { SourceKind } from '../../shared/model';
import { buildbotSourceKind } from './buildbot/buildbot-kind';
import { buildkiteSourceKind } from './buildkite/buildkite-kind';
import { cctraySourceKind } from './cctray/cctray-kind';
import { circleciSourceKind } from './circleci/circleci-kind';
import { demoSourceKind } from './demo/demo-kind';
import { githubSourceKind } from './github/github-kind';
import { gitlabSourceKind } from './gitlab/gitlab-kind';
import { jenkinsSourceKind } from './jenkins/jenkins-kind';
import { SourceError, type CiSource } from './source';

/** What a source adapter needs from the core when it is created. */
export interface SourceContext {
  /** The source's config entry; `options` already validated by the kind's `optionsSchema`. */
  config: SourceConfig;
  /** A folder the adapter may keep state in (caches, the demo's simulated server). */
  stateDirectory: string;
  /**
   * The source's token, resolved from its reference at each call (an environment variable may be
   * set later; a stored secret may be replaced): null when the config names none.
   * Throws SourceError('auth') naming the missing variable or secret.
   */
  token(): string | null;
  now?: () => number;
  /** Longest wait for one request to the CI server; the HTTP layer's default when left out. */
  timeoutMs?: number;
}

/** One CI kind: how to validate its options and how to create its adapter. */
export interface SourceKindSpec {
  /** Validates `sources[i].options`; defaults are filled in by it. */
  optionsSchema: z.ZodType;
  create(context: SourceContext): CiSource;
}

/**
 * Every kind this build can poll. A kind that is not here is refused at config load with a
 * sentence that says so, rather than accepted and silently never polled.
 */
const kinds: Partial<Record<SourceKind, SourceKindSpec>> = {
  demo: demoSourceKind,
  github: githubSourceKind,
  gitlab: gitlabSourceKind,
  jenkins: jenkinsSourceKind,
  buildkite: buildkiteSourceKind,
  buildbot: buildbotSourceKind,
  circleci: circleciSourceKind,
  cctray: cctraySourceKind,
};

/** The options schema of a kind, or null when this build does not support the kind. */
export function optionsSchemaFor(kind: SourceKind): z.ZodType | null {
  return kinds[kind]?.optionsSchema ?? null;
}

/** Looks a secret up by id; the desktop app's encrypted store or serve mode's secrets file. */
export type SecretLookup = (id: string) => string | null;

/** Creates the adapter for a configured source. The config must have passed `parseConfig`. */
export function createSource(
  context: Omit<SourceContext, 'token'>,
  secrets: SecretLookup = () => null,
  env: NodeJS.ProcessEnv = process.env,
): CiSource {
  const spec = kinds[context.config.kind];
  if (!spec) throw new Error(`Source kind "${context.config.kind}" is not supported.`);
  return spec.create({ ...context, token: () => resolveToken(context.config, secrets, env) });
}

function resolveToken(
  config: SourceConfig,
  secrets: SecretLookup,
  env: NodeJS.ProcessEnv,
): string | null {
  const reference = config.token;
  if (!reference) return null;
  if ('env' in reference) {
    const value = env[reference.env];
    if (!value) {
      throw new SourceError(
        'auth',
        `The environment variable ${reference.env} (the token of ${config.name}) is not set.`,
      );
    }
    return value;
  }
  const value = secrets(reference.secret);
  if (!value) {
    throw new SourceError(
      'auth',
      `No stored secret "${reference.secret}" (the token of ${config.name}); add it in Settings.`,
    );
  }
  return value;
}
