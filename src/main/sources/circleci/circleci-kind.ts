import type { SourceKindSpec } from '../registry';
import { circleciOptionsSchema, type CircleciOptions } from './circleci-options';
import { createCircleciSource } from './circleci-source';

/** The CircleCI kind for the registry: API v2 with a personal token in `Circle-Token`. */
export const circleciSourceKind: SourceKindSpec = {
  optionsSchema: circleciOptionsSchema,
  create: (context) =>
    createCircleciSource({
      baseUrl: context.config.baseUrl,
      options: context.config.options as CircleciOptions,
      token: () => context.token(),
      ...(context.now ? { now: context.now } : {}),
      ...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {}),
    }),
};
