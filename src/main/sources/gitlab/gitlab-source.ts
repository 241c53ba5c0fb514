import { isFinished } from '../../../shared/status';
import {
  SourceError,
  logFromPieces,
  type ActionAnswer,
  type BuildRef,
  type CiSource,
  type FetchedLog,
  type LogRef,
  type StageRef,
} from '../source';
import { GitlabClient } from './gitlab-client';
import { decideGitlabGate, readGitlabGate } from './gitlab-gates';
import { createGitlabMemory, parseNumericId, parseWatchedExternalId } from './gitlab-memory';
import { gitlabOptionsSchema, watchedProjects, type GitlabOptions } from './gitlab-options';
import { pollGitlab } from './gitlab-poll';
import { buildNumber } from './map-build';
import { mapJobStatus } from './map-status';

/** What the core gives a GitLab source. */
export interface GitlabSourceSettings {
  /** Validated with `gitlabOptionsSchema`. */
  options: GitlabOptions;
  /** The instance URL; gitlab.com when absent. */
  baseUrl?: string | undefined;
  /** The token, resolved at each call; null for anonymous reads of public projects. */
  token: () => string | null;
  now?: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * The GitLab CI source: watched projects' pipelines as builds, jobs and trigger jobs as stages
 * linked by `needs`, manual jobs and deployment approvals as gates, job traces as stage logs.
 */
export function createGitlabSource(settings: GitlabSourceSettings): CiSource {
  const options = gitlabOptionsSchema.parse(settings.options);
  const now = settings.now ?? Date.now;
  const client = new GitlabClient({
    baseUrl: settings.baseUrl ?? 'https://gitlab.com',
    token: settings.token,
    tokenType: options.tokenType,
    now,
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
    ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
  });
  const memory = createGitlabMemory();
  const watched = watchedProjects(options);
  const gateDependencies = { client, memory, options };

  return {
    kind: 'gitlab',
    // GitLab re-runs only failed and cancelled jobs of a pipeline; a whole new run is a new
    // pipeline (`POST /pipeline?ref=`) at the ref's newest commit, not this build again.
    capabilities: ['rerun-failed', 'cancel-build', 'retry-stage'],

    poll: (context) => pollGitlab({ client, memory, options, watched, now }, context),

    readGate: (gate) => readGitlabGate(gateDependencies, gate),

    decideGate: (gate, decision, comment, fields) =>
      decideGitlabGate(gateDependencies, gate, decision, comment, fields),

    async fetchLog(log: LogRef): Promise<FetchedLog> {
      const { projectId } = parseWatchedExternalId(log.pipelineExternalId);
      const jobId = parseNumericId(log.stageExternalId, 'job');
      if (log.stepExternalId !== null) {
        throw new SourceError('not-found', 'GitLab jobs have no steps; open the job log instead.');
      }
      // Status first: a trace read after the job finished is complete, so it may be cached.
      const job = await client.job(projectId, jobId);
      try {
        const pieces = await client.trace(projectId, jobId);
        return logFromPieces(pieces, isFinished(mapJobStatus(job.status)));
      } catch (error) {
        if (error instanceof SourceError && error.kind === 'not-found') {
          throw new SourceError(
            'not-found',
            `GitLab has no log for job ${job.name} (it has not started, or its log was erased).`,
          );
        }
        throw error;
      }
    },

    async rerunBuild(build: BuildRef, scope: 'all' | 'failed'): Promise<ActionAnswer> {
      if (scope === 'all') {
        throw new SourceError(
          'forbidden',
          'GitLab cannot run a whole pipeline again; it retries the failed and cancelled jobs.',
        );
      }
      const { projectId } = parseWatchedExternalId(build.pipelineExternalId);
      const pipeline = await client.retryPipeline(
        projectId,
        parseNumericId(build.buildExternalId, 'pipeline'),
      );
      return {
        message: `GitLab retries the failed and cancelled jobs of pipeline #${buildNumber(pipeline)}; it is now ${pipeline.status}.`,
      };
    },

    async cancelBuild(build: BuildRef): Promise<ActionAnswer> {
      const { projectId } = parseWatchedExternalId(build.pipelineExternalId);
      // GitLab answers 200 whatever the pipeline's state, so report the status it gives back.
      const pipeline = await client.cancelPipeline(
        projectId,
        parseNumericId(build.buildExternalId, 'pipeline'),
      );
      return {
        message: `Asked GitLab to cancel pipeline #${buildNumber(pipeline)}; it is now ${pipeline.status}.`,
      };
    },

    rateLimit: () => client.rateLimit(),

    async retryStage(stage: StageRef): Promise<ActionAnswer> {
      const { projectId } = parseWatchedExternalId(stage.pipelineExternalId);
      const job = await client.retryJob(projectId, parseNumericId(stage.stageExternalId, 'job'));
      return { message: `Job ${job.name} runs again as job ${job.id}; it is now ${job.status}.` };
    },
  };
}
