import type { z } from 'zod';
import type { SourceConfig } from '../../shared/config';
import type { SourceKind } from '../../shared/model';
import { createDemoSource, demoOptionsSchema, type DemoOptions } from './demo/demo-source';
import type { CiSource } from './source';

/** What a source adapter needs from the core when it is created. */
export interface SourceContext {
  config: SourceConfig;
  /** A folder the adapter may keep state in (the demo's simulated server lives there). */
  stateDirectory: string;
  now?: () => number;
}

interface SourceKindSpec {
  /** Validates `sources[i].options`; defaults are filled in by it. */
  optionsSchema: z.ZodType;
  create(context: SourceContext): CiSource;
}

/**
 * Every kind this build can poll. A kind that is not here is refused at config load with a
 * sentence that says so, rather than accepted and silently never polled.
 */
const kinds: Partial<Record<SourceKind, SourceKindSpec>> = {
  demo: {
    optionsSchema: demoOptionsSchema,
    create: (context) =>
      createDemoSource({
        options: context.config.options as DemoOptions,
        stateDirectory: context.stateDirectory,
        ...(context.now ? { now: context.now } : {}),
      }),
  },
};

/** The options schema of a kind, or null when this build does not support the kind. */
export function optionsSchemaFor(kind: SourceKind): z.ZodType | null {
  return kinds[kind]?.optionsSchema ?? null;
}

/** Creates the adapter for a configured source. The config must have passed `parseConfig`. */
export function createSource(context: SourceContext): CiSource {
  const spec = kinds[context.config.kind];
  if (!spec) throw new Error(`Source kind "${context.config.kind}" is not supported.`);
  return spec.create(context);
}
