import { z } from 'zod';
import { SourceError } from '../source';

/**
 * What Jenkins sends: the pipeline stage view REST API (`wfapi`, plugin
 * pipeline-stage-view) and the core remote API (`api/json?tree=...`). Lenient on purpose —
 * fields are optional or nullable and unknown ones are ignored, because the plugin has added
 * fields over the years (`queueDurationMillis`, `parameterDescription`, ...).
 */

const link = z.object({ href: z.string() }).nullish();
const millis = z.number().nullish();

/** A stage or step (flow node) in wfapi. `status` stays a string: see `map-status.ts`. */
export const wfapiNodeSchema = z.object({
  id: z.string(),
  name: z.string().nullish(),
  status: z.string().nullish(),
  startTimeMillis: millis,
  durationMillis: millis,
  pauseDurationMillis: millis,
  /** Newer plugins: the step's main argument, e.g. the `sh` script. */
  parameterDescription: z.string().nullish(),
  error: z.object({ message: z.string().nullish(), type: z.string().nullish() }).nullish(),
  _links: z.object({ self: link, log: link }).nullish(),
});
export type WfapiNode = z.infer<typeof wfapiNodeSchema>;

/** `GET job/{name}/wfapi/runs` items and `GET job/{name}/{n}/wfapi/describe`. */
export const wfapiRunSchema = z.object({
  id: z.string().nullish(),
  name: z.string().nullish(),
  status: z.string().nullish(),
  startTimeMillis: millis,
  endTimeMillis: millis,
  durationMillis: millis,
  stages: z.array(wfapiNodeSchema).nullish(),
  _links: z.object({ self: link, pendingInputActions: link }).nullish(),
});
export type WfapiRun = z.infer<typeof wfapiRunSchema>;
export const wfapiRunsSchema = z.array(wfapiRunSchema);

/** `GET .../execution/node/{id}/wfapi/describe`: a stage with its steps. */
export const wfapiStageDetailSchema = wfapiNodeSchema.extend({
  stageFlowNodes: z.array(wfapiNodeSchema).nullish(),
});
export type WfapiStageDetail = z.infer<typeof wfapiStageDetailSchema>;

/** `GET .../execution/node/{id}/wfapi/log`: the last 10 KB of a step's log, as HTML. */
export const wfapiNodeLogSchema = z.object({
  nodeId: z.string().nullish(),
  nodeStatus: z.string().nullish(),
  length: z.number().nullish(),
  hasMore: z.boolean().nullish(),
  text: z.string().nullish(),
  consoleUrl: z.string().nullish(),
});
export type WfapiNodeLog = z.infer<typeof wfapiNodeLogSchema>;

/** One input parameter definition (`InputParameterDefExt`): `type` is the Java class name. */
export const inputParameterSchema = z.object({
  type: z.string().nullish(),
  name: z.string(),
  description: z.string().nullish(),
  definition: z
    .object({
      defaultVal: z.union([z.string(), z.boolean(), z.number()]).nullish(),
      choices: z.array(z.string()).nullish(),
    })
    .nullish(),
});
export type InputParameter = z.infer<typeof inputParameterSchema>;

/** `GET job/{name}/{n}/wfapi/pendingInputActions` items. */
export const pendingInputSchema = z.object({
  id: z.string().min(1),
  message: z.string().nullish(),
  /** The OK button's caption (`ok:` of the input step); "Proceed" by default. */
  proceedText: z.string().nullish(),
  inputs: z.array(inputParameterSchema).nullish(),
  proceedUrl: z.string().nullish(),
  abortUrl: z.string().nullish(),
  /**
   * Who may decide, when a server says (comma-separated ids or a list). The stage view plugin
   * does not send it; some front ends and plugin forks do.
   */
  submitter: z.union([z.string(), z.array(z.string())]).nullish(),
});
export type PendingInput = z.infer<typeof pendingInputSchema>;
export const pendingInputsSchema = z.array(pendingInputSchema);

const cause = z.object({
  shortDescription: z.string().nullish(),
  userId: z.string().nullish(),
  userName: z.string().nullish(),
});

/** One build in `GET job/{name}/api/json?tree=builds[...]{M,N}` (see `BUILD_TREE`). */
export const coreBuildSchema = z.object({
  number: z.number().int(),
  result: z.string().nullish(),
  building: z.boolean().nullish(),
  timestamp: z.number().nullish(),
  duration: z.number().nullish(),
  actions: z
    .array(
      z
        .object({
          causes: z.array(cause).nullish(),
          lastBuiltRevision: z
            .object({
              SHA1: z.string().nullish(),
              branch: z.array(z.object({ name: z.string().nullish() })).nullish(),
            })
            .nullish(),
        })
        .nullable(),
    )
    .nullish(),
  changeSets: z
    .array(
      z.object({
        items: z
          .array(
            z.object({
              commitId: z.string().nullish(),
              msg: z.string().nullish(),
              author: z.object({ fullName: z.string().nullish() }).nullish(),
            }),
          )
          .nullish(),
      }),
    )
    .nullish(),
});
export type CoreBuild = z.infer<typeof coreBuildSchema>;
export const coreBuildsPageSchema = z.object({ builds: z.array(coreBuildSchema).nullish() });

/** The `tree=` of a builds page: everything a build row shows, nothing else. */
export const BUILD_TREE =
  'number,result,building,timestamp,duration,' +
  'actions[causes[shortDescription,userId,userName],lastBuiltRevision[SHA1,branch[name]]],' +
  'changeSets[items[commitId,msg,author[fullName]]]';

/** `GET job/{name}/api/json?tree=property[parameterDefinitions[name]]`. */
export const jobParametersSchema = z.object({
  property: z
    .array(
      z
        .object({ parameterDefinitions: z.array(z.object({ name: z.string() })).nullish() })
        .nullable(),
    )
    .nullish(),
});

/** `GET me/api/json?tree=id,fullName`. */
export const identitySchema = z.object({
  id: z.string().nullish(),
  fullName: z.string().nullish(),
});

/** `GET crumbIssuer/api/json`. */
export const crumbSchema = z.object({
  crumb: z.string().min(1),
  crumbRequestField: z.string().min(1),
});

/**
 * Validates a Jenkins answer; one that cannot be understood becomes a `bad-response` naming the
 * endpoint and the field, never a crash further down.
 */
export function parseWire<T>(schema: z.ZodType<T>, body: unknown, endpoint: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'the answer';
  throw new SourceError(
    'bad-response',
    `Jenkins sent an answer Pipewatch cannot read for ${endpoint}: ${field}: ${issue?.message ?? 'invalid'}.`,
  );
}
