import { z } from 'zod';

/**
 * A job's full name as Jenkins spells it: folders and multibranch projects separated by `/`, a
 * branch whose name holds a slash written the way Jenkins stores it (`shop/feature%2Flogin`).
 */
const jobFullName = z
  .string()
  .min(1)
  .refine((name) => !/^job\//.test(name), {
    message:
      'write the job\'s full name ("folder/sub/job"), not its URL path ("job/folder/job/sub/...")',
  })
  .refine((name) => name.split('/').every((segment) => segment.trim() !== ''), {
    message: 'a job name has an empty part (a leading, trailing or doubled "/")',
  });

/**
 * Options of a `kind: "jenkins"` source (`sources[i].options`). Strict, so a typo names the bad
 * field. The credential is the source's `token` reference: an API token (or, with
 * `auth: "password"`, the user's password).
 */
export const jenkinsOptionsSchema = z
  .object({
    /** Pipeline jobs to watch, by full name (`team/api`, `shop/main`, `shop/feature%2Flogin`). */
    jobs: z
      .array(jobFullName)
      .min(1)
      .refine((jobs) => new Set(jobs).size === jobs.length, { message: 'a job is listed twice' }),
    /** The Jenkins user the token belongs to; Basic auth needs it. Without a token: anonymous. */
    user: z.string().min(1).optional(),
    /**
     * `token`: an API token, which Jenkins exempts from CSRF crumbs. `password`: a password, so
     * every POST carries a crumb and the session cookie it is bound to.
     */
    auth: z.enum(['token', 'password']).default('token'),
    /**
     * Builds of each job to keep in view: wfapi lists only about ten, so older ones are paged in
     * from the core API until this many are stored (0 = only what wfapi lists).
     */
    historyBuilds: z.number().int().min(0).max(1000).default(50),
    /** Older builds fetched per poll while catching up, so a first poll stays short. */
    historyBuildsPerPoll: z.number().int().min(1).max(100).default(5),
  })
  .strict();

/** Validated Jenkins options, defaults filled in. */
export type JenkinsOptions = z.infer<typeof jenkinsOptionsSchema>;
