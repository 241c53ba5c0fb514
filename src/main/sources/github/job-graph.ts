import type { Status } from '../../../shared/status';
import type { WorkflowFile, WorkflowJob } from './workflow-file';

/** What the graph needs to know of one API job. */
export interface GraphJob {
  externalId: string;
  name: string;
  status: Status;
  /** Epoch ms; null while it has not started. */
  startedAt: number | null;
  finishedAt: number | null;
}

/** Where one API job sits in its build's graph. */
export interface GraphPlacement {
  needs: string[];
  position: number;
  /** The status, with jobs that will not run because a needed job failed made `blocked`. */
  status: Status;
  /** The `jobs:` key it was matched to; null when unmatched or ordered by time. */
  workflowJobId: string | null;
}

export interface JobGraph {
  /** `workflow` when the file's `needs:` drew the edges, `timing` when start times did. */
  basis: 'workflow' | 'timing';
  placements: Map<string, GraphPlacement>;
}

const EXPRESSION = /\$\{\{[\s\S]*?\}\}/g;

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface NameMatcher {
  job: WorkflowJob;
  /** The name GitHub shows when nothing is added to it; null when it holds an expression. */
  literal: string | null;
  pattern: RegExp;
  /** Characters of fixed text: the more, the surer a pattern match. */
  specificity: number;
}

/**
 * How GitHub names the API jobs of one workflow job: its `name:` (expressions filled in per
 * matrix leg) or else its id; matrix legs not named by an expression get " (v1, v2)" appended;
 * a job calling a reusable workflow shows its jobs as "caller / callee".
 */
function nameMatcher(job: WorkflowJob): NameMatcher {
  const template = job.name ?? job.id;
  const literalParts = template.split(EXPRESSION);
  const hasExpression = literalParts.length > 1;
  const core = literalParts.map(escapeRegExp).join('.*?');
  const matrixSuffix = job.hasMatrix ? '(?: \\(.*\\))?' : '';
  const calleeSuffix = job.callsWorkflow ? '(?: / .+)?' : '';
  return {
    job,
    literal: hasExpression ? null : template,
    pattern: new RegExp(`^${core}${matrixSuffix}${calleeSuffix}$`, 's'),
    specificity: literalParts.join('').length,
  };
}

/** The workflow job an API job belongs to, or null when none or several fit equally. */
export function matchWorkflowJob(apiName: string, matchers: readonly NameMatcher[]): string | null {
  const exact = matchers.filter((matcher) => matcher.literal === apiName);
  if (exact.length === 1 && exact[0]) return exact[0].job.id;
  const fitting = matchers.filter((matcher) => matcher.pattern.test(apiName));
  if (fitting.length === 0) return null;
  const best = Math.max(...fitting.map((matcher) => matcher.specificity));
  const winners = fitting.filter((matcher) => matcher.specificity === best);
  return winners.length === 1 && winners[0] ? winners[0].job.id : null;
}

/** Name matchers for every job of a workflow file. */
export function workflowMatchers(file: WorkflowFile): NameMatcher[] {
  return file.jobs.map(nameMatcher);
}

function byStartThenOrder(jobs: readonly GraphJob[]): GraphJob[] {
  return jobs
    .map((job, order) => ({ job, order }))
    .sort(
      (left, right) =>
        (left.job.startedAt ?? Infinity) - (right.job.startedAt ?? Infinity) ||
        left.order - right.order,
    )
    .map(({ job }) => job);
}

/**
 * Fallback without a readable workflow file: jobs in start order, grouped into layers — a job
 * that started after every job of the current layer finished opens the next layer and needs
 * all of the current one; jobs that overlapped in time sit side by side. Jobs that have not
 * started come last. Sequential jobs thus form the linear chain GitHub's order suggests.
 */
function timingGraph(jobs: readonly GraphJob[]): Map<string, GraphPlacement> {
  const layers: GraphJob[][] = [];
  const waiting: GraphJob[] = [];
  for (const job of byStartThenOrder(jobs)) {
    const start = job.startedAt;
    if (start === null) {
      waiting.push(job);
      continue;
    }
    const current = layers[layers.length - 1];
    const currentDone =
      current !== undefined &&
      current.every((member) => member.finishedAt !== null && member.finishedAt <= start);
    if (current === undefined || currentDone) layers.push([job]);
    else current.push(job);
  }
  if (waiting.length > 0) layers.push(waiting);
  const placements = new Map<string, GraphPlacement>();
  let position = 0;
  layers.forEach((layer, index) => {
    const previous = index > 0 ? (layers[index - 1] ?? []) : [];
    for (const job of layer) {
      placements.set(job.externalId, {
        needs: previous.map((need) => need.externalId),
        position: position++,
        status: job.status,
        workflowJobId: null,
      });
    }
  });
  return placements;
}

function workflowGraph(
  jobs: readonly GraphJob[],
  file: WorkflowFile,
): Map<string, GraphPlacement> | null {
  const matchers = workflowMatchers(file);
  const matched = jobs.map((job) => matchWorkflowJob(job.name, matchers));
  // Nothing fits: the file is probably not the one that ran (pull_request_target reads the base).
  if (matched.every((id) => id === null)) return null;
  const fileOrder = new Map(file.jobs.map((job, index) => [job.id, index]));
  const apiJobsOf = new Map<string, string[]>();
  jobs.forEach((job, index) => {
    const id = matched[index];
    if (id === null || id === undefined) return;
    apiJobsOf.set(id, [...(apiJobsOf.get(id) ?? []), job.externalId]);
  });
  const ordered = jobs
    .map((job, index) => ({ job, index, id: matched[index] ?? null }))
    .sort(
      (left, right) =>
        (left.id === null ? Infinity : (fileOrder.get(left.id) ?? Infinity)) -
          (right.id === null ? Infinity : (fileOrder.get(right.id) ?? Infinity)) ||
        left.index - right.index,
    );
  const placements = new Map<string, GraphPlacement>();
  ordered.forEach(({ job, id }, position) => {
    const definition = id === null ? undefined : file.jobs.find((candidate) => candidate.id === id);
    const needs = (definition?.needs ?? [])
      .flatMap((need) => apiJobsOf.get(need) ?? [])
      .filter((need) => need !== job.externalId);
    placements.set(job.externalId, { needs, position, status: job.status, workflowJobId: id });
  });
  return placements;
}

/**
 * Jobs that will not run because a job they need failed are `blocked`, not `skipped` or
 * `queued` — except queued jobs whose `if:` runs them after failures too.
 */
function markBlocked(placements: Map<string, GraphPlacement>, file: WorkflowFile | null): void {
  const runsAfterFailure = new Set(
    (file?.jobs ?? []).filter((job) => job.runsAfterFailure).map((job) => job.id),
  );
  let changed = true;
  while (changed) {
    changed = false;
    for (const placement of placements.values()) {
      const mayBlock =
        placement.status === 'skipped' ||
        (placement.status === 'queued' &&
          !(placement.workflowJobId !== null && runsAfterFailure.has(placement.workflowJobId)));
      if (!mayBlock) continue;
      const needFailed = placement.needs.some((need) => {
        const status = placements.get(need)?.status;
        return status === 'failed' || status === 'blocked';
      });
      if (needFailed) {
        placement.status = 'blocked';
        changed = true;
      }
    }
  }
}

/**
 * The graph of one run: edges from the workflow file's `needs:` when the file is known and its
 * jobs match the API's job names, otherwise from start times.
 */
export function deriveJobGraph(jobs: readonly GraphJob[], file: WorkflowFile | null): JobGraph {
  const fromFile = file ? workflowGraph(jobs, file) : null;
  const placements = fromFile ?? timingGraph(jobs);
  markBlocked(placements, fromFile ? file : null);
  return { basis: fromFile ? 'workflow' : 'timing', placements };
}
