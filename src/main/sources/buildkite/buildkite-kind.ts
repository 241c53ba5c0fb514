import type { SourceKindSpec } from '../registry';
import { buildkiteOptionsSchema, type BuildkiteOptions } from './buildkite-options';
import { createBuildkiteSource } from './buildkite-source';

/** The Buildkite kind for the registry: REST v2 with an API access token. */
export const buildkiteSourceKind: SourceKindSpec = {
  optionsSchema: buildkiteOptionsSchema,
  create: (context) =>
    createBuildkiteSource({
      baseUrl: context.config.baseUrl,
      options: context.config.options as BuildkiteOptions,
      token: () => context.token(),
      ...(context.now ? { now: context.now } : {}),
      ...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {}),
    }),
};
