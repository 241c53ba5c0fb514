import { describe, expect, it } from 'vitest';
import {
  graphBoxHeight,
  layoutBounds,
  layoutStages,
  STAGE_NODE_SIZE,
} from '../../src/renderer/src/graph/layout';
import { mostInterestingStage, toFlow } from '../../src/renderer/src/graph/to-flow';
import { catalogBuild, productionGate } from './renderer-factories';

const S = 'success';
const F = 'failed';
const B = 'blocked';

describe('stage graph layout', () => {
  it('lays the Catalog pipeline out left to right in stage order, on one row', () => {
    const { stages } = catalogBuild(121, [S, S, S, F, B, B]);
    const positions = layoutStages(
      stages.map((stage) => ({
        id: stage.externalId,
        needs: stage.needs,
        position: stage.position,
      })),
    );
    const xs = stages.map((stage) => positions.get(stage.externalId)!.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(6);
    expect(new Set(stages.map((stage) => positions.get(stage.externalId)!.y)).size).toBe(1);
  });

  it('stacks stages that need the same stage in one column and joins them after', () => {
    const positions = layoutStages([
      { id: 'compile', needs: [], position: 0 },
      { id: 'unit', needs: ['compile'], position: 1 },
      { id: 'lint', needs: ['compile'], position: 2 },
      { id: 'deploy', needs: ['unit', 'lint'], position: 3 },
    ]);
    const unit = positions.get('unit')!;
    const lint = positions.get('lint')!;
    expect(unit.x).toBe(lint.x);
    expect(Math.abs(unit.y - lint.y)).toBeGreaterThanOrEqual(STAGE_NODE_SIZE.height);
    expect(positions.get('compile')!.x).toBeLessThan(unit.x);
    expect(positions.get('deploy')!.x).toBeGreaterThan(unit.x);
  });

  it('orders stages by position when the provider gives no needs at all', () => {
    const positions = layoutStages([
      { id: 'deploy', needs: [], position: 2 },
      { id: 'build', needs: [], position: 0 },
      { id: 'test', needs: [], position: 1 },
    ]);
    expect(positions.get('build')!.x).toBeLessThan(positions.get('test')!.x);
    expect(positions.get('test')!.x).toBeLessThan(positions.get('deploy')!.x);
  });

  it('ignores needs on stages it does not know and duplicate stage ids', () => {
    const positions = layoutStages([
      { id: 'a', needs: ['ghost'], position: 0 },
      { id: 'b', needs: ['a'], position: 1 },
      { id: 'b', needs: [], position: 2 },
    ]);
    expect([...positions.keys()]).toEqual(['a', 'b']);
    expect(positions.get('a')!.x).toBeLessThan(positions.get('b')!.x);
  });

  it('gives the same positions for the same stages', () => {
    const stages = [
      { id: 'a', needs: [], position: 0 },
      { id: 'b', needs: ['a'], position: 1 },
      { id: 'c', needs: ['a'], position: 2 },
    ];
    expect([...layoutStages(stages)]).toEqual([...layoutStages(stages)]);
  });

  it('sizes the graph box to the fitted graph, within limits', () => {
    const row = { width: 1400, height: STAGE_NODE_SIZE.height };
    expect(graphBoxHeight(row, 1000)).toBe(160);
    const tall = { width: 400, height: 900 };
    expect(graphBoxHeight(tall, 1000)).toBe(520);
    const medium = { width: 500, height: 300 };
    expect(graphBoxHeight(medium, 1000)).toBe(348);
    expect(layoutBounds(new Map())).toEqual({ width: 0, height: 0 });
  });
});

describe('React Flow nodes from a build', () => {
  it('makes one node per stage and one edge per need, with the gate on production', () => {
    const { stages } = catalogBuild(122, [S, S, S, S, S, 'waiting']);
    const gate = productionGate(122);
    const { nodes, edges } = toFlow(stages, [gate], 'production');
    expect(nodes.map((node) => node.id)).toEqual([
      'compile',
      'fast-tests',
      'slow-tests',
      'performance-tests',
      'uat',
      'production',
    ]);
    expect(nodes.every((node) => node.type === 'stage')).toBe(true);
    expect(edges.map((edge) => edge.id)).toContain('uat->production');
    expect(edges).toHaveLength(5);
    const production = nodes.find((node) => node.id === 'production')!;
    expect(production.data.gate).toBe(gate);
    expect(production.data.selected).toBe(true);
    expect(nodes.find((node) => node.id === 'uat')!.data.gate).toBeNull();
  });

  it('colours each edge by what flowed along it: passed green, the failure on to what it blocked', () => {
    const { stages } = catalogBuild(121, [S, S, S, F, B, B]);
    const { edges } = toFlow(stages, [], null);
    const byId = new Map(edges.map((edge) => [edge.id, edge.className]));
    expect(byId.get('compile->fast-tests')).toContain('edge--done');
    expect(byId.get('slow-tests->performance-tests')).toContain('edge--done');
    expect(byId.get('performance-tests->uat')).toContain('edge--failed');
    expect(byId.get('uat->production')).toContain('edge--idle');
  });

  it('opens the failed stage first, else the waiting gate, else the running stage', () => {
    expect(mostInterestingStage(catalogBuild(121, [S, S, S, F, B, B]).stages)?.name).toBe(
      'performance-tests',
    );
    expect(mostInterestingStage(catalogBuild(122, [S, S, S, S, S, 'waiting']).stages)?.name).toBe(
      'production',
    );
    expect(
      mostInterestingStage(catalogBuild(58, [S, 'running', 'queued', 'queued']).stages)?.name,
    ).toBe('fast-tests');
    expect(mostInterestingStage(catalogBuild(119, [S, S, S, S, S, S]).stages)?.name).toBe(
      'production',
    );
    expect(mostInterestingStage([])).toBeNull();
  });
});
