import type { Decision } from '../../../shared/model';
import { isFinished } from '../../../shared/status';
import {
  SourceError,
  logFromPieces,
  type ActionAnswer,
  type BuildRef,
  type FetchedLog,
  type GateDecisionAnswer,
  type GateReading,
  type GateRef,
  type LogRef,
  type StageRef,
} from '../source';
import type { GithubClient } from './github-client';
import { parseNumericId, parsePipelineExternalId, type Repository } from './github-refs';
import { decisionFor } from './map-gates';
import { mapRunStatus } from './map-run';
import { mapGithubStatus } from './map-status';

/**
 * GitHub requires a comment with every review. When the person wrote none, Pipewatch says where
 * the decision came from, so that GitHub's history does not show an empty review.
 */
export const DEFAULT_REVIEW_COMMENTS: Record<Decision, string> = {
  approve: 'Approved in Pipewatch.',
  reject: 'Rejected in Pipewatch.',
};

/** ProviderHttp names the status in its message ("answered 409 Conflict"); the kind is generic. */
function answeredStatus(error: unknown, status: number): boolean {
  return error instanceof SourceError && new RegExp(`\\b${status}\\b`).test(error.message);
}

function runOf(ref: BuildRef): { repository: Repository; runId: number } {
  const { repository } = parsePipelineExternalId(ref.pipelineExternalId);
  return { repository, runId: parseNumericId(ref.buildExternalId, 'run') };
}

/** Gates, logs and the actions on runs and jobs; reading the latest state right before acting. */
export class GithubActions {
  private login: string | null = null;

  constructor(
    private readonly client: GithubClient,
    private readonly sourceName: string,
  ) {}

  /** The login the token belongs to, asked once (`GET /user`); for the audit trail. */
  async identity(): Promise<string> {
    if (this.login !== null) return this.login;
    try {
      this.login = await this.client.authenticatedLogin();
      return this.login;
    } catch (error) {
      // GitHub App installation tokens cannot call /user; the decision itself still counts.
      if (error instanceof SourceError && error.kind !== 'auth') {
        return `the GitHub token of ${this.sourceName}`;
      }
      throw error;
    }
  }

  async readGate(gate: GateRef): Promise<GateReading> {
    const { repository, runId } = runOf(gate);
    const environmentId = parseNumericId(gate.gateExternalId, 'environment');
    const pending = await this.client.listPendingDeployments(repository, runId);
    const waiting = pending.find((item) => item.environment.id === environmentId);
    if (waiting) {
      return {
        state: 'waiting',
        canDecide: waiting.current_user_can_approve ?? null,
        decidedBy: null,
      };
    }
    const approvals = await this.client.listApprovals(repository, runId);
    const decision = decisionFor(gate.gateExternalId, null, approvals);
    if (decision) {
      return {
        state: decision.state === 'approved' ? 'approved' : 'rejected',
        canDecide: false,
        decidedBy: decision.user?.login ?? null,
      };
    }
    const run = await this.client.getRun(repository, runId);
    return {
      state: isFinished(mapRunStatus(run)) ? 'expired' : 'approved',
      canDecide: false,
      decidedBy: null,
    };
  }

  async decideGate(
    gate: GateRef,
    decision: Decision,
    comment: string,
  ): Promise<GateDecisionAnswer> {
    const { repository, runId } = runOf(gate);
    const environmentId = parseNumericId(gate.gateExternalId, 'environment');
    const pending = await this.client.listPendingDeployments(repository, runId);
    const environment = pending.find((item) => item.environment.id === environmentId)?.environment
      .name;
    if (!environment) {
      throw new SourceError(
        'not-found',
        `Run ${runId} no longer waits for a review of this environment; someone may have decided already.`,
      );
    }
    let deployments: number;
    try {
      deployments = await this.client.reviewPendingDeployments(repository, runId, {
        environment_ids: [environmentId],
        state: decision === 'approve' ? 'approved' : 'rejected',
        comment: comment.trim() === '' ? DEFAULT_REVIEW_COMMENTS[decision] : comment.trim(),
      });
    } catch (error) {
      throw this.explainReviewError(error, environment, runId);
    }
    const actor = await this.identity();
    const message =
      decision === 'approve'
        ? `GitHub approved ${environment} for run ${runId}; ${deployments === 1 ? 'the deployment starts' : `${deployments} deployments start`}.`
        : `GitHub rejected ${environment} for run ${runId}; the jobs waiting for it will not run.`;
    return { actor, message };
  }

  async fetchLog(log: LogRef): Promise<FetchedLog> {
    if (log.stepExternalId !== null) {
      throw new SourceError(
        'not-found',
        "GitHub keeps one log per job, not per step: open the job's log.",
      );
    }
    const { repository } = parsePipelineExternalId(log.pipelineExternalId);
    const jobId = parseNumericId(log.stageExternalId, 'job');
    const job = await this.client.getJob(repository, jobId);
    const status = mapGithubStatus(job.status, job.conclusion);
    if (status === 'queued' || status === 'waiting' || !job.started_at) {
      throw new SourceError('not-found', `Job ${job.name} has not started, so it has no log yet.`);
    }
    try {
      return logFromPieces(await this.client.jobLog(repository, jobId), isFinished(status));
    } catch (error) {
      if (answeredStatus(error, 410)) {
        throw new SourceError(
          'not-found',
          `GitHub no longer keeps the log of job ${job.name}: logs expire after the repository's retention period.`,
        );
      }
      if (error instanceof SourceError && error.kind === 'not-found') {
        throw new SourceError(
          'not-found',
          isFinished(status)
            ? `GitHub has no log for job ${job.name}.`
            : `GitHub has no log for job ${job.name} yet; it shows a job's log once the job has finished.`,
        );
      }
      throw error;
    }
  }

  async rerunBuild(build: BuildRef, scope: 'all' | 'failed'): Promise<ActionAnswer> {
    const { repository, runId } = runOf(build);
    try {
      await this.client.rerunRun(repository, runId, scope === 'failed');
    } catch (error) {
      throw this.explainActionError(error, `run ${runId}`);
    }
    return {
      message:
        scope === 'failed'
          ? `GitHub is re-running the failed jobs of run ${runId} and the jobs that need them.`
          : `GitHub is re-running every job of run ${runId}.`,
    };
  }

  async cancelBuild(build: BuildRef): Promise<ActionAnswer> {
    const { repository, runId } = runOf(build);
    try {
      await this.client.cancelRun(repository, runId);
    } catch (error) {
      if (answeredStatus(error, 409)) {
        throw new SourceError(
          'server',
          `run ${runId} cannot be cancelled: it has already finished.`,
        );
      }
      throw this.explainActionError(error, `run ${runId}`);
    }
    return { message: `GitHub is cancelling run ${runId}.` };
  }

  async retryStage(stage: StageRef): Promise<ActionAnswer> {
    const { repository } = parsePipelineExternalId(stage.pipelineExternalId);
    const jobId = parseNumericId(stage.stageExternalId, 'job');
    try {
      await this.client.rerunJob(repository, jobId);
    } catch (error) {
      throw this.explainActionError(error, `job ${jobId}`);
    }
    return { message: `GitHub is re-running job ${jobId} and the jobs that need it.` };
  }

  private explainReviewError(error: unknown, environment: string, runId: number): unknown {
    if (!(error instanceof SourceError)) return error;
    if (error.kind === 'forbidden') {
      return new SourceError(
        'forbidden',
        `You are not a required reviewer for environment ${environment}, or the token may not review deployments. ${error.message}`,
      );
    }
    if (error.kind === 'not-found' || answeredStatus(error, 422)) {
      return new SourceError(
        'not-found',
        `Run ${runId} no longer waits for a review of ${environment}; someone may have decided already. ${error.message}`,
      );
    }
    return error;
  }

  private explainActionError(error: unknown, what: string): unknown {
    if (!(error instanceof SourceError)) return error;
    if (error.kind === 'forbidden') {
      return new SourceError(
        'forbidden',
        `the token may not act on ${what} (it needs write access to Actions). ${error.message}`,
      );
    }
    return error;
  }
}
