import { assertNever, type Status } from '../../../shared/status';
import type { BuildbotBuild, BuildbotBuildRequest, BuildbotStep } from './buildbot-wire';

/** Buildbot's result codes (`buildbot.process.results`), by name. */
export type BuildbotResult =
  'SUCCESS' | 'WARNINGS' | 'FAILURE' | 'SKIPPED' | 'EXCEPTION' | 'RETRY' | 'CANCELLED' | 'OTHER';

const RESULT_NAMES: readonly BuildbotResult[] = [
  'SUCCESS',
  'WARNINGS',
  'FAILURE',
  'SKIPPED',
  'EXCEPTION',
  'RETRY',
  'CANCELLED',
];

/** The name of a result code; a code this version does not know is 'OTHER'. */
export function resultName(code: number): BuildbotResult {
  return RESULT_NAMES[code] ?? 'OTHER';
}

/**
 * A finished result in the one vocabulary. WARNINGS counts as success: the build passed and
 * Buildbot colours it orange only to draw the eye. EXCEPTION (the build broke, not the code)
 * counts as failed. RETRY means Buildbot put the request back in the queue.
 */
export function resultStatus(code: number | null | undefined): Status {
  if (code === null || code === undefined) return 'unknown';
  const name = resultName(code);
  switch (name) {
    case 'SUCCESS':
    case 'WARNINGS':
      return 'success';
    case 'FAILURE':
    case 'EXCEPTION':
      return 'failed';
    case 'SKIPPED':
      return 'skipped';
    case 'RETRY':
      return 'queued';
    case 'CANCELLED':
      return 'cancelled';
    case 'OTHER':
      return 'unknown';
    default:
      return assertNever(name);
  }
}

/**
 * Buildbot's word where the status loses it: "Warnings" (passed, orange on the server),
 * "Exception" (the build broke, not the code). Null for other results and unfinished work.
 */
export function resultDetail(code: number | null | undefined): string | null {
  if (code === null || code === undefined) return null;
  const name = resultName(code);
  if (name === 'WARNINGS') return 'Warnings';
  if (name === 'EXCEPTION') return 'Exception';
  return null;
}

/** A build: running until `complete`, then its result. */
export function buildStatus(build: BuildbotBuild): Status {
  return build.complete ? resultStatus(build.results) : 'running';
}

/**
 * A build request and its builds (oldest first): the newest build speaks for it; without one the
 * request waits in the queue, or (complete) was cancelled or merged into another before it started.
 */
export function requestStatus(
  request: BuildbotBuildRequest | null,
  builds: readonly BuildbotBuild[],
): Status {
  const latest = builds[builds.length - 1];
  if (latest) {
    const status = buildStatus(latest);
    // A RETRY build sends its request back to the queue; the request's own end wins once it has one.
    if (latest.complete && resultName(latest.results ?? -1) === 'RETRY' && request?.complete) {
      return resultStatus(request.results);
    }
    return status;
  }
  if (request?.complete) return resultStatus(request.results);
  return 'queued';
}

/** A step of a build: not started yet is queued, or skipped once its build has finished. */
export function stepStatus(step: BuildbotStep, buildComplete: boolean): Status {
  if (step.complete) return resultStatus(step.results);
  if (step.started_at !== null && step.started_at !== undefined) {
    return buildComplete ? 'unknown' : 'running';
  }
  return buildComplete ? 'skipped' : 'queued';
}
