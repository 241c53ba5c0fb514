import type { SourceKindSpec } from '../registry';
import { gitlabOptionsSchema, type GitlabOptions } from './gitlab-options';
import { createGitlabSource } from './gitlab-source';

/** The GitLab kind for the registry: gitlab.com or a self-managed instance (`baseUrl`). */
export const gitlabSourceKind: SourceKindSpec = {
  optionsSchema: gitlabOptionsSchema,
  create: (context) =>
    createGitlabSource({
      options: context.config.options as GitlabOptions,
      baseUrl: context.config.baseUrl,
      token: () => context.token(),
      ...(context.now ? { now: context.now } : {}),
      ...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {}),
    }),
};
