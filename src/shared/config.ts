import { z } from 'zod';
import { sourceKindSchema } from './model';

/**
 * The config file (JSON). Sources carry credentials only by reference: the name of an
 * environment variable or the id of a stored secret, never the token itself. Kind-specific
 * settings live under `options` and are validated by that kind's adapter, so its errors can name
 * the exact field (`sources[1].options.repositories`).
 */

export const credentialRefSchema = z.union([
  z.object({ env: z.string().min(1) }).strict(),
  z.object({ secret: z.string().min(1) }).strict(),
]);
export type CredentialRef = z.infer<typeof credentialRefSchema>;

export const sourceConfigSchema = z
  .object({
    /** Stable id; builds stay attached to it across restarts and renames. */
    id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{0,62}$/,
        'lower-case letters, digits and dashes, e.g. "team-gitlab"',
      ),
    kind: sourceKindSchema,
    name: z.string().min(1).max(200),
    baseUrl: z.url().optional(),
    token: credentialRefSchema.optional(),
    enabled: z.boolean().default(true),
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type SourceConfig = z.infer<typeof sourceConfigSchema>;

export const pollingConfigSchema = z
  .object({
    /** While a build runs or a gate waits. */
    activeIntervalSeconds: z.number().min(1).max(3600).default(5),
    /** While nothing moves. */
    idleIntervalSeconds: z.number().min(5).max(86_400).default(60),
    /** Upper bound of the exponential backoff after errors. */
    maxBackoffSeconds: z.number().min(5).max(86_400).default(900),
    /** Polls in flight at once across all sources. */
    maxConcurrentPolls: z.number().int().min(1).max(32).default(4),
  })
  .strict();
export type PollingConfig = z.infer<typeof pollingConfigSchema>;

export const retentionConfigSchema = z
  .object({
    /** Builds kept per pipeline; older ones are pruned. */
    buildsPerPipeline: z.number().int().min(10).max(1_000_000).default(5000),
  })
  .strict();

export const configSchema = z
  .object({
    sources: z.array(sourceConfigSchema),
    polling: pollingConfigSchema.default(pollingConfigSchema.parse({})),
    retention: retentionConfigSchema.default(retentionConfigSchema.parse({})),
  })
  .strict()
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.sources.forEach((source, index) => {
      if (seen.has(source.id)) {
        context.addIssue({
          code: 'custom',
          path: ['sources', index, 'id'],
          message: `duplicate source id "${source.id}"`,
        });
      }
      seen.add(source.id);
    });
  });
export type Config = z.infer<typeof configSchema>;

/** Formats a zod issue path the way a person reads it in the file: `sources[1].options.pace`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
