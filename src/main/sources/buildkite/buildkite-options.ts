import { z } from 'zod';

const slug = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'a slug as in the Buildkite URL, e.g. "my-pipeline"');

/**
 * Options of a `kind: "buildkite"` source (`sources[i].options`). Strict, so a typo names the bad
 * field. The token (`token: { env: … }`) is an API access token with `read_builds` (and
 * `write_builds` to unblock, retry, rebuild and cancel).
 */
export const buildkiteOptionsSchema = z
  .object({
    /** The organization slug: `https://buildkite.com/<organization>`. */
    organization: slug,
    /** Pipeline slugs to watch: `https://buildkite.com/<organization>/<pipeline>`. */
    pipelines: z.array(slug).min(1).max(50),
    /** Only builds of this branch; all branches when absent. */
    branch: z.string().min(1).optional(),
    /** Builds read per pipeline and request (Buildkite allows up to 100). */
    buildsPerPage: z.number().int().min(1).max(100).default(20),
    /**
     * On a first poll, follow older pages while every build on a page is new to Pipewatch, up to
     * this many pages per pipeline; later polls read one page.
     */
    backfillPages: z.number().int().min(1).max(20).default(3),
    /**
     * Buildkite's REST limit is shared by everyone in the organization (200 requests a minute by
     * default). Pipewatch uses at most this share of it, so a desktop is never the client that
     * exhausts a team's budget.
     */
    shareOfOrgBudget: z.number().gt(0).max(1).default(0.1),
    /** The organization's limit, if Buildkite raised it for your plan. */
    orgRequestsPerMinute: z.number().int().min(1).max(100_000).default(200),
  })
  .strict();

/** Validated Buildkite options, defaults filled in. */
export type BuildkiteOptions = z.infer<typeof buildkiteOptionsSchema>;
