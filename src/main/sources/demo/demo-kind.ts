import type { SourceKindSpec } from '../registry';
import { createDemoSource } from './demo-source';
import { demoOptionsSchema, type DemoOptions } from './demo-options';

/** The demo kind for the registry: the simulated Catalog server, no token. */
export const demoSourceKind: SourceKindSpec = {
  optionsSchema: demoOptionsSchema,
  create: (context) =>
    createDemoSource({
      options: context.config.options as DemoOptions,
      stateDirectory: context.stateDirectory,
      ...(context.now ? { now: context.now } : {}),
    }),
};
