import { describe, expect, it } from 'vitest';
import type { Status } from '../../src/shared/status';
import { describeBuild } from '../../src/renderer/src/format/build-sentence';
import { CATALOG_START, catalogBuild, productionGate } from './renderer-factories';

const S = 'success';
const F = 'failed';
const B = 'blocked';
const later = CATALOG_START + 3_600_000;

describe('the one-line build summary', () => {
  it('build 121 says it failed at performance-tests after 4m12s and what did not run', () => {
    const { build, stages } = catalogBuild(121, [S, S, S, F, B, B], 63);
    expect(describeBuild(build, stages, later)).toBe(
      'Failed at performance-tests after 4m12s — stages uat, production did not run',
    );
  });

  it('an unstable build says "Unstable at" rather than "Failed at"', () => {
    const { build, stages } = catalogBuild(121, [S, S, S, F, S, S], 63);
    expect(describeBuild({ ...build, statusDetail: 'Unstable' }, stages, later)).toMatch(
      /^Unstable at performance-tests after /,
    );
  });

  it('build 120 says it failed at fast-tests and lists every stage after it', () => {
    const { build, stages } = catalogBuild(120, [S, F, B, B, B, B], 30);
    expect(describeBuild(build, stages, later)).toBe(
      'Failed at fast-tests after 1m00s — stages slow-tests, performance-tests, uat, production did not run',
    );
  });

  it('counts the stages that did not run beyond the first few, so a 200-job build stays one line', () => {
    const { build, stages } = catalogBuild(130, [S, F]);
    const shards = Array.from({ length: 40 }, (_, index) => ({
      ...stages[2]!,
      externalId: `shard-${index}`,
      name: `test (shard ${index})`,
      position: 2 + index,
      status: B as Status,
    }));
    expect(describeBuild(build, [stages[0]!, stages[1]!, ...shards], later)).toBe(
      'Failed at fast-tests after 2m00s — stages test (shard 0), test (shard 1), test (shard 2) and 37 more did not run',
    );
  });

  it('build 122 says it is waiting for approval at production', () => {
    const { build, stages } = catalogBuild(122, [S, S, S, S, S, 'waiting']);
    expect(describeBuild(build, stages, later, [productionGate(122)])).toBe(
      'Waiting for approval at production',
    );
  });

  it('names the gate when the provider reports no waiting stage', () => {
    const { build, stages } = catalogBuild(122, [S, S, S, S, S, 'queued']);
    const waiting = { ...build, status: 'waiting' as const };
    expect(describeBuild(waiting, stages, later, [productionGate(122)])).toBe(
      'Waiting for approval at production',
    );
  });

  it('reads stages in position order, whatever order they arrive in', () => {
    const { build, stages } = catalogBuild(121, [S, S, S, F, B, B], 63);
    expect(describeBuild(build, [...stages].reverse(), later)).toContain('uat, production');
  });

  it('a running build says what runs, how far it got and for how long', () => {
    const { build, stages } = catalogBuild(58, [S, S, 'running', 'queued', 'queued', 'queued']);
    expect(describeBuild(build, stages, CATALOG_START + 150_000)).toBe(
      'Running slow-tests — 2 of 6 stages done, 2m30s so far',
    );
  });

  it('a passed build says how many stages passed and how long it took', () => {
    const { build, stages } = catalogBuild(119, [S, S, S, S, S, S], 60);
    expect(describeBuild(build, stages, later)).toBe('Passed 6 stages in 6m00s');
  });

  it('a rejected gate says who rejected it', () => {
    const { build, stages } = catalogBuild(123, [S, S, S, S, S, 'cancelled']);
    const finished = { ...build, status: 'cancelled' as const, finishedAt: build.createdAt };
    const gate = productionGate(123, { state: 'rejected', decidedBy: 'bob' });
    expect(describeBuild(finished, stages, later, [gate])).toBe(
      'Rejected at production by bob — stage production did not run',
    );
  });

  it('a build without stages still gets a sentence', () => {
    const { build } = catalogBuild(1, []);
    expect(describeBuild({ ...build, status: 'queued' }, [], later)).toBe(
      'Queued, not started yet',
    );
  });
});
