import type { SourceKindSpec } from '../registry';
import { cctrayOptionsSchema, type CctrayOptions } from './cctray-options';
import { createCctraySource } from './cctray-source';

/** The cctray kind for the registry: any cctray.xml feed, `baseUrl` being the feed's URL. */
export const cctraySourceKind: SourceKindSpec = {
  optionsSchema: cctrayOptionsSchema,
  create: (context) =>
    createCctraySource({
      feedUrl: context.config.baseUrl ?? null,
      options: context.config.options as CctrayOptions,
      stateDirectory: context.stateDirectory,
      token: () => context.token(),
      ...(context.now ? { now: context.now } : {}),
      ...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {}),
    }),
};
