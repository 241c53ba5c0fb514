import { describe, expect, it } from 'vitest';
import type { Stage } from '../../src/shared/model';
import type { Status } from '../../src/shared/status';
import {
  groupMatrixJobs,
  groupStatus,
  matrixBaseName,
} from '../../src/renderer/src/graph/job-groups';
import { groupProgress } from '../../src/renderer/src/graph/stage-node';
import { toFlow } from '../../src/renderer/src/graph/to-flow';
import { catalogBuild } from './renderer-factories';

function stage(
  externalId: string,
  name: string,
  needs: string[],
  status: Status,
  position: number,
) {
  const base = catalogBuild(1, ['success']).stages[0]!;
  return {
    ...base,
    id: position * 100 + externalId.length,
    externalId,
    name,
    needs,
    status,
    position,
  } as Stage;
}

/** build → test (node 18..24, 4 versions, one failed) → deploy. */
function matrixBuild(): Stage[] {
  const versions = ['18', '20', '22', '24'];
  return [
    stage('build', 'build', [], 'success', 0),
    ...versions.map((version, index) =>
      stage(
        `test-${version}`,
        `test (node ${version})`,
        ['build'],
        version === '22' ? 'failed' : 'success',
        1 + index,
      ),
    ),
    stage(
      'deploy',
      'deploy',
      versions.map((version) => `test-${version}`),
      'blocked',
      5,
    ),
  ];
}

describe('matrix jobs', () => {
  it('are recognised by the names GitHub and GitLab give them', () => {
    expect(matrixBaseName('test (node 20, ubuntu-latest)')).toBe('test');
    expect(matrixBaseName('rspec 3/20')).toBe('rspec');
    expect(matrixBaseName('performance-tests')).toBeNull();
  });

  it('are drawn as one node that needs what its jobs need and is needed by their dependents', () => {
    const { stages, groups, groupOf } = groupMatrixJobs(matrixBuild());
    expect(stages.map((each) => each.externalId)).toEqual(['build', 'group:test', 'deploy']);
    const test = stages[1]!;
    expect(test).toMatchObject({ name: 'test', status: 'failed', needs: ['build'], position: 1 });
    expect(stages[2]!.needs).toEqual(['group:test']);
    expect(groups.get('group:test')!.counts).toEqual({ success: 3, failed: 1 });
    expect(groupOf.get('test-22')).toBe('group:test');
  });

  it('leave builds without a matrix (or with a small one) as they are', () => {
    const { stages } = catalogBuild(121, ['success', 'failed']);
    expect(groupMatrixJobs(stages).stages).toEqual(stages);
    const three = matrixBuild().filter((each) => each.externalId !== 'test-24');
    expect(groupMatrixJobs(three).groups.size).toBe(0);
  });

  it('take one status: the shared one, else failure first, then what still moves', () => {
    expect(groupStatus(['blocked', 'blocked'])).toBe('blocked');
    expect(groupStatus(['success', 'failed', 'running'])).toBe('failed');
    expect(groupStatus(['success', 'running', 'queued'])).toBe('running');
    expect(groupStatus(['success', 'skipped'])).toBe('skipped');
  });

  it('show how many jobs failed or passed, and the failure path runs through the group', () => {
    const { stages, groups } = groupMatrixJobs(matrixBuild());
    const group = groups.get('group:test')!;
    expect(groupProgress(group)).toEqual({ text: '1 failed', words: '4 jobs: 3 passed, 1 failed' });
    const { nodes, edges } = toFlow(stages, [], null, undefined, groups);
    expect(nodes.find((node) => node.id === 'group:test')!.data).toMatchObject({
      emphasis: 'failed',
      group: { name: 'test' },
    });
    expect(edges.map((edge) => edge.id)).toEqual(['build->group:test', 'group:test->deploy']);
  });
});
