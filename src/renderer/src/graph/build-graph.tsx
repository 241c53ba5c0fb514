import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useNodesInitialized,
  useReactFlow,
  useStore,
  type Edge,
  type NodeMouseHandler,
  type NodeTypes,
} from '@xyflow/react';
import { useEffect, useMemo, useRef } from 'react';
import type { Gate, Stage } from '../../../shared/model';
import type { JobGroup } from './job-groups';
import { graphBoxHeight, layoutBounds } from './layout';
import { StageNode } from './stage-node';
import { layoutInput, toFlow, type StageFlowNode } from './to-flow';
import { useElementWidth } from './use-element-width';
import { useStableItems } from './use-stable-items';
import { useStageLayout } from './use-stage-layout';

/** At module scope so React Flow never sees a new object and re-mounts every node. */
const nodeTypes: NodeTypes = { stage: StageNode };
const FIT_VIEW_OPTIONS = { padding: '24px', maxZoom: 1, minZoom: 0.1 } as const;
const PRO_OPTIONS = { hideAttribution: true };
/** A minimap helps from about this many stages on; below it the whole graph fits anyway. */
const MINIMAP_FROM = 40;
const NO_NODES: StageFlowNode[] = [];
const NO_EDGES: Edge[] = [];
const NO_GROUPS: ReadonlyMap<string, JobGroup> = new Map();

/**
 * Fits the view once React Flow has measured the nodes, and again when the graph's shape or
 * React Flow's own measured pane size changes (the box's height follows the graph, and React
 * Flow learns its new size a frame after the box resized). A status change keeps the shape, so
 * it keeps the user's zoom and pan.
 */
function FitViewWhenMeasured({ layoutKey }: { layoutKey: string }) {
  const initialized = useNodesInitialized();
  const paneSize = useStore((state) => `${state.width}x${state.height}`);
  const { fitView } = useReactFlow();
  useEffect(() => {
    if (initialized && paneSize !== '0x0') void fitView(FIT_VIEW_OPTIONS);
  }, [initialized, layoutKey, paneSize, fitView]);
  return null;
}

function minimapClass(node: StageFlowNode): string {
  return `minimap-stage status--${node.data.stage.status}`;
}

type BuildGraphProps = {
  stages: readonly Stage[];
  gates: readonly Gate[];
  /** Matrix jobs drawn as one node each, by the group node's id. */
  groups?: ReadonlyMap<string, JobGroup>;
  selectedStageId: string | null;
  onSelectStage(stageId: string): void;
};

/**
 * A build's stages as a left-to-right graph; clicking a stage selects it. The layout runs only
 * when the graph's shape changes (in a worker for large graphs), and nodes whose content did not
 * change keep their objects, so one stage changing state re-renders one node.
 */
export function BuildGraph(props: BuildGraphProps) {
  const { stages, gates, groups = NO_GROUPS, selectedStageId, onSelectStage } = props;
  const box = useRef<HTMLDivElement>(null);
  const boxWidth = useElementWidth(box);
  const shape = useMemo(() => layoutInput(stages), [stages]);
  const { positions, pending } = useStageLayout(shape);
  const flow = useMemo(
    () => (positions ? toFlow(stages, gates, selectedStageId, positions, groups) : null),
    [stages, gates, selectedStageId, positions, groups],
  );
  const nodes = useStableItems(flow?.nodes ?? NO_NODES);
  const edges = useStableItems(flow?.edges ?? NO_EDGES);
  const bounds = flow?.bounds ?? layoutBounds(new Map());
  const height = graphBoxHeight(bounds, boxWidth);
  const layoutKey = nodes.map((node) => node.id).join('|');
  const onNodeClick: NodeMouseHandler<StageFlowNode> = (_event, node) => onSelectStage(node.id);
  return (
    <div
      className="build-graph"
      data-testid="build-graph"
      ref={box}
      style={{ height }}
      aria-busy={pending}
    >
      {pending && nodes.length === 0 ? (
        <p className="graph-pending">Laying out {stages.length} stages…</p>
      ) : null}
      <ReactFlowProvider>
        <ReactFlow<StageFlowNode>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodeClick={onNodeClick}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable
          zoomOnScroll={false}
          panOnScroll
          preventScrolling={false}
          minZoom={0.1}
          maxZoom={1.5}
          fitView
          fitViewOptions={FIT_VIEW_OPTIONS}
          proOptions={PRO_OPTIONS}
          colorMode="system"
          onlyRenderVisibleElements={nodes.length > MINIMAP_FROM}
          aria-label="Build graph"
        >
          <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
          <Controls
            showInteractive={false}
            fitViewOptions={FIT_VIEW_OPTIONS}
            orientation="horizontal"
            position="top-right"
          />
          {nodes.length >= MINIMAP_FROM ? (
            <MiniMap<StageFlowNode>
              pannable
              zoomable
              nodeClassName={minimapClass}
              nodeStrokeWidth={0}
              position="bottom-right"
              ariaLabel="Overview of the build graph"
            />
          ) : null}
          <FitViewWhenMeasured layoutKey={layoutKey} />
        </ReactFlow>
      </ReactFlowProvider>
    </div>
  );
}
