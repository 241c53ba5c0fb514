import { z } from 'zod';

const builderName = z.string().min(1).max(100);

/** A force-only builder that guards the chain after a stage: a manual gate. */
const gateSchema = z
  .object({
    /** The force-only builder (e.g. `production`). */
    builder: builderName,
    /** The stage (builder) whose success opens the gate (e.g. `slow-tests`). */
    after: builderName,
    /** The ForceScheduler to use; by default the first one that lists `builder`. */
    scheduler: z.string().min(1).max(100).optional(),
  })
  .strict();

/** One pipeline: the builder every check-in starts, and the gates that follow its stages. */
const pipelineSchema = z
  .object({
    /** What Pipewatch calls the pipeline; also its stable id, so rename with care. */
    name: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[^\s[\]]+$/, 'no spaces or square brackets, e.g. "catalog"'),
    /** The builder each check-in (change, push, force) starts; the chain's first stage. */
    rootBuilder: builderName,
    gates: z.array(gateSchema).default([]),
  })
  .strict()
  .superRefine((pipeline, context) => {
    const seen = new Set<string>();
    pipeline.gates.forEach((gate, index) => {
      if (gate.builder === pipeline.rootBuilder || gate.builder === gate.after) {
        context.addIssue({
          code: 'custom',
          path: ['gates', index, 'builder'],
          message: 'a gate builder must differ from the root builder and from its "after" stage',
        });
      }
      if (seen.has(gate.builder)) {
        context.addIssue({
          code: 'custom',
          path: ['gates', index, 'builder'],
          message: `builder "${gate.builder}" is already a gate of this pipeline`,
        });
      }
      seen.add(gate.builder);
    });
  });

/**
 * Options of a `kind: "buildbot"` source (`sources[i].options`). Strict, so a typo names the bad
 * field. `baseUrl` is the Buildbot web root (`https://buildbot.example.org/`); the source's `token`
 * is the password of `user`, or without `user` an OAuth2 access token.
 */
export const buildbotOptionsSchema = z
  .object({
    /** A Buildbot web user (www.auth `UserPasswordAuth`/`HTPasswdAuth`); absent = anonymous. */
    user: z.string().min(1).max(200).optional(),
    pipelines: z
      .array(pipelineSchema)
      .min(1)
      .superRefine((pipelines, context) => {
        const seen = new Set<string>();
        pipelines.forEach((pipeline, index) => {
          if (seen.has(pipeline.name)) {
            context.addIssue({
              code: 'custom',
              path: [index, 'name'],
              message: `duplicate pipeline name "${pipeline.name}"`,
            });
          }
          seen.add(pipeline.name);
        });
      }),
    /** The newest check-ins of each pipeline in view; older ones stay stored as they were. */
    checkInsPerPoll: z.number().int().min(1).max(100).default(20),
  })
  .strict();

/** Validated Buildbot options, defaults filled in. */
export type BuildbotOptions = z.infer<typeof buildbotOptionsSchema>;
export type BuildbotPipelineOptions = BuildbotOptions['pipelines'][number];
export type BuildbotGateOptions = BuildbotPipelineOptions['gates'][number];
