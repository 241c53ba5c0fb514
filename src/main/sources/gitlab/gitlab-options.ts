import { z } from 'zod';

/** A project by its numeric id (`278964`) or its full path (`group/sub/project`). */
const projectReferenceSchema = z.union([
  z.number().int().positive(),
  z
    .string()
    .trim()
    .regex(
      /^(\d+|[^/\s]+(\/[^/\s]+)+)$/,
      'a numeric project id or a full path such as "group/sub/project"',
    ),
]);

/** One watched project, optionally narrowed to one ref (a branch or tag). */
const watchedProjectSchema = z.union([
  projectReferenceSchema,
  z
    .object({
      project: projectReferenceSchema,
      /** Only pipelines of this ref; shown as a pipeline of its own ("catalog (main)"). */
      ref: z.string().min(1).optional(),
    })
    .strict(),
]);

/**
 * Options of a `kind: "gitlab"` source (`sources[i].options`). Strict, so a typo names the bad
 * field (`sources[1].options.project`).
 */
export const gitlabOptionsSchema = z
  .object({
    /** The projects to watch; each one (or each project and ref) is one Pipewatch pipeline. */
    projects: z.array(watchedProjectSchema).min(1, 'name at least one project'),
    /** The default ref filter for projects listed without one; absent = every ref. */
    ref: z.string().min(1).optional(),
    /**
     * `private` sends the token as `PRIVATE-TOKEN` (personal, project and group access tokens);
     * `oauth` as `Authorization: Bearer` (OAuth2 tokens).
     */
    tokenType: z.enum(['private', 'oauth']).default('private'),
    /** Most pipelines read per project and poll (the newest on the first poll). */
    pipelinesPerPoll: z.number().int().min(1).max(100).default(20),
    /**
     * Approving a deployment that needs approvals also plays its job once the last required
     * approval is in (GitLab itself wants the job played by hand after approval).
     */
    playAfterApproval: z.boolean().default(true),
    /**
     * A manual job still waiting in an older pipeline of the same ref is shown as expired once a
     * newer pipeline has the same manual job, so the approvals inbox holds the newest candidate.
     */
    supersedeWaitingGates: z.boolean().default(true),
  })
  .strict();

/** Validated GitLab options, defaults filled in. */
export type GitlabOptions = z.infer<typeof gitlabOptionsSchema>;

/** One entry of `projects`, normalized. */
export interface WatchedProject {
  /** A numeric id as a string, or the full path. */
  project: string;
  ref: string | null;
}

/** The `projects` entries as `{ project, ref }`, the default ref filled in. */
export function watchedProjects(options: GitlabOptions): WatchedProject[] {
  return options.projects.map((entry) => {
    if (typeof entry === 'object') {
      return { project: String(entry.project), ref: entry.ref ?? options.ref ?? null };
    }
    return { project: String(entry), ref: options.ref ?? null };
  });
}
