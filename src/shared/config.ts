import { z } from 'zod';
import { rateLimitBudgetSchema, sourceKindSchema } from './model';

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
    /** This source's own request timeout (a slow server behind a VPN), else `polling`'s. */
    requestTimeoutSeconds: z.number().min(1).max(600).optional(),
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
    /**
     * Longest wait for one request, headers and body: a server that stalls longer is
     * "unreachable" for this poll, and its slot goes to the next source.
     */
    requestTimeoutSeconds: z.number().min(1).max(600).default(30),
  })
  .strict();
export type PollingConfig = z.infer<typeof pollingConfigSchema>;

/** Stored logs may take 2 GiB (compressed text and index) unless the user says otherwise. */
export const DEFAULT_LOG_STORAGE_MEGABYTES = 2048;
export const MIN_LOG_STORAGE_MEGABYTES = 16;
/** 1 TiB. */
export const MAX_LOG_STORAGE_MEGABYTES = 1_048_576;

/** A log storage budget as Settings takes it. */
export const logStorageMegabytesSchema = z
  .number()
  .int()
  .min(MIN_LOG_STORAGE_MEGABYTES)
  .max(MAX_LOG_STORAGE_MEGABYTES);

export const retentionConfigSchema = z
  .object({
    /** Builds kept per pipeline; older ones are pruned. */
    buildsPerPipeline: z.number().int().min(10).max(1_000_000).default(5000),
    /**
     * Disk for stored logs and their search index, in megabytes (MiB); past it the logs fetched
     * longest ago are removed. Settings can change it; the value set there wins.
     */
    logStorageMegabytes: logStorageMegabytesSchema.default(DEFAULT_LOG_STORAGE_MEGABYTES),
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

/*
 * Sources in the app (Settings). The app keeps the sources added in Settings in its own file
 * next to the database; the config file's sources are shown beside them, read-only. Tokens cross
 * from the renderer to the core only (to be stored or tried), never back: what the renderer reads
 * says how a token is given, never the token.
 */

/** Where a source's settings come from. */
export const SOURCE_ORIGINS = ['config-file', 'built-in', 'app'] as const;
export const sourceOriginSchema = z.enum(SOURCE_ORIGINS);
export type SourceOrigin = z.infer<typeof sourceOriginSchema>;

/** How a source's token is given, as the app shows it: never the token itself. */
export const tokenSettingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  /** An environment variable of the Pipewatch process; `isSet` says whether it is set now. */
  z.object({ kind: z.literal('env'), variable: z.string(), isSet: z.boolean() }),
  /** A stored secret (encrypted in the desktop app, the secrets file in serve mode). */
  z.object({ kind: z.literal('secret'), id: z.string(), isStored: z.boolean() }),
]);
export type TokenSetting = z.infer<typeof tokenSettingSchema>;

/** One source as Settings shows it. */
export const sourceSettingSchema = z.object({
  /** The source's config id. */
  key: z.string(),
  /** The id in `sources/list` (`Source.id`), null while the source was never started. */
  sourceId: z.number().int().positive().nullable(),
  kind: sourceKindSchema,
  name: z.string(),
  baseUrl: z.string().nullable(),
  enabled: z.boolean(),
  options: z.record(z.string(), z.unknown()),
  origin: sourceOriginSchema,
  /** Config-file sources are edited in the file; the built-in demo can only be removed. */
  editable: z.boolean(),
  token: tokenSettingSchema,
});
export type SourceSetting = z.infer<typeof sourceSettingSchema>;

/** What to do with the token when a source is saved or tried. */
export const tokenChangeSchema = z.discriminatedUnion('kind', [
  /** Leave it as configured (a new source: no token). */
  z.object({ kind: z.literal('keep') }),
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('env'), variable: z.string().max(200) }),
  /** A token typed into Settings, to be stored in the secret store. */
  z.object({ kind: z.literal('secret'), value: z.string().min(1).max(10_000) }),
]);
export type TokenChange = z.infer<typeof tokenChangeSchema>;

/**
 * A source as the Settings form holds it, before validation: loose on purpose, so that the
 * core's validation can name every bad field instead of the transport refusing the request.
 */
export const sourceDraftSchema = z.object({
  key: z.string().max(200),
  kind: sourceKindSchema,
  name: z.string().max(1000),
  /** Empty for the kind's default server. */
  baseUrl: z.string().max(4000).default(''),
  enabled: z.boolean().default(true),
  options: z.record(z.string(), z.unknown()).default({}),
  token: tokenChangeSchema.default({ kind: 'keep' }),
});
export type SourceDraft = z.input<typeof sourceDraftSchema>;

/** One problem with a draft: `path` as a form names its field (`options.repositories[0]`). */
export const draftIssueSchema = z.object({ path: z.string(), message: z.string() });
export type DraftIssue = z.infer<typeof draftIssueSchema>;

/** One option of a kind, described for a generated form. */
export const optionFieldSchema = z.object({
  name: z.string(),
  type: z.enum(['string', 'number', 'integer', 'boolean', 'string-list', 'choice', 'json']),
  required: z.boolean(),
  /** The value used when the field is left out; null when there is none. */
  defaultValue: z.unknown().nullable(),
  minimum: z.number().nullable(),
  maximum: z.number().nullable(),
  /** The allowed values of a `choice`. */
  choices: z.array(z.string()).nullable(),
});
export type OptionField = z.infer<typeof optionFieldSchema>;

/** A kind of source as Settings offers it. */
export const sourceKindInfoSchema = z.object({
  kind: sourceKindSchema,
  label: z.string(),
  /** False for a kind this build cannot poll yet (shown, not offered). */
  supported: z.boolean(),
  token: z.enum(['required', 'optional', 'none']),
  /** What `baseUrl` means for this kind, and the server used when it is left empty. */
  baseUrlHint: z.string(),
  defaultBaseUrl: z.string().nullable(),
  /** The kind's documentation page, relative to the repository (`docs/sources/github.md`). */
  docsPath: z.string().nullable(),
  fields: z.array(optionFieldSchema),
});
export type SourceKindInfo = z.infer<typeof sourceKindInfoSchema>;

/** What "Test connection" found, or the precise error. */
export const connectionTestSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** Who the token belongs to (a login), or null when the server does not say. */
    identity: z.string().nullable(),
    pipelines: z.number().int().nonnegative(),
    rateLimit: rateLimitBudgetSchema.nullable(),
    durationMs: z.number().nonnegative(),
  }),
  z.object({
    ok: z.literal(false),
    /** `SourceError` kinds (`auth`, `unreachable`, …) or `invalid` for a draft that fails validation. */
    errorKind: z.string(),
    message: z.string(),
    issues: z.array(draftIssueSchema),
  }),
]);
export type ConnectionTest = z.infer<typeof connectionTestSchema>;

/** One pipeline a source offers to watch (GitHub: a workflow of a repository). */
export const offeredPipelineSchema = z.object({
  /** What goes into the option a pick fills (`workflows`: the file name, `ci.yml`). */
  value: z.string(),
  name: z.string(),
  /** Where it lives (`octo-org/octo-repo · .github/workflows/ci.yml`). */
  detail: z.string().nullable(),
  /** False for a disabled workflow and the like. */
  active: z.boolean(),
});
export type OfferedPipeline = z.infer<typeof offeredPipelineSchema>;

/** The pipelines a source offers, and which option a pick fills (null: the kind watches all). */
export const pipelineOfferSchema = z.object({
  option: z.string().nullable(),
  pipelines: z.array(offeredPipelineSchema),
});
export type PipelineOffer = z.infer<typeof pipelineOfferSchema>;

/** Desktop-only preferences; null where the shell cannot offer one (serve mode). */
export const appPreferencesSchema = z.object({
  /** Null where this shell cannot offer it (serve mode). */
  startAtLogin: z.boolean().nullable(),
  /** Disk for stored logs: the budget in force, where it was set, and what they take now. */
  logStorage: z.object({
    budgetMegabytes: z.number().int(),
    /** `settings` when set in Settings (which wins over the config file), else `config`. */
    setIn: z.enum(['settings', 'config']),
    /** Compressed text plus the estimated size of its search index. */
    usedBytes: z.number().nonnegative(),
  }),
});
export type AppPreferences = z.infer<typeof appPreferencesSchema>;
