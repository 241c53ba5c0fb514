import type { Decision, RateLimitBudget } from '../../../shared/model';
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
  type LogRef,
  type PipelineSnapshot,
  type PollContext,
  type PollSnapshot,
  type StageRef,
} from '../source';
import { BUILDKITE_API_URL, BuildkiteClient, LOG_TAIL_BYTES } from './buildkite-client';
import { buildkiteOptionsSchema, type BuildkiteOptions } from './buildkite-options';
import {
  clientBudgetPerMinute,
  minimumIntervalSeconds,
  stepAsideUntil,
} from './buildkite-rate-limit';
import { readJobs, type BuildkiteBuild, type BuildkiteJob } from './buildkite-wire';
import { toBuildSnapshot } from './map-buildkite';
import {
  isSettledBuild,
  mapBlockState,
  readBuildState,
  readJobState,
} from './map-buildkite-status';

export interface BuildkiteSourceSettings {
  baseUrl?: string | undefined;
  options: BuildkiteOptions;
  token: () => string | null;
  now?: () => number;
  fetch?: typeof fetch;
  /** Longest wait for one request (the config's `requestTimeoutSeconds`). */
  timeoutMs?: number;
}

/** A Buildkite source, plus what the poller and UI need to keep it within its budget. */
export interface BuildkiteSource extends CiSource {
  /**
   * The shortest poll interval (seconds) that keeps this source within its share of the
   * organization's budget, from the pipelines watched and the requests the last poll made.
   */
  minimumIntervalSeconds(): number;
  rateLimit(): RateLimitBudget | null;
}

// Buildkite's timestamp markers (ESC _bk;t=… BEL) are for its own viewer; as text they are noise.
// eslint-disable-next-line no-control-regex -- the markers are made of control characters
const TIMESTAMP_MARKERS = /\u001b_bk;t=\d+\u0007/g;

function clock(at: number): string {
  return new Date(at).toISOString().slice(11, 19);
}

function pipelineSnapshot(
  slug: string,
  newest: BuildkiteBuild | undefined,
  organization: string,
  isPublicApi: boolean,
): PipelineSnapshot {
  const fromBuild = newest?.web_url?.replace(/\/builds\/\d+\/?$/, '') ?? null;
  const guessed = isPublicApi ? `https://buildkite.com/${organization}/${slug}` : null;
  return { externalId: slug, name: newest?.pipeline?.name ?? slug, webUrl: fromBuild ?? guessed };
}

function jobName(job: BuildkiteJob): string {
  return job.label ?? job.name ?? job.step_key ?? job.type;
}

/**
 * Buildkite through the CiSource interface: one builds request per pipeline and poll (jobs come
 * with the builds), block steps as gates, job logs, retry, rebuild and cancel — and never more
 * than its share of the organization's rate limit.
 */
export function createBuildkiteSource(settings: BuildkiteSourceSettings): BuildkiteSource {
  const options = buildkiteOptionsSchema.parse(settings.options);
  const now = settings.now ?? Date.now;
  const baseUrl = settings.baseUrl ?? BUILDKITE_API_URL;
  const client = new BuildkiteClient({
    baseUrl,
    options,
    token: settings.token,
    now,
    ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  });
  const budgetPerMinute = clientBudgetPerMinute(
    options.orgRequestsPerMinute,
    options.shareOfOrgBudget,
  );
  const finishedJobs = new Set<string>();
  let lastPollRequests = options.pipelines.length;
  let actor: string | null = null;

  /** Why not to send another request now, as an error with a time to come back, or null. */
  function budgetGuard(at: number): SourceError | null {
    const budget = client.rateLimit();
    const aside = stepAsideUntil(budget, options.shareOfOrgBudget, at);
    if (aside !== null && budget) {
      return new SourceError(
        'rate-limited',
        `Buildkite's organization budget is nearly spent (${budget.remaining} of ${budget.limit} requests left); Pipewatch steps aside until ${clock(aside)} UTC so the team's own tools keep working.`,
        aside,
      );
    }
    const full = client.window.fullUntil(at);
    if (full !== null) {
      return new SourceError(
        'rate-limited',
        `Pipewatch keeps to ${budgetPerMinute} Buildkite requests a minute (${Math.round(options.shareOfOrgBudget * 100)} % of the organization's ${options.orgRequestsPerMinute}); it polls again at ${clock(full)} UTC.`,
        full,
      );
    }
    return null;
  }

  async function pollPipeline(
    slug: string,
    context: PollContext,
  ): Promise<{ pipeline: PipelineSnapshot; builds: BuildSnapshot[] }> {
    const isKnown = (build: BuildkiteBuild): boolean =>
      context.knownFinishedBuilds.has(finishedBuildKey(slug, String(build.number)));
    let page = await client.listBuilds(slug, context.signal);
    const seen = [...page.builds];
    // Backfill on a first look: older pages while everything on a page is new to the store.
    for (let pages = 1; pages < options.backfillPages && page.next; pages += 1) {
      if (page.builds.length === 0 || page.builds.some(isKnown)) break;
      if (context.signal.aborted || budgetGuard(now())) break;
      page = await client.listBuilds(slug, context.signal, page.next);
      seen.push(...page.builds);
    }
    const builds: BuildSnapshot[] = [];
    for (const build of seen) {
      for (const job of readJobs(build)) if (job.finished_at) finishedJobs.add(job.id);
      const settled = isSettledBuild(readBuildState(build.state), build.blocked === true);
      if (settled && isKnown(build)) continue;
      builds.push(toBuildSnapshot(slug, build));
    }
    const pipeline = pipelineSnapshot(
      slug,
      seen[0],
      options.organization,
      baseUrl === BUILDKITE_API_URL,
    );
    return { pipeline, builds };
  }

  async function findJob(ref: BuildRef, jobId: string): Promise<BuildkiteJob> {
    const build = await client.getBuild(ref.pipelineExternalId, ref.buildExternalId);
    const job = readJobs(build).find((candidate) => candidate.id === jobId);
    if (!job) {
      throw new SourceError(
        'not-found',
        `Build #${ref.buildExternalId} of ${ref.pipelineExternalId} has no job ${jobId}.`,
      );
    }
    return job;
  }

  async function whoAmI(): Promise<string> {
    actor ??= await client.userName();
    return actor ?? 'the owner of the Buildkite token';
  }

  function inWords(error: unknown, what: string): unknown {
    if (error instanceof SourceError && error.kind === 'forbidden') {
      return new SourceError(
        'forbidden',
        `Buildkite refused to ${what}: the token needs the write_builds scope, and its user must be allowed to do this in the pipeline (block steps may be limited to some teams).`,
      );
    }
    return error;
  }

  return {
    kind: 'buildkite',
    capabilities: ['rerun-build', 'rerun-failed', 'cancel-build', 'retry-stage'],

    minimumIntervalSeconds: () =>
      minimumIntervalSeconds(Math.max(options.pipelines.length, lastPollRequests), budgetPerMinute),

    rateLimit: () => client.rateLimit(),

    async poll(context: PollContext): Promise<PollSnapshot> {
      const before = client.http.stats.requests;
      const pipelines: PipelineSnapshot[] = [];
      const builds: BuildSnapshot[] = [];
      try {
        for (const slug of options.pipelines) {
          if (context.signal.aborted) {
            throw new SourceError('unreachable', 'The poll was cancelled.');
          }
          const guard = budgetGuard(now());
          if (guard) {
            // Keep what this poll already read; the next poll waits for the budget.
            if (pipelines.length > 0) break;
            throw guard;
          }
          const result = await pollPipeline(slug, context);
          pipelines.push(result.pipeline);
          builds.push(...result.builds);
        }
      } finally {
        lastPollRequests = Math.max(1, client.http.stats.requests - before);
      }
      return { pipelines, builds };
    },

    async readGate(gate: GateRef): Promise<GateReading> {
      const job = await findJob(gate, gate.gateExternalId);
      const state = mapBlockState(readJobState(job.state)) ?? 'waiting';
      return {
        state,
        canDecide: state === 'waiting' && job.unblockable === true ? true : null,
        decidedBy: job.unblocked_by?.name ?? job.unblocked_by?.email ?? null,
      };
    },

    async decideGate(
      gate: GateRef,
      decision: Decision,
      _comment: string,
      fields: Readonly<Record<string, string>>,
    ): Promise<GateDecisionAnswer> {
      const { pipelineExternalId: slug, buildExternalId: number } = gate;
      if (decision === 'reject') {
        // Buildkite has no reject for block steps; cancelling is how its users say "not this one".
        try {
          await client.cancel(slug, number);
        } catch (error) {
          throw inWords(error, `cancel build #${number}`);
        }
        return {
          actor: await whoAmI(),
          message: `Buildkite has no reject for block steps, so Pipewatch cancelled build #${number}: it will not go past this step.`,
        };
      }
      let job: BuildkiteJob;
      try {
        job = await client.unblock(slug, number, gate.gateExternalId, fields);
      } catch (error) {
        throw inWords(error, `unblock this step of build #${number}`);
      }
      const by = job.unblocked_by?.name ?? job.unblocked_by?.email ?? (await whoAmI());
      return { actor: by, message: `Unblocked "${jobName(job)}" of build #${number}.` };
    },

    async fetchLog(log: LogRef): Promise<FetchedLog> {
      if (log.stepExternalId !== null) {
        throw new SourceError(
          'not-found',
          'Buildkite jobs have no separate step logs; open the whole job log instead.',
        );
      }
      const tail = await client.jobLogTail(
        log.pipelineExternalId,
        log.buildExternalId,
        log.stageExternalId,
      );
      const text = tail.text.replace(TIMESTAMP_MARKERS, '');
      const note =
        tail.totalBytes === null
          ? ''
          : `[Pipewatch: this log has ${tail.totalBytes} bytes; showing its last ${LOG_TAIL_BYTES}.]\n`;
      return { text: note + text, complete: finishedJobs.has(log.stageExternalId) };
    },

    async rerunBuild(build: BuildRef, scope: 'all' | 'failed'): Promise<ActionAnswer> {
      const { pipelineExternalId: slug, buildExternalId: number } = build;
      if (scope === 'all') {
        const rebuilt = await client.rebuild(slug, number);
        return { message: `Rebuilt build #${number} as build #${rebuilt.number}.` };
      }
      const current = await client.getBuild(slug, number);
      const failed = readJobs(current).filter((job) => {
        const state = readJobState(job.state);
        return job.retried !== true && (state === 'failed' || state === 'timed_out');
      });
      if (failed.length === 0) {
        throw new SourceError('not-found', `Build #${number} has no failed jobs to retry.`);
      }
      // One at a time: each retry is a request against the organization's shared budget.
      for (const job of failed) await client.retryJob(slug, number, job.id);
      return {
        message: `Retried ${failed.length} failed job(s) of build #${number}: ${failed.map(jobName).join(', ')}.`,
      };
    },

    async cancelBuild(build: BuildRef): Promise<ActionAnswer> {
      await client.cancel(build.pipelineExternalId, build.buildExternalId);
      return { message: `Cancelled build #${build.buildExternalId}.` };
    },

    async retryStage(stage: StageRef): Promise<ActionAnswer> {
      const retried = await client.retryJob(
        stage.pipelineExternalId,
        stage.buildExternalId,
        stage.stageExternalId,
      );
      return {
        message: `Retried "${jobName(retried)}" of build #${stage.buildExternalId}; the retry is a new job.`,
      };
    },
  };
}
