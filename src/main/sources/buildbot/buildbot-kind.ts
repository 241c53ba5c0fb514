import type { SourceKindSpec } from '../registry';
import { buildbotOptionsSchema, type BuildbotOptions } from './buildbot-options';
import { createBuildbotSource } from './buildbot-source';

/** The Buildbot kind for the registry: a Buildbot 3.x master at `baseUrl` (its web root). */
export const buildbotSourceKind: SourceKindSpec = {
  optionsSchema: buildbotOptionsSchema,
  create: (context) =>
    createBuildbotSource({
      options: context.config.options as BuildbotOptions,
      baseUrl: context.config.baseUrl,
      token: () => context.token(),
      stateDirectory: context.stateDirectory,
      ...(context.now ? { now: context.now } : {}),
      ...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {}),
    }),
};
