import { z } from 'zod';

/**
 * Options of a `kind: "cctray"` source (`sources[i].options`). The source's `baseUrl` is the feed
 * URL itself. Strict, so a typo names the bad field.
 */
export const cctrayOptionsSchema = z
  .object({
    /** Send the token with HTTP Basic auth as this user's password (Jenkins, TeamCity, GoCD). */
    user: z.string().min(1).optional(),
    /**
     * Send the token as this query parameter instead (Buildkite: `access_token`); the value never
     * appears in messages.
     */
    tokenParameter: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a query parameter name such as "access_token"')
      .optional(),
    /** Only these projects (feed names, or GoCD pipeline names); all when absent. */
    projects: z.array(z.string().min(1)).min(1).optional(),
    /** Group GoCD's "pipeline :: stage :: job" projects into one pipeline per GoCD pipeline. */
    groupGoCdStages: z.boolean().default(true),
  })
  .strict()
  .refine((options) => !(options.user && options.tokenParameter), {
    message: 'give either "user" (Basic auth) or "tokenParameter" (query parameter), not both',
    path: ['tokenParameter'],
  });

/** Validated cctray options, defaults filled in. */
export type CctrayOptions = z.infer<typeof cctrayOptionsSchema>;
