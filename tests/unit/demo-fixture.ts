import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoSource } from '../../src/main/sources/demo/demo-source';
import { demoOptionsSchema, type DemoOptions } from '../../src/main/sources/demo/demo-options';
import type {
  BuildSnapshot,
  CiSource,
  GateRef,
  PollSnapshot,
  LogRef,
} from '../../src/main/sources/source';
import type { Status } from '../../src/shared/status';

/** The moment the demo first runs in these tests. */
export const EPOCH = Date.UTC(2026, 10, 29, 10, 0, 0);

/** A clock that moves only when the test says so. */
export interface TestClock {
  readonly now: () => number;
  advanceSeconds(seconds: number): void;
  set(time: number): void;
}

export function testClock(start = EPOCH): TestClock {
  let time = start;
  return {
    now: () => time,
    advanceSeconds: (seconds) => {
      time += seconds * 1000;
    },
    set: (value) => {
      time = value;
    },
  };
}

/** A temporary state folder per test, removed afterwards. */
export function temporaryFolder(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'pipewatch-demo-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function demoSource(
  stateDirectory: string,
  clock: TestClock,
  options: Partial<DemoOptions> = {},
  actor = 'alice',
): CiSource {
  return createDemoSource({
    options: demoOptionsSchema.parse(options),
    stateDirectory,
    now: clock.now,
    actor,
  });
}

export function poll(
  source: CiSource,
  knownFinishedBuilds: ReadonlySet<string> = new Set(),
): Promise<PollSnapshot> {
  return source.poll({ signal: new AbortController().signal, knownFinishedBuilds });
}

export function buildOf(snapshot: PollSnapshot, number: number): BuildSnapshot {
  const build = snapshot.builds.find((candidate) => candidate.number === number);
  if (!build) throw new Error(`build ${number} is not in the snapshot`);
  return build;
}

export function stageStatuses(build: BuildSnapshot): Record<string, Status> {
  return Object.fromEntries(build.stages.map((stage) => [stage.externalId, stage.status]));
}

export function productionGate(build: number): GateRef {
  return {
    pipelineExternalId: 'catalog',
    buildExternalId: String(build),
    gateExternalId: 'production',
  };
}

export function stepRef(build: number, stage: string, step: string): LogRef {
  return {
    pipelineExternalId: 'catalog',
    buildExternalId: String(build),
    stageExternalId: stage,
    stepExternalId: step,
  };
}
