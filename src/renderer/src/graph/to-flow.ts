import type { Edge, Node } from '@xyflow/react';
import type { Gate, Stage } from '../../../shared/model';
import type { Status } from '../../../shared/status';
import { failurePath } from './failure-path';
import type { JobGroup } from './job-groups';
import { layoutBounds, layoutStages, STAGE_NODE_SIZE, type Point } from './layout';
import { stageEdges } from './stage-edges';

/** How a stage relates to the build's failure, if it failed. */
export type FailureEmphasis = 'failed' | 'path' | 'off-path' | null;

/** What a stage node draws. */
export type StageNodeData = {
  stage: Stage;
  /** The gate guarding this stage, when it is one. */
  gate: Gate | null;
  selected: boolean;
  /** The failed stage stands out, the way to it is emphasised, the rest steps back. */
  emphasis: FailureEmphasis;
  /** The matrix of jobs this node stands for, when it is a group. */
  group: JobGroup | null;
};

/** A React Flow node derived from a stage; the domain model stays the source of truth. */
export type StageFlowNode = Node<StageNodeData, 'stage'>;

/** What flowed along an edge, which decides its colour. */
export type EdgeState = 'done' | 'failed' | 'active' | 'waiting' | 'idle';

/** The layout input of a build's stages. */
export function layoutInput(stages: readonly Stage[]) {
  return stages.map((stage) => ({
    id: stage.externalId,
    needs: stage.needs,
    position: stage.position,
  }));
}

/**
 * Derives React Flow nodes and edges from a build's stages and gates: one node per stage at its
 * laid-out position, one edge per hand-over (`needs`, else the stage order), the failure path,
 * and the area they cover. Pure; `positions` comes from the layout (possibly a worker's).
 */
export function toFlow(
  stages: readonly Stage[],
  gates: readonly Gate[],
  selectedStageId: string | null,
  positions: ReadonlyMap<string, Point> = layoutStages(layoutInput(stages)),
  groups: ReadonlyMap<string, JobGroup> = new Map(),
): { nodes: StageFlowNode[]; edges: Edge[]; bounds: { width: number; height: number } } {
  const byId = new Map(stages.map((stage) => [stage.externalId, stage]));
  const path = failurePath(stages);
  const emphasisOf = (id: string): FailureEmphasis => {
    if (path.failed.size === 0) return null;
    if (path.failed.has(id)) return 'failed';
    return path.stages.has(id) ? 'path' : 'off-path';
  };
  const nodes: StageFlowNode[] = [];
  const placed = new Set<string>();
  for (const stage of stages) {
    const position = positions.get(stage.externalId);
    if (!position || placed.has(stage.externalId)) continue;
    placed.add(stage.externalId);
    nodes.push({
      id: stage.externalId,
      type: 'stage',
      position,
      // Stage nodes are drawn at a fixed size, so they are measured before they are drawn; this
      // keeps the flow "initialized" without echoing React Flow's measurements back as state.
      measured: { width: STAGE_NODE_SIZE.width, height: STAGE_NODE_SIZE.height },
      data: {
        stage,
        gate: gateOf(stage, gates),
        selected: stage.externalId === selectedStageId,
        emphasis: emphasisOf(stage.externalId),
        group: groups.get(stage.externalId) ?? null,
      },
      draggable: false,
      connectable: false,
      selectable: true,
    });
  }
  const edges: Edge[] = [];
  for (const edge of stageEdges(layoutInput(stages))) {
    const from = byId.get(edge.from);
    const to = byId.get(edge.to);
    if (!from || !to || !placed.has(edge.from) || !placed.has(edge.to)) continue;
    const state = edgeState(from.status, to.status);
    const onPath = path.edges.has(edge.id);
    const classes = ['stage-edge', `edge--${state}`];
    if (onPath) classes.push('edge--failure-path');
    // What the failure blocked keeps its red; only branches unrelated to it step back.
    else if (path.failed.size > 0 && state !== 'failed') classes.push('edge--off-path');
    edges.push({
      id: edge.id,
      source: edge.from,
      target: edge.to,
      className: classes.join(' '),
      animated: to.status === 'running',
      focusable: false,
      // Edges on the failure path are drawn above the others where they cross.
      zIndex: onPath ? 1 : 0,
    });
  }
  return { nodes, edges, bounds: layoutBounds(positions) };
}

/**
 * The stage a person most likely wants to see first: the first failure, else the gate waiting
 * for them, else what is running, else the last stage that ran.
 */
export function mostInterestingStage<T extends Pick<Stage, 'position' | 'status' | 'startedAt'>>(
  stages: readonly T[],
): T | null {
  const ordered = [...stages].sort((a, b) => a.position - b.position);
  const first = (status: Status): T | undefined => ordered.find((stage) => stage.status === status);
  return (
    first('failed') ??
    first('waiting') ??
    first('running') ??
    [...ordered].reverse().find((stage) => stage.startedAt !== null) ??
    ordered[0] ??
    null
  );
}

function gateOf(stage: Stage, gates: readonly Gate[]): Gate | null {
  const match = gates.find((gate) => gate.stageExternalId === stage.externalId);
  if (match) return match;
  // A gate the provider did not tie to a stage belongs to the stage marked as the gate.
  if (!stage.isGate) return null;
  return gates.find((gate) => gate.stageExternalId === null) ?? null;
}

/**
 * The colour of a hand-over is what flowed along it: a passed stage hands over green, a failed
 * one passes its failure on (red) to the stages it blocked; an edge into a running stage is
 * live, into a waiting gate it waits.
 */
export function edgeState(from: Status, to: Status): EdgeState {
  if (to === 'running') return 'active';
  if (to === 'waiting') return 'waiting';
  if (from === 'failed') return 'failed';
  if (from === 'success' && to !== 'blocked' && to !== 'skipped') return 'done';
  return 'idle';
}
