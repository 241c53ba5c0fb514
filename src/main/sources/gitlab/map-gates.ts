import type { GateState } from '../../../shared/model';
import type { GateSnapshot } from '../source';
import type { GitlabDeployment, GitlabDeploymentApproval, GitlabJob } from './gitlab-wire';

/**
 * GitLab has two kinds of gates, both on a job:
 * - a manual job (`when: manual`, status `manual`): a person plays it. GitLab has no "reject"
 *   for a manual job: not playing it is the only no.
 * - a job deploying to a protected environment with required approvals: its deployment is
 *   `blocked` and the job is held as `manual`. Approvers approve or reject the deployment; after
 *   the last approval the job must still be played (GitLab's deployment approvals docs).
 */

/** A job's deployment as the poll last saw it. */
export interface DeploymentState {
  deployment: GitlabDeployment;
  /** Still in the `status=blocked` list; false once it left it (approved on older servers). */
  stillBlocked: boolean;
}

/** Everything the gate of one job is derived from. */
export interface GateInput {
  job: GitlabJob;
  /** GraphQL's `manualJob`, or this session saw the job as `manual`. */
  knownManual: boolean;
  deployment: DeploymentState | null;
  /** When the jobs it waits for finished (the job's `created_at` if none). */
  reachedAt: string | null;
  /** A newer pipeline of the same ref has this manual job too. */
  supersededBy: { number: number; ref: string } | null;
}

export interface ApprovalProgress {
  given: number;
  /** Null when the server does not say (no Premium approval fields). */
  required: number | null;
  /** Rules still short of approvals, in words: "security-group (1 of 2)". */
  missing: string[];
  /** Who may approve, as GitLab names the rules. */
  approvers: string[];
  rejection: GitlabDeploymentApproval | null;
  lastApproval: GitlabDeploymentApproval | null;
}

/** How far a deployment's approvals are, from `approval_summary` or the older fields. */
export function approvalProgress(deployment: GitlabDeployment): ApprovalProgress {
  const rules = deployment.approval_summary?.rules ?? [];
  const all = [
    ...(deployment.approvals ?? []),
    ...rules.flatMap((rule) => rule.deployment_approvals ?? []),
  ];
  const rejection = all.find((approval) => approval.status === 'rejected') ?? null;
  const approved = all.filter((approval) => approval.status === 'approved');
  const lastApproval =
    [...approved].sort((left, right) =>
      (left.created_at ?? '').localeCompare(right.created_at ?? ''),
    )[approved.length - 1] ?? null;
  if (rules.length > 0) {
    let given = 0;
    let required = 0;
    const missing: string[] = [];
    for (const rule of rules) {
      const count = (rule.deployment_approvals ?? []).filter(
        (approval) => approval.status === 'approved',
      ).length;
      given += Math.min(count, rule.required_approvals);
      required += rule.required_approvals;
      const name = ruleName(rule);
      if (count < rule.required_approvals) {
        missing.push(`${name} (${count} of ${rule.required_approvals})`);
      }
    }
    return {
      given,
      required,
      missing,
      approvers: rules.map(ruleName),
      rejection,
      lastApproval,
    };
  }
  const unique = new Set(approved.map((approval) => approval.user?.username ?? ''));
  const given = unique.size;
  const pending = deployment.pending_approval_count;
  return {
    given,
    required: pending === null || pending === undefined ? null : given + pending,
    missing: [],
    approvers: [],
    rejection,
    lastApproval,
  };
}

function ruleName(rule: {
  access_level_description?: string | null | undefined;
  group_id?: number | null | undefined;
  user_id?: number | null | undefined;
}): string {
  if (rule.access_level_description) return rule.access_level_description;
  if (rule.group_id) return `group ${rule.group_id}`;
  if (rule.user_id) return `user ${rule.user_id}`;
  return 'approvers';
}

/** True when the deployment needs no more approvals (the job only has to be played). */
export function approvalsComplete(state: DeploymentState): boolean {
  if (!state.stillBlocked) return true;
  const progress = approvalProgress(state.deployment);
  return progress.required !== null && progress.given >= progress.required;
}

/** True when the job is, or was, a gate (the stage's `isGate`). */
export function isGateJob(input: Pick<GateInput, 'job' | 'knownManual' | 'deployment'>): boolean {
  return (
    input.job.status === 'manual' ||
    input.knownManual ||
    input.deployment !== null ||
    input.job.failure_reason === 'deployment_rejected'
  );
}

/**
 * The gate of one job, or null when the job is no gate or has not been reached yet (a manual job
 * in a later stage is `created` until the stages before it finish).
 */
export function mapGate(input: GateInput): GateSnapshot | null {
  if (!isGateJob(input)) return null;
  const { job, deployment } = input;
  const base = {
    externalId: String(job.id),
    stageExternalId: String(job.id),
    name: job.name,
    environment: deployment?.deployment.environment?.name ?? null,
    canDecide: null,
    approvers: deployment ? approvalProgress(deployment.deployment).approvers : [],
    waitingSince: deployment?.deployment.created_at ?? input.reachedAt ?? job.created_at ?? null,
    expiresAt: null,
    fields: [],
  };
  const decided = decision(input);
  if (decided === null) return null;
  return { ...base, ...decided };
}

type Decided = Pick<GateSnapshot, 'state' | 'decidedBy' | 'decidedAt' | 'comment' | 'detail'>;

function decision(input: GateInput): Decided | null {
  const { job, deployment } = input;
  const progress = deployment ? approvalProgress(deployment.deployment) : null;
  if (job.failure_reason === 'deployment_rejected' || progress?.rejection) {
    const rejection = progress?.rejection ?? null;
    const by = rejection?.user?.username ?? null;
    return outcome('rejected', by, rejection?.created_at ?? job.finished_at ?? null, {
      comment: rejection?.comment ?? null,
      detail: `Deployment rejected${by ? ` by ${by}` : ''}; GitLab failed the job.`,
    });
  }
  switch (job.status) {
    case 'manual':
      return waiting(input, progress);
    case 'created':
    case 'skipped':
      // Not reached yet, or never reached (an earlier job failed): no decision to show.
      return job.started_at ? played(job) : null;
    case 'canceled':
      if (job.started_at) return played(job);
      return outcome('expired', null, job.finished_at ?? null, {
        comment: null,
        detail: 'The pipeline was cancelled before anyone played this job.',
      });
    default:
      return played(job);
  }
}

function outcome(
  state: GateState,
  decidedBy: string | null,
  decidedAt: string | null,
  rest: { comment: string | null; detail: string },
): Decided {
  return { state, decidedBy, decidedAt, ...rest };
}

function played(job: GitlabJob): Decided {
  const by = job.user?.username ?? null;
  return outcome('approved', by, job.started_at ?? null, {
    comment: null,
    detail: `Played${by ? ` by ${by}` : ''}.`,
  });
}

function waiting(input: GateInput, progress: ApprovalProgress | null): Decided {
  if (input.supersededBy) {
    const { number, ref } = input.supersededBy;
    return outcome('expired', null, null, {
      comment: null,
      detail: `Superseded: the newer pipeline #${number} on ${ref} has this manual job too.`,
    });
  }
  const deployment = input.deployment;
  if (deployment && progress) {
    const environment = deployment.deployment.environment?.name ?? 'a protected environment';
    if (approvalsComplete(deployment)) {
      const by = progress.lastApproval?.user?.username ?? null;
      return outcome('waiting', null, null, {
        comment: null,
        detail: `Approved${by ? ` (last by ${by})` : ''}; waiting to be played. Approving plays the job that deploys to ${environment}.`,
      });
    }
    const count =
      progress.required === null
        ? 'Waiting for approvals'
        : `${progress.given} of ${progress.required} approval${progress.required === 1 ? '' : 's'}`;
    const missing = progress.missing.length > 0 ? ` (missing: ${progress.missing.join(', ')})` : '';
    return outcome('waiting', null, null, {
      comment: null,
      detail: `${count}${missing} to deploy to ${environment}; the job must then be played.`,
    });
  }
  const blocking = input.job.allow_failure !== true;
  return outcome('waiting', null, null, {
    comment: null,
    detail: blocking
      ? 'Manual job: the pipeline waits until someone plays it. Approving plays it; GitLab has no way to reject a manual job.'
      : 'Optional manual job (the pipeline does not wait for it). Approving plays it; GitLab has no way to reject a manual job.',
  });
}
