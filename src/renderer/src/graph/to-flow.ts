import type { Edge, Node } from '@xyflow/react';
import type { Gate, Stage } from '../../../shared/model';
import type { Status } from '../../../shared/status';
import { layoutBounds, layoutStages, STAGE_NODE_SIZE } from './layout';

/** What a stage node draws. */
export type StageNodeData = {
  stage: Stage;
  /** The gate guarding this stage, when it is one. */
  gate: Gate | null;
  selected: boolean;
};

/** A React Flow node derived from a stage; the domain model stays the source of truth. */
export type StageFlowNode = Node<StageNodeData, 'stage'>;

/**
 * Derives React Flow nodes and edges from a build's stages and gates: one node per stage at its
 * laid-out position, one edge per `needs` entry, and the area they cover. Pure.
 */
export function toFlow(
  stages: readonly Stage[],
  gates: readonly Gate[],
  selectedStageId: string | null,
): { nodes: StageFlowNode[]; edges: Edge[]; bounds: { width: number; height: number } } {
  const positions = layoutStages(
    stages.map((stage) => ({ id: stage.externalId, needs: stage.needs, position: stage.position })),
  );
  const byId = new Map(stages.map((stage) => [stage.externalId, stage]));
  const nodes: StageFlowNode[] = [];
  for (const stage of stages) {
    const position = positions.get(stage.externalId);
    if (!position || nodes.some((node) => node.id === stage.externalId)) continue;
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
      },
      draggable: false,
      connectable: false,
      selectable: true,
    });
  }
  const edges: Edge[] = [];
  for (const stage of stages) {
    for (const need of stage.needs) {
      const from = byId.get(need);
      if (!from || need === stage.externalId) continue;
      edges.push({
        id: `${need}->${stage.externalId}`,
        source: need,
        target: stage.externalId,
        className: `stage-edge edge--${edgeState(from.status, stage.status)}`,
        animated: stage.status === 'running',
        focusable: false,
      });
    }
  }
  return { nodes, edges, bounds: layoutBounds(positions) };
}

/**
 * The stage a person most likely wants to see first: the first failure, else the gate waiting
 * for them, else what is running, else the last stage that ran.
 */
export function mostInterestingStage(stages: readonly Stage[]): Stage | null {
  const ordered = [...stages].sort((a, b) => a.position - b.position);
  const first = (status: Status): Stage | undefined =>
    ordered.find((stage) => stage.status === status);
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

function edgeState(from: Status, to: Status): 'done' | 'active' | 'idle' {
  if (to === 'running' || to === 'waiting') return 'active';
  if (from === 'success' && to !== 'blocked' && to !== 'skipped') return 'done';
  return 'idle';
}
