import { describe, expect, it, vi } from 'vitest';
import type { Stage } from '../../src/shared/model';
import type { Status } from '../../src/shared/status';
import { propagateBlocked } from '../../src/renderer/src/graph/blocked';
import { failurePath } from '../../src/renderer/src/graph/failure-path';
import { layoutStages } from '../../src/renderer/src/graph/layout';
import { createLayoutClient, type LayoutWorker } from '../../src/renderer/src/graph/layout-client';
import type { LayoutRequest, LayoutResponse } from '../../src/renderer/src/graph/layout-protocol';
import { stageEdges } from '../../src/renderer/src/graph/stage-edges';
import { edgeState, layoutInput, toFlow } from '../../src/renderer/src/graph/to-flow';
import { reuseUnchanged } from '../../src/renderer/src/graph/use-stable-items';
import { layoutKey } from '../../src/renderer/src/graph/use-stage-layout';
import { hrefFor, parseHashRoute } from '../../src/renderer/src/routing/hash-route';
import { defaultStep } from '../../src/renderer/src/views/pipeline/stage-details';
import { catalogBuild } from './renderer-factories';

const S = 'success';
const F = 'failed';
const B = 'blocked';

/** A stage of a hand-made graph. */
function stage(id: string, needs: string[], status: Status, position = 0): Stage {
  return {
    ...catalogBuild(1, [S]).stages[0]!,
    id: id.length * 100 + position,
    externalId: id,
    name: id,
    needs,
    status,
    position,
  };
}

/** compile → (unit, lint) → package → deploy, with `unit` failed. */
function diamond(): Stage[] {
  return [
    stage('compile', [], S, 0),
    stage('unit', ['compile'], F, 1),
    stage('lint', ['compile'], S, 1),
    stage('package', ['unit', 'lint'], 'skipped', 2),
    stage('deploy', ['package'], 'queued', 3),
  ];
}

describe('where it failed', () => {
  it('build 121: the path runs from compile to performance-tests', () => {
    const { stages } = catalogBuild(121, [S, S, S, F, B, B]);
    const path = failurePath(stages);
    expect([...path.failed]).toEqual(['performance-tests']);
    expect([...path.stages].sort()).toEqual([
      'compile',
      'fast-tests',
      'performance-tests',
      'slow-tests',
    ]);
    expect([...path.edges].sort()).toEqual([
      'compile->fast-tests',
      'fast-tests->slow-tests',
      'slow-tests->performance-tests',
    ]);
  });

  it('leaves a parallel branch that did not lead to the failure off the path', () => {
    const path = failurePath(diamond());
    expect([...path.stages].sort()).toEqual(['compile', 'unit']);
    expect([...path.edges]).toEqual(['compile->unit']);
  });

  it('has no path when nothing failed', () => {
    expect(failurePath(catalogBuild(122, [S, S, S, S, S, 'waiting']).stages).stages.size).toBe(0);
  });

  it('marks the failed stage, the path and the rest on the nodes and edges', () => {
    const { stages } = catalogBuild(121, [S, S, S, F, B, B]);
    const { nodes, edges } = toFlow(stages, [], null);
    const emphasis = Object.fromEntries(nodes.map((node) => [node.id, node.data.emphasis]));
    expect(emphasis).toEqual({
      compile: 'path',
      'fast-tests': 'path',
      'slow-tests': 'path',
      'performance-tests': 'failed',
      uat: 'off-path',
      production: 'off-path',
    });
    const onPath = edges.filter((edge) => edge.className?.includes('edge--failure-path'));
    expect(onPath.map((edge) => edge.id)).toEqual([
      'compile->fast-tests',
      'fast-tests->slow-tests',
      'slow-tests->performance-tests',
    ]);
    expect(toFlow(catalogBuild(122, [S, S]).stages, [], null).nodes[0]!.data.emphasis).toBeNull();
  });

  it('colours edges by what flowed along them', () => {
    expect(edgeState('success', 'success')).toBe('done');
    expect(edgeState('success', 'failed')).toBe('done');
    expect(edgeState('failed', 'blocked')).toBe('failed');
    expect(edgeState('success', 'running')).toBe('active');
    expect(edgeState('success', 'waiting')).toBe('waiting');
    expect(edgeState('blocked', 'blocked')).toBe('idle');
    expect(edgeState('queued', 'queued')).toBe('idle');
  });
});

describe('blocked stages', () => {
  it('are every never-started stage downstream of a failure, whatever the provider called them', () => {
    const shown = propagateBlocked(diamond(), false);
    expect(shown.map((each) => each.status)).toEqual([S, F, S, B, B]);
  });

  it('are not stages on another branch that is still to run', () => {
    const stages = [
      stage('compile', [], S, 0),
      stage('unit', ['compile'], F, 1),
      stage('docs', ['compile'], 'queued', 1),
    ];
    expect(propagateBlocked(stages, false).map((each) => each.status)).toEqual([S, F, 'queued']);
  });
});

describe('edges and layout', () => {
  it('chain stages by position when no stage names what it needs', () => {
    const edges = stageEdges([
      { id: 'deploy', needs: [], position: 2 },
      { id: 'build', needs: [], position: 0 },
      { id: 'test', needs: [], position: 1 },
    ]);
    expect(edges.map((edge) => edge.id)).toEqual(['build->test', 'test->deploy']);
  });

  it('has the same key for the same shape whatever the statuses, another for another shape', () => {
    const failed = layoutInput(catalogBuild(121, [S, S, S, F, B, B]).stages);
    const passed = layoutInput(catalogBuild(123, [S, S, S, S, S, S]).stages);
    expect(layoutKey(failed)).toBe(layoutKey(passed));
    expect(layoutKey(failed)).not.toBe(layoutKey(failed.slice(1)));
  });

  it('keeps the node objects whose content did not change, so only changed nodes re-render', () => {
    const before = toFlow(catalogBuild(124, [S, S, 'running', 'queued']).stages, [], null).nodes;
    const first = reuseUnchanged({ source: null, items: [], byId: new Map() }, before);
    const after = toFlow(catalogBuild(124, [S, S, S, 'running']).stages, [], null).nodes;
    const second = reuseUnchanged(first, after);
    const kept = second.items.map((node, index) => node === first.items[index]);
    expect(kept).toEqual([true, true, false, false, true, true]);
    const third = reuseUnchanged(
      second,
      toFlow(catalogBuild(124, [S, S, S, 'running']).stages, [], null).nodes,
    );
    expect(third.items).toBe(second.items);
  });
});

describe('layout off the main thread', () => {
  /** A worker that lays out on the next tick, like the real one, or fails on demand. */
  function fakeWorker(options: { fail?: boolean } = {}) {
    const listeners: Record<string, Array<(event: never) => void>> = {};
    const posted: LayoutRequest[] = [];
    const worker: LayoutWorker = {
      postMessage(request) {
        posted.push(request);
        setTimeout(() => {
          if (options.fail) {
            for (const listener of listeners['error'] ?? []) listener(new Error('boom') as never);
            return;
          }
          const data: LayoutResponse = {
            id: request.id,
            positions: [...layoutStages(request.stages)],
          };
          for (const listener of listeners['message'] ?? []) listener({ data } as never);
        }, 0);
      },
      addEventListener(type: string, listener: (event: never) => void) {
        (listeners[type] ??= []).push(listener);
      },
      terminate: vi.fn(),
    } as LayoutWorker;
    return { worker, posted };
  }

  const stages = layoutInput(catalogBuild(121, [S, S, S, F, B, B]).stages);

  it('answers with the same positions as the main-thread layout', async () => {
    const { worker, posted } = fakeWorker();
    const client = createLayoutClient(() => worker);
    const positions = await client.layout(stages);
    expect(posted).toHaveLength(1);
    expect([...positions]).toEqual([...layoutStages(stages)]);
  });

  it('falls back to the main thread when the worker fails or cannot start', async () => {
    const failing = fakeWorker({ fail: true });
    const client = createLayoutClient(() => failing.worker);
    expect([...(await client.layout(stages))]).toEqual([...layoutStages(stages)]);
    expect(failing.worker.terminate).toHaveBeenCalled();
    await client.layout(stages);
    expect(failing.posted).toHaveLength(1);

    const refused = createLayoutClient(() => {
      throw new Error('Refused to create a worker: Content Security Policy');
    });
    expect([...(await refused.layout(stages))]).toEqual([...layoutStages(stages)]);
  });
});

describe('stage details', () => {
  it('select the failing step first, else the running one', () => {
    const steps = [{ ...step(1, 'success') }, { ...step(2, 'failed') }, { ...step(3, 'skipped') }];
    expect(defaultStep(steps)?.number).toBe(2);
    expect(defaultStep([step(1, 'success'), step(2, 'running')])?.number).toBe(2);
    expect(defaultStep([step(1, 'success')])).toBeNull();
  });

  it('link a step to its log and a stage deep link back to the pipeline view', () => {
    const log = {
      view: 'log',
      pipelineId: 1,
      buildId: 2,
      stageId: 10,
      stepId: 26,
      line: null,
    } as const;
    expect(hrefFor(log)).toBe('#/pipelines/1/builds/2/stages/10/steps/26/log');
    expect(parseHashRoute(hrefFor(log))).toEqual(log);
    const deep = { view: 'pipeline', pipelineId: 1, buildId: 2, stageId: 10 } as const;
    expect(hrefFor(deep)).toBe('#/pipelines/1/builds/2/stages/10');
    expect(parseHashRoute(hrefFor(deep))).toEqual(deep);
    expect(parseHashRoute('#/pipelines/1/matrix')).toEqual({ view: 'matrix', pipelineId: 1 });
    expect(parseHashRoute('#/pipelines/1/trends')).toEqual({ view: 'trends', pipelineId: 1 });
    expect(parseHashRoute('#/pipelines/1/builds/2/stages/x').view).toBe('not-found');
    expect(parseHashRoute('#/pipelines/1/builds/2/stages/10/steps/26').view).toBe('not-found');
  });
});

function step(number: number, status: Status) {
  return {
    id: number,
    stageId: 1,
    externalId: `step-${number}`,
    number,
    name: `Step ${number}`,
    status,
    statusDetail: null,
    startedAt: null,
    finishedAt: null,
    hasLog: true,
  };
}
