import type { Decision } from '../../../shared/model';
import {
  finishedBuildKey,
  SourceError,
  type ActionAnswer,
  type BuildRef,
  type BuildSnapshot,
  type CiSource,
  type FetchedLog,
  type GateDecisionAnswer,
  type GateReading,
  type GateRef,
  type PipelineSnapshot,
  type PollContext,
  type PollSnapshot,
  type StageRef,
} from '../source';
import { CIRCLECI_API_URL, CircleciClient } from './circleci-client';
import { circleciOptionsSchema, type CircleciOptions } from './circleci-options';
import type { CircleciPipeline, CircleciWorkflow } from './circleci-wire';
import {
  pipelineExternalId,
  projectName,
  projectWebUrl,
  toBuildSnapshot,
  type WorkflowRun,
} from './map-circleci';
import {
  isSettledWorkflow,
  mapApprovalStatus,
  readJobStatus,
  readWorkflowStatus,
} from './map-circleci-status';

export interface CircleciSourceSettings {
  baseUrl?: string | undefined;
  options: CircleciOptions;
  token: () => string | null;
  now?: () => number;
  fetch?: typeof fetch;
  /** Longest wait for one request (the config's `requestTimeoutSeconds`). */
  timeoutMs?: number;
}

/** What the last look at a CircleCI pipeline found, to skip it while nothing can change. */
interface PipelineMemo {
  updatedAt: string | null;
  workflows: CircleciWorkflow[];
  allSettled: boolean;
  checkedAt: number;
}

const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Re-runs of a workflow in one pipeline: attempt 1, 2, … by creation time. */
function attempts(workflows: readonly CircleciWorkflow[]): Map<string, number> {
  const result = new Map<string, number>();
  const byName = new Map<string, CircleciWorkflow[]>();
  for (const workflow of workflows) {
    byName.set(workflow.name, [...(byName.get(workflow.name) ?? []), workflow]);
  }
  for (const runs of byName.values()) {
    [...runs]
      .sort((left, right) => left.created_at.localeCompare(right.created_at))
      .forEach((workflow, index) => result.set(workflow.id, index + 1));
  }
  return result;
}

/**
 * CircleCI through the CiSource interface: per project one pipelines request per poll, then the
 * workflows and jobs of what is still moving; approval jobs as gates; re-run and cancel.
 * CircleCI's API v2 has no job output, so there are no logs.
 */
export function createCircleciSource(settings: CircleciSourceSettings): CiSource {
  const options = circleciOptionsSchema.parse(settings.options);
  const now = settings.now ?? Date.now;
  const baseUrl = settings.baseUrl ?? CIRCLECI_API_URL;
  const webUrls = baseUrl === CIRCLECI_API_URL;
  const client = new CircleciClient({
    baseUrl,
    options,
    token: settings.token,
    now,
    ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  });
  const memos = new Map<string, PipelineMemo>();
  const userNames = new Map<string, string | null>();
  let actor: string | null = null;

  /** A user id as a login, asked once per id; the id itself when CircleCI will not say. */
  async function userName(id: string | null): Promise<string | null> {
    if (id === null || !USER_ID.test(id)) return id;
    if (!userNames.has(id)) {
      try {
        userNames.set(id, await client.userName(id));
      } catch (error) {
        if (!(error instanceof SourceError)) throw error;
        userNames.set(id, null);
      }
    }
    return userNames.get(id) ?? id;
  }

  async function whoAmI(): Promise<string> {
    if (actor === null) {
      try {
        actor = await client.me();
      } catch (error) {
        if (!(error instanceof SourceError)) throw error;
      }
    }
    return actor ?? 'the owner of the CircleCI token';
  }

  async function workflowsOf(pipeline: CircleciPipeline, signal: AbortSignal) {
    const at = now();
    const memo = memos.get(pipeline.id);
    const updatedAt = pipeline.updated_at ?? null;
    const fresh =
      memo !== undefined &&
      memo.allSettled &&
      memo.updatedAt === updatedAt &&
      at - memo.checkedAt < options.recheckFinishedMinutes * 60_000;
    if (fresh) return memo.workflows;
    const workflows = await client.listWorkflows(pipeline.id, signal);
    memos.set(pipeline.id, {
      updatedAt,
      workflows,
      allSettled: workflows.every((w) => isSettledWorkflow(readWorkflowStatus(w.status))),
      checkedAt: at,
    });
    return workflows;
  }

  async function pollProject(
    projectSlug: string,
    context: PollContext,
    pipelines: Map<string, PipelineSnapshot>,
    builds: BuildSnapshot[],
  ): Promise<string[]> {
    const listed = (await client.listPipelines(projectSlug, context.signal)).slice(
      0,
      options.pipelinesPerPoll,
    );
    for (const pipeline of listed) {
      if (context.signal.aborted) throw new SourceError('unreachable', 'The poll was cancelled.');
      const workflows = await workflowsOf(pipeline, context.signal);
      const attemptOf = attempts(workflows);
      for (const workflow of workflows) {
        const externalId = pipelineExternalId(projectSlug, workflow.name);
        pipelines.set(externalId, {
          externalId,
          name: `${projectName(projectSlug)} · ${workflow.name}`,
          webUrl: webUrls ? projectWebUrl(projectSlug) : null,
        });
        const settled = isSettledWorkflow(readWorkflowStatus(workflow.status));
        if (settled && context.knownFinishedBuilds.has(finishedBuildKey(externalId, workflow.id))) {
          continue;
        }
        const run: WorkflowRun = {
          projectSlug,
          pipeline,
          workflow,
          jobs: await client.listJobs(workflow.id, context.signal),
          attempt: attemptOf.get(workflow.id) ?? 1,
        };
        const build = toBuildSnapshot(run, webUrls);
        for (const gate of build.gates) gate.decidedBy = await userName(gate.decidedBy);
        builds.push(build);
      }
    }
    return listed.map((pipeline) => pipeline.id);
  }

  function inWords(error: unknown, what: string): unknown {
    if (
      error instanceof SourceError &&
      (error.kind === 'forbidden' || error.kind === 'not-found')
    ) {
      return new SourceError(
        error.kind,
        error.kind === 'forbidden'
          ? `CircleCI refused to ${what}: the token's user needs write access to the project, and a job that uses a restricted context needs membership of its security group.`
          : `CircleCI could not ${what}: it may already have been decided, cancelled or re-run.`,
      );
    }
    return error;
  }

  return {
    kind: 'circleci',
    capabilities: ['rerun-build', 'rerun-failed', 'cancel-build', 'retry-stage'],

    async poll(context: PollContext): Promise<PollSnapshot> {
      const pipelines = new Map<string, PipelineSnapshot>();
      const builds: BuildSnapshot[] = [];
      const current = new Set<string>();
      for (const projectSlug of options.projects) {
        if (context.signal.aborted) throw new SourceError('unreachable', 'The poll was cancelled.');
        for (const id of await pollProject(projectSlug, context, pipelines, builds))
          current.add(id);
      }
      // Only pipelines still on the first page are worth remembering.
      for (const id of memos.keys()) if (!current.has(id)) memos.delete(id);
      return { pipelines: [...pipelines.values()], builds };
    },

    async readGate(gate: GateRef): Promise<GateReading> {
      const jobs = await client.listJobs(gate.buildExternalId);
      const job = jobs.find(
        (candidate) =>
          candidate.approval_request_id === gate.gateExternalId ||
          candidate.id === gate.gateExternalId,
      );
      if (!job) {
        throw new SourceError(
          'not-found',
          `The workflow has no approval job ${gate.gateExternalId}.`,
        );
      }
      const state = mapApprovalStatus(readJobStatus(job.status)) ?? 'waiting';
      return {
        state,
        canDecide: null,
        decidedBy: state === 'approved' ? await userName(job.approved_by ?? null) : null,
      };
    },

    async decideGate(gate: GateRef, decision: Decision): Promise<GateDecisionAnswer> {
      if (decision === 'reject') {
        // CircleCI has no reject for approvals; cancelling the workflow is how its users decline.
        try {
          await client.cancelWorkflow(gate.buildExternalId);
        } catch (error) {
          throw inWords(error, 'cancel the workflow');
        }
        return {
          actor: await whoAmI(),
          message:
            'CircleCI has no reject for approval jobs, so Pipewatch cancelled the workflow: it will not go past this approval.',
        };
      }
      let answer: string;
      try {
        answer = await client.approve(gate.buildExternalId, gate.gateExternalId);
      } catch (error) {
        throw inWords(error, 'approve this job');
      }
      return { actor: await whoAmI(), message: `Approved: CircleCI answered "${answer}".` };
    },

    async fetchLog(): Promise<FetchedLog> {
      throw new SourceError(
        'not-found',
        "CircleCI's API v2 has no endpoint for a job's output, so Pipewatch cannot show this log; open the job in CircleCI (the stage links to it).",
      );
    },

    async rerunBuild(build: BuildRef, scope: 'all' | 'failed'): Promise<ActionAnswer> {
      const rerun = await client.rerunWorkflow(
        build.buildExternalId,
        scope === 'failed' ? { from_failed: true } : {},
      );
      const how = scope === 'failed' ? ' from its failed jobs' : '';
      return {
        message: `Re-ran the workflow${how}; CircleCI runs it as a new workflow${rerun ? ` (${rerun})` : ''}.`,
      };
    },

    async cancelBuild(build: BuildRef): Promise<ActionAnswer> {
      await client.cancelWorkflow(build.buildExternalId);
      return { message: 'Cancelled the workflow.' };
    },

    async retryStage(stage: StageRef): Promise<ActionAnswer> {
      const rerun = await client.rerunWorkflow(stage.buildExternalId, {
        jobs: [stage.stageExternalId],
      });
      return {
        message: `Re-ran the job; CircleCI runs it in a new workflow${rerun ? ` (${rerun})` : ''}.`,
      };
    },
  };
}
