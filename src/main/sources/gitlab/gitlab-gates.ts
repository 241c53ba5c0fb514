import type { Decision } from '../../../shared/model';
import { SourceError, type GateDecisionAnswer, type GateReading, type GateRef } from '../source';
import type { GitlabClient } from './gitlab-client';
import { parseNumericId, parseWatchedExternalId, type GitlabMemory } from './gitlab-memory';
import type { GitlabOptions } from './gitlab-options';
import type { GitlabJob } from './gitlab-wire';
import {
  approvalProgress,
  approvalsComplete,
  mapGate,
  type ApprovalProgress,
  type DeploymentState,
} from './map-gates';

export interface GateDependencies {
  client: GitlabClient;
  memory: GitlabMemory;
  options: GitlabOptions;
}

/** The token's username (`GET /user`, asked once), or null when GitLab will not say. */
export async function currentUsername({
  client,
  memory,
}: GateDependencies): Promise<string | null> {
  if (memory.username) return memory.username;
  try {
    memory.username = (await client.currentUser()).username;
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
  }
  return memory.username;
}

/** Re-reads a gate: the job's status, and its deployment's approvals when it has one. */
export async function readGitlabGate(
  dependencies: GateDependencies,
  gate: GateRef,
): Promise<GateReading> {
  const { job, deployment } = await loadGate(dependencies, gate);
  const snapshot = mapGate({
    job,
    // Only gates Pipewatch reported are read, so this job was seen as a manual one.
    knownManual: true,
    deployment,
    reachedAt: null,
    supersededBy: dependencies.memory.superseded.get(job.id) ?? null,
  });
  return {
    // A job no longer manual and never started went away with its pipeline (skipped, retried).
    state: snapshot?.state ?? 'expired',
    canDecide: null,
    decidedBy: snapshot?.decidedBy ?? null,
  };
}

/**
 * Decides a gate the way its kind allows. A deployment still short of approvals gets this
 * approval or rejection (and, once the last approval is in, the job is played when the
 * `playAfterApproval` option says so). A plain manual job, or a deployment with every approval,
 * is played on approve; there is no reject for those in GitLab, so reject is refused in words.
 */
export async function decideGitlabGate(
  dependencies: GateDependencies,
  gate: GateRef,
  decision: Decision,
  comment: string,
  fields: Readonly<Record<string, string>>,
): Promise<GateDecisionAnswer> {
  const { client, options } = dependencies;
  const { projectId, job, deployment } = await loadGate(dependencies, gate);
  if (job.status !== 'manual') {
    throw new SourceError(
      'server',
      `Nothing was done: job ${job.name} is no longer waiting (GitLab says it is ${job.status}).`,
    );
  }
  const me = await currentUsername(dependencies);
  if (deployment && !approvalsComplete(deployment)) {
    const environment = deployment.deployment.environment?.name ?? 'the protected environment';
    const progress = approvalProgress(deployment.deployment);
    if (decision === 'approve' && me && alreadyApprovedBy(deployment, me)) {
      throw new SourceError(
        'forbidden',
        `${me} has already approved the deployment of ${job.name} to ${environment}; ${stillMissing(progress)}`,
      );
    }
    const status = decision === 'approve' ? 'approved' : 'rejected';
    const verb = decision === 'approve' ? 'approve' : 'reject';
    const answer = await inWords(
      `${verb} the deployment of ${job.name} to ${environment}`,
      `you are not an approver for environment ${environment}`,
      () => client.decideDeployment(projectId, deployment.deployment.id, status, comment),
    );
    const actor = answer.user?.username ?? me ?? 'unknown';
    if (decision === 'reject') {
      return {
        actor,
        message: `Rejected the deployment of ${job.name} to ${environment}; GitLab fails the job.`,
      };
    }
    const fresh = await client.deployment(projectId, deployment.deployment.id);
    const now: DeploymentState = { deployment: fresh, stillBlocked: fresh.status === 'blocked' };
    dependencies.memory.deployments.set(job.id, now);
    const freshProgress = approvalProgress(fresh);
    const counted =
      freshProgress.required === null
        ? ''
        : ` (${freshProgress.given} of ${freshProgress.required} approval${freshProgress.required === 1 ? '' : 's'})`;
    if (!approvalsComplete(now)) {
      return {
        actor,
        message: `Approved the deployment of ${job.name} to ${environment}${counted}; ${stillMissing(freshProgress)}`,
      };
    }
    if (!options.playAfterApproval) {
      return {
        actor,
        message: `Approved the deployment of ${job.name} to ${environment}${counted}: every approval is in; the job must now be played.`,
      };
    }
    try {
      const played = await client.playJob(projectId, job.id, fields);
      return {
        actor,
        message: `Approved the deployment of ${job.name} to ${environment}${counted} and played the job: it is now ${played.status}.`,
      };
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      return {
        actor,
        message: `Approved the deployment of ${job.name} to ${environment}${counted}, but GitLab did not play the job (${error.message}). Someone allowed to deploy to ${environment} must play it.`,
      };
    }
  }
  if (decision === 'reject') {
    throw new SourceError(
      'forbidden',
      deployment
        ? `The deployment of ${job.name} already has every approval and GitLab has no way to reject it now: leave the job unplayed, or cancel the pipeline.`
        : `GitLab has no way to reject a manual job: leave ${job.name} unplayed, or cancel the pipeline.`,
    );
  }
  const environment = deployment?.deployment.environment?.name ?? null;
  const played = await inWords(
    `play ${job.name}`,
    environment
      ? `playing it needs the Developer role and deploy rights for environment ${environment}`
      : 'playing a manual job needs at least the Developer role',
    () => client.playJob(projectId, job.id, fields),
  );
  const note =
    comment.trim() === ''
      ? ''
      : " GitLab keeps no comment with a played job; the comment is kept in Pipewatch's audit trail.";
  return {
    actor: played.user?.username ?? me ?? 'unknown',
    message: `Played ${job.name}: it is now ${played.status}.${note}`,
  };
}

async function loadGate(
  dependencies: GateDependencies,
  gate: GateRef,
): Promise<{ projectId: number; job: GitlabJob; deployment: DeploymentState | null }> {
  const { client } = dependencies;
  const { projectId } = parseWatchedExternalId(gate.pipelineExternalId);
  const jobId = parseNumericId(gate.gateExternalId, 'job');
  const job = await client.job(projectId, jobId);
  return { projectId, job, deployment: await deploymentOf(dependencies, projectId, job) };
}

/** The job's deployment as it is now: re-read when known, else looked for among blocked ones. */
async function deploymentOf(
  { client, memory }: GateDependencies,
  projectId: number,
  job: GitlabJob,
): Promise<DeploymentState | null> {
  const known = memory.deployments.get(job.id);
  if (known) {
    const fresh = await client.deployment(projectId, known.deployment.id);
    return { deployment: fresh, stillBlocked: fresh.status === 'blocked' };
  }
  if (job.status !== 'manual') return null;
  try {
    const blocked = await client.blockedDeployments(projectId);
    const deployment = blocked.items.find((candidate) => candidate.deployable?.id === job.id);
    return deployment ? { deployment, stillBlocked: true } : null;
  } catch (error) {
    if (
      error instanceof SourceError &&
      ['not-found', 'forbidden', 'bad-response'].includes(error.kind)
    ) {
      return null;
    }
    throw error;
  }
}

function alreadyApprovedBy(state: DeploymentState, username: string): boolean {
  const { deployment } = state;
  const approvals = [
    ...(deployment.approvals ?? []),
    ...(deployment.approval_summary?.rules ?? []).flatMap(
      (rule) => rule.deployment_approvals ?? [],
    ),
  ];
  return approvals.some(
    (approval) => approval.status === 'approved' && approval.user?.username === username,
  );
}

function stillMissing(progress: ApprovalProgress): string {
  if (progress.missing.length > 0) {
    return `it still needs approvals from ${progress.missing.join(', ')}, then the job must be played.`;
  }
  if (progress.required !== null) {
    const left = progress.required - progress.given;
    return `it still needs ${left} more approval${left === 1 ? '' : 's'}, then the job must be played.`;
  }
  return 'it still needs more approvals, then the job must be played.';
}

/** Runs a decision request; a refusal comes back as a sentence a person understands. */
async function inWords<T>(what: string, hint: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    if (error.kind === 'forbidden' || error.kind === 'not-found') {
      throw new SourceError(
        'forbidden',
        `GitLab did not let you ${what}: ${hint}. (${error.message})`,
      );
    }
    if (error.kind === 'bad-response') {
      // GitLab answers 400 with its reason: "You cannot approve your own deployment."
      throw new SourceError('forbidden', `GitLab refused to ${what}. (${error.message})`);
    }
    throw error;
  }
}
