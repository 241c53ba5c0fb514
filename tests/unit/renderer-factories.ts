import type { Build, BuildDetail, Gate, Stage } from '../../src/shared/model';
import type { Status } from '../../src/shared/status';

/** The Catalog pipeline's stages, in order (Building Microservices, ch. 7). */
export const CATALOG_STAGES = [
  'compile',
  'fast-tests',
  'slow-tests',
  'performance-tests',
  'uat',
  'production',
] as const;

const T0 = Date.parse('2025-03-01T10:00:00Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

/** A build whose stages ran one after another, each `stageSeconds` long, with these statuses. */
export function catalogBuild(
  number: number,
  statuses: readonly Status[],
  stageSeconds = 60,
): { build: Build; stages: Stage[] } {
  let clock = 0;
  const stages = CATALOG_STAGES.map((name, position): Stage => {
    const status = statuses[position] ?? 'queued';
    const ran = status === 'success' || status === 'failed' || status === 'running';
    const startedAt = ran || status === 'waiting' ? at(clock) : null;
    const finishedAt = ran && status !== 'running' ? at(clock + stageSeconds) : null;
    if (ran) clock += stageSeconds;
    return {
      id: number * 10 + position,
      buildId: number,
      externalId: name,
      name,
      position,
      status,
      statusDetail: null,
      startedAt,
      finishedAt,
      webUrl: null,
      isGate: name === 'production',
      needs: position === 0 ? [] : [CATALOG_STAGES[position - 1]!],
      hasLog: false,
      steps: [],
    };
  });
  const build: Build = {
    id: number,
    pipelineId: 1,
    externalId: String(number),
    number,
    attempt: 1,
    status: rollUp(statuses),
    statusDetail: null,
    branch: 'main',
    commitSha: 'a1b2c3d4e5f6a7b8c9d0',
    commitMessage: 'Change the catalog',
    author: 'alice',
    trigger: 'push',
    createdAt: at(0),
    startedAt: at(0),
    finishedAt:
      statuses.includes('failed') || statuses.every((s) => s === 'success') ? at(clock) : null,
    webUrl: null,
  };
  return { build, stages };
}

function rollUp(statuses: readonly Status[]): Status {
  if (statuses.includes('failed')) return 'failed';
  if (statuses.includes('running')) return 'running';
  if (statuses.includes('waiting')) return 'waiting';
  return 'success';
}

/** A production gate of a build. */
export function productionGate(buildId: number, overrides: Partial<Gate> = {}): Gate {
  return {
    id: 7,
    buildId,
    stageExternalId: 'production',
    externalId: 'gate-7',
    name: 'production',
    environment: 'production',
    state: 'waiting',
    canDecide: true,
    approvers: ['release-managers'],
    waitingSince: at(300),
    expiresAt: null,
    decidedBy: null,
    decidedAt: null,
    comment: null,
    fields: [],
    detail: null,
    ...overrides,
  };
}

/** A build detail as `builds/get` answers it. */
export function catalogDetail(
  number: number,
  statuses: readonly Status[],
  gates: Gate[] = [],
): BuildDetail {
  const { build, stages } = catalogBuild(number, statuses);
  return {
    build,
    pipeline: { id: 1, sourceId: 1, externalId: 'catalog', name: 'Catalog', webUrl: null },
    stages,
    gates,
  };
}

/** The time the factories' builds started, for `now` arguments. */
export const CATALOG_START = T0;
