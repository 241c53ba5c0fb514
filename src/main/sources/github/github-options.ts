import { z } from 'zod';

/**
 * Options of a `kind: "github"` source (`sources[i].options`). Strict, so that a typo names the
 * bad field. The token is not here: it comes from the source's `token` reference.
 */
export const githubOptionsSchema = z
  .object({
    /** The repositories whose workflows to watch, as `owner/name`. */
    repositories: z
      .array(
        z
          .string()
          .regex(
            /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/,
            'a repository as owner/name, e.g. "octo-org/octo-repo"',
          ),
      )
      .min(1, 'name at least one repository, e.g. ["octo-org/octo-repo"]'),
    /** Workflow file names to watch (`ci.yml`); every active workflow when left out. */
    workflows: z
      .array(z.string().regex(/^[^/\\]+\.ya?ml$/, 'a workflow file name, e.g. "ci.yml"'))
      .min(1)
      .optional(),
    /** Only runs of this branch. */
    branch: z.string().min(1).optional(),
    /** The newest runs read per repository (or per named workflow) in each poll. */
    runsPerPoll: z.number().int().min(1).max(100).default(20),
  })
  .strict();

/** Validated GitHub options, defaults filled in. */
export type GithubOptions = z.infer<typeof githubOptionsSchema>;
