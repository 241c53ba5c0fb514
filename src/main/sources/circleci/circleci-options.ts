import { z } from 'zod';

/**
 * Options of a `kind: "circleci"` source (`sources[i].options`). Strict, so a typo names the bad
 * field. The token is a CircleCI personal API token (project tokens do not work with API v2).
 */
export const circleciOptionsSchema = z
  .object({
    /**
     * Project slugs: `gh/org/repo`, `bb/org/repo`, or `circleci/<org-id>/<project-id>` for
     * GitHub App and GitLab projects.
     */
    projects: z
      .array(
        z
          .string()
          .regex(
            /^[A-Za-z0-9_-]+\/[^/\s]+\/[^/\s]+$/,
            'a project slug such as "gh/my-org/my-repo"',
          ),
      )
      .min(1)
      .max(50),
    /** Only pipelines of this branch; all branches when absent. */
    branch: z.string().min(1).optional(),
    /** The newest pipelines looked at per project and poll (CircleCI pages hold 20). */
    pipelinesPerPoll: z.number().int().min(1).max(20).default(10),
    /**
     * A finished pipeline is looked at again this often, to notice a re-run started from
     * CircleCI's UI (a re-run is a new workflow in the same pipeline).
     */
    recheckFinishedMinutes: z.number().int().min(1).max(1440).default(10),
  })
  .strict();

/** Validated CircleCI options, defaults filled in. */
export type CircleciOptions = z.infer<typeof circleciOptionsSchema>;
