import type { SourceKindSpec } from '../registry';
import { createJenkinsSource } from './jenkins-source';
import { jenkinsOptionsSchema, type JenkinsOptions } from './jenkins-options';

/** The Jenkins kind for the registry: Pipeline jobs over wfapi, Basic auth with an API token. */
export const jenkinsSourceKind: SourceKindSpec = {
  optionsSchema: jenkinsOptionsSchema,
  create: (context) =>
    createJenkinsSource({
      baseUrl: context.config.baseUrl ?? null,
      options: context.config.options as JenkinsOptions,
      token: () => context.token(),
      ...(context.now ? { now: context.now } : {}),
      ...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {}),
    }),
};
