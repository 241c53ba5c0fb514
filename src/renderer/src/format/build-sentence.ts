import type { Build, GateState, StageSummary } from '../../../shared/model';
import { assertNever, type Status } from '../../../shared/status';
import { formatDuration, parseTime } from './duration';

/** What the sentence needs of a build: its status and times. */
export type SentenceBuild = Pick<Build, 'status' | 'createdAt' | 'startedAt' | 'finishedAt'> &
  Partial<Pick<Build, 'statusDetail'>>;
/** What the sentence needs of a stage. */
export type SentenceStage = Pick<
  StageSummary,
  'externalId' | 'name' | 'position' | 'status' | 'startedAt' | 'finishedAt'
>;
/** What the sentence needs of a gate. */
export type SentenceGate = {
  stageExternalId: string | null;
  name: string;
  state: GateState;
  decidedBy: string | null;
};

/** Stages that never got to run: after a failure, or pruned by the provider. */
const NOT_RUN: readonly Status[] = ['blocked', 'skipped', 'cancelled'];

/**
 * One line that says where a build stands, in words: "Failed at performance-tests after 4m12s —
 * stages uat, production did not run", "Waiting for approval at production". Pure: `now` is
 * given.
 */
export function describeBuild(
  build: SentenceBuild,
  stages: readonly SentenceStage[],
  now: number,
  gates: readonly SentenceGate[] = [],
): string {
  const ordered = [...stages].sort((a, b) => a.position - b.position);
  const named = (status: Status): string[] =>
    ordered.filter((stage) => stage.status === status).map((stage) => stage.name);
  const notRun = ordered
    .filter(
      (stage) =>
        NOT_RUN.includes(stage.status) || (isOver(build.status) && stage.status === 'queued'),
    )
    .map((stage) => stage.name);
  const didNotRun =
    notRun.length > 0
      ? ` — ${notRun.length === 1 ? 'stage' : 'stages'} ${list(notRun)} did not run`
      : '';
  const start = buildStart(build, ordered);

  const rejected = gates.find((gate) => gate.state === 'rejected');
  if (rejected && isOver(build.status)) {
    const where = gateStageName(rejected, ordered);
    const by = rejected.decidedBy ? ` by ${rejected.decidedBy}` : '';
    return `Rejected at ${where}${by}${didNotRun}`;
  }

  switch (build.status) {
    case 'failed': {
      const failed = ordered.filter((stage) => stage.status === 'failed');
      const end = latest(failed.map((stage) => stage.finishedAt)) ?? parseTime(build.finishedAt);
      const after = start !== null && end !== null ? ` after ${formatDuration(end - start)}` : '';
      // Jenkins' "Unstable" (tests failed, the build went on) says so instead of "Failed".
      const word = build.statusDetail || 'Failed';
      if (failed.length === 0) return `${word}${after}${didNotRun}`;
      return `${word} at ${list(failed.map((stage) => stage.name))}${after}${didNotRun}`;
    }
    case 'waiting': {
      const waiting = named('waiting');
      const pending = gates.filter((gate) => gate.state === 'waiting');
      const where =
        waiting.length > 0 ? waiting : pending.map((gate) => gateStageName(gate, ordered));
      return where.length > 0 ? `Waiting for approval at ${list(where)}` : 'Waiting for approval';
    }
    case 'running': {
      const running = named('running');
      const done = ordered.filter((stage) => isOver(stage.status)).length;
      const progress = ordered.length > 0 ? ` — ${done} of ${ordered.length} stages done` : '';
      const what = running.length > 0 ? `Running ${list(running)}` : 'Running';
      const soFar = start !== null ? `, ${formatDuration(now - start)} so far` : '';
      return `${what}${progress}${soFar}`;
    }
    case 'queued':
      return 'Queued, not started yet';
    case 'success': {
      const end = parseTime(build.finishedAt);
      const took = start !== null && end !== null ? ` in ${formatDuration(end - start)}` : '';
      const passed = named('success').length;
      const count = passed === 1 ? ' 1 stage' : passed > 1 ? ` ${passed} stages` : '';
      const skipped = notRun.length > 0 ? ` — ${list(notRun)} skipped` : '';
      return `Passed${count}${took}${skipped}`;
    }
    case 'cancelled': {
      const cancelled = named('cancelled')[0];
      const end = parseTime(build.finishedAt);
      const after = start !== null && end !== null ? ` after ${formatDuration(end - start)}` : '';
      return cancelled ? `Cancelled at ${cancelled}${after}` : `Cancelled${after}`;
    }
    case 'skipped':
      return 'Skipped — nothing ran';
    case 'blocked':
      return `Blocked${didNotRun}`;
    case 'unknown':
      return 'Status unknown';
    default:
      return assertNever(build.status);
  }
}

function isOver(status: Status): boolean {
  return (
    status === 'success' ||
    status === 'failed' ||
    status === 'cancelled' ||
    status === 'skipped' ||
    status === 'blocked'
  );
}

function buildStart(build: SentenceBuild, stages: readonly SentenceStage[]): number | null {
  return (
    parseTime(build.startedAt) ??
    earliest(stages.map((stage) => stage.startedAt)) ??
    parseTime(build.createdAt)
  );
}

function earliest(times: readonly (string | null)[]): number | null {
  const values = times.map(parseTime).filter((time): time is number => time !== null);
  return values.length > 0 ? Math.min(...values) : null;
}

function latest(times: readonly (string | null)[]): number | null {
  const values = times.map(parseTime).filter((time): time is number => time !== null);
  return values.length > 0 ? Math.max(...values) : null;
}

function gateStageName(gate: SentenceGate, stages: readonly SentenceStage[]): string {
  const stage = stages.find((candidate) => candidate.externalId === gate.stageExternalId);
  return stage?.name ?? gate.name;
}

/** Names shown in a sentence before the rest are counted, so a 200-job build stays one line. */
const NAMES_SHOWN = 4;

function list(names: readonly string[]): string {
  if (names.length <= NAMES_SHOWN) return names.join(', ');
  return `${names.slice(0, NAMES_SHOWN - 1).join(', ')} and ${names.length - NAMES_SHOWN + 1} more`;
}
