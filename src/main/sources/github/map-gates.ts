import type { GateSnapshot } from '../source';
import type { GithubEnvironmentApproval, GithubPendingDeployment } from './github-wire';
import { instant } from './timestamps';

/** GitHub fails a run that waits for a review longer than this. */
export const GATE_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * What Pipewatch remembers of a gate it saw waiting, so that once decided it still shows who
 * could approve and since when it waited (GitHub's approvals list says neither).
 */
export interface RememberedGate {
  externalId: string;
  environment: string;
  stageExternalId: string | null;
  approvers: string[];
  waitingSince: string | null;
}

/** A job of the run as gate linking sees it. */
export interface GateJob {
  externalId: string;
  /** `waiting` jobs wait for an environment's protection rules. */
  isWaiting: boolean;
  /** `jobs.<id>.environment` of its workflow job, when known and free of expressions. */
  environment: string | null;
}

export interface GateInput {
  runCreatedAt: string;
  /** The run will not change any more (completed). */
  runFinished: boolean;
  pending: readonly GithubPendingDeployment[];
  approvals: readonly GithubEnvironmentApproval[];
  remembered: readonly RememberedGate[];
  jobs: readonly GateJob[];
}

export interface GateOutput {
  gates: GateSnapshot[];
  remember: RememberedGate[];
}

type Reviewer = NonNullable<GithubPendingDeployment['reviewers']>[number];

function reviewerName(reviewer: Reviewer): string | null {
  const who = reviewer.reviewer;
  if (!who) return null;
  if (reviewer.type === 'Team') {
    const name = who.name ?? who.slug;
    return name ? `${name} (team)` : null;
  }
  return who.login ?? who.name ?? null;
}

function minutes(count: number): string {
  return count === 1 ? '1 minute' : `${count} minutes`;
}

function waitingDetail(pending: GithubPendingDeployment, approvers: readonly string[]): string {
  const parts = [
    approvers.length > 0
      ? `Required reviewers: ${approvers.join(', ')}.`
      : 'No reviewers are listed; an administrator may decide.',
  ];
  if (pending.current_user_can_approve === false) {
    parts.push("The token's user is not one of them.");
  }
  if (pending.wait_timer && pending.wait_timer > 0) {
    parts.push(`A wait timer of ${minutes(pending.wait_timer)} also applies.`);
  }
  return parts.join(' ');
}

/** The newest decision GitHub lists for an environment (the list is in the order it happened). */
export function decisionFor(
  environmentId: string,
  environment: string | null,
  approvals: readonly GithubEnvironmentApproval[],
): GithubEnvironmentApproval | null {
  let found: GithubEnvironmentApproval | null = null;
  for (const approval of approvals) {
    if (approval.state !== 'approved' && approval.state !== 'rejected') continue;
    const covers = approval.environments.some(
      (candidate) =>
        (candidate.id !== null && candidate.id !== undefined
          ? String(candidate.id) === environmentId
          : false) ||
        (environment !== null && candidate.name === environment),
    );
    if (covers) found = approval;
  }
  return found;
}

/**
 * The stage a gate guards: the job whose workflow entry names the environment, else the one
 * job waiting (when exactly one waits and no other gate took it), else where it was before.
 */
function linkStages(
  environments: ReadonlyArray<{ id: string; name: string; waiting: boolean }>,
  jobs: readonly GateJob[],
  remembered: ReadonlyMap<string, RememberedGate>,
): Map<string, string | null> {
  const links = new Map<string, string | null>();
  const taken = new Set<string>();
  for (const environment of environments) {
    const named = jobs.filter((job) => job.environment === environment.name);
    const chosen = named.find((job) => job.isWaiting) ?? named[0];
    if (chosen) {
      links.set(environment.id, chosen.externalId);
      taken.add(chosen.externalId);
    }
  }
  const freeWaiting = jobs.filter((job) => job.isWaiting && !taken.has(job.externalId));
  const unlinkedWaiting = environments.filter((env) => env.waiting && !links.has(env.id));
  if (freeWaiting.length === 1 && unlinkedWaiting.length === 1 && unlinkedWaiting[0]) {
    links.set(unlinkedWaiting[0].id, freeWaiting[0]?.externalId ?? null);
  }
  for (const environment of environments) {
    if (links.has(environment.id)) continue;
    const before = remembered.get(environment.id)?.stageExternalId ?? null;
    const stillThere = before !== null && jobs.some((job) => job.externalId === before);
    links.set(environment.id, stillThere ? before : null);
  }
  return links;
}

/**
 * The gates of one run: environments waiting for review (from `pending_deployments`), and those
 * decided since (from `approvals`, or remembered from an earlier poll). A pending deployment
 * with neither reviewers nor a user who may approve waits only for a timer: not a gate.
 */
export function mapGates(input: GateInput): GateOutput {
  const created = Date.parse(input.runCreatedAt);
  const expiresAt = Number.isNaN(created)
    ? null
    : new Date(created + GATE_LIFETIME_MS).toISOString();
  const remembered = new Map(input.remembered.map((gate) => [gate.externalId, gate]));
  const waiting = input.pending.filter(
    (pending) => (pending.reviewers ?? []).length > 0 || pending.current_user_can_approve === true,
  );
  const environments = new Map<string, { id: string; name: string; waiting: boolean }>();
  for (const pending of waiting) {
    const id = String(pending.environment.id);
    environments.set(id, { id, name: pending.environment.name, waiting: true });
  }
  for (const gate of input.remembered) {
    if (!environments.has(gate.externalId)) {
      environments.set(gate.externalId, {
        id: gate.externalId,
        name: gate.environment,
        waiting: false,
      });
    }
  }
  for (const approval of input.approvals) {
    if (approval.state !== 'approved' && approval.state !== 'rejected') continue;
    for (const environment of approval.environments) {
      if (environment.id === null || environment.id === undefined || !environment.name) continue;
      const id = String(environment.id);
      const name = environment.name;
      // Environment names are unique in a repository: one gate per environment.
      const known =
        environments.has(id) || [...environments.values()].some((env) => env.name === name);
      if (!known) environments.set(id, { id, name, waiting: false });
    }
  }
  const links = linkStages([...environments.values()], input.jobs, remembered);

  const gates: GateSnapshot[] = [];
  for (const environment of environments.values()) {
    const before = remembered.get(environment.id);
    const stageExternalId = links.get(environment.id) ?? null;
    const pending = waiting.find((item) => String(item.environment.id) === environment.id);
    const base = {
      externalId: environment.id,
      stageExternalId,
      name: environment.name,
      environment: environment.name,
      expiresAt,
      fields: [],
    };
    if (pending) {
      const approvers = (pending.reviewers ?? [])
        .map(reviewerName)
        .filter((name): name is string => name !== null);
      const waitingSince = before?.waitingSince ?? instant(pending.wait_timer_started_at) ?? null;
      gates.push({
        ...base,
        state: 'waiting',
        canDecide: pending.current_user_can_approve ?? null,
        approvers,
        waitingSince,
        decidedBy: null,
        decidedAt: null,
        comment: null,
        detail: waitingDetail(pending, approvers),
      });
      continue;
    }
    const decision = decisionFor(environment.id, environment.name, input.approvals);
    const common = {
      ...base,
      canDecide: false,
      approvers: before?.approvers ?? [],
      waitingSince: before?.waitingSince ?? null,
      decidedAt: null,
    };
    if (decision) {
      gates.push({
        ...common,
        state: decision.state === 'approved' ? 'approved' : 'rejected',
        decidedBy: decision.user?.login ?? null,
        comment: decision.comment ? decision.comment : null,
        detail: null,
      });
    } else if (input.runFinished) {
      gates.push({
        ...common,
        state: 'expired',
        decidedBy: null,
        comment: null,
        detail: 'No one decided before the run ended (cancelled, or failed after 30 days).',
      });
    } else {
      gates.push({
        ...common,
        state: 'approved',
        decidedBy: null,
        comment: null,
        detail: 'GitHub no longer lists it as waiting and did not say who decided.',
      });
    }
  }
  const remember = gates.map((gate) => ({
    externalId: gate.externalId,
    environment: gate.environment ?? gate.name,
    stageExternalId: gate.stageExternalId,
    approvers: gate.approvers,
    waitingSince: gate.waitingSince,
  }));
  return { gates, remember };
}
