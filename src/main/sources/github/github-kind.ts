import type { SourceKindSpec } from '../registry';
import { GITHUB_API_URL } from './github-client';
import { githubOptionsSchema, type GithubOptions } from './github-options';
import { createGithubSource } from './github-source';

/** The GitHub Actions kind for the registry: `kind: "github"`. */
export const githubSourceKind: SourceKindSpec = {
  optionsSchema: githubOptionsSchema,
  create: (context) =>
    createGithubSource({
      name: context.config.name,
      baseUrl: context.config.baseUrl ?? GITHUB_API_URL,
      options: context.config.options as GithubOptions,
      stateDirectory: context.stateDirectory,
      token: context.token,
      ...(context.now ? { now: context.now } : {}),
      ...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {}),
    }),
};
