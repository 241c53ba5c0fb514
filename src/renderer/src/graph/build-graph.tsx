import {
  Background,
  BackgroundVariant,
  Controls,
  ReactFlow,
  ReactFlowProvider,
  useNodesInitialized,
  useReactFlow,
  useStore,
  type NodeMouseHandler,
  type NodeTypes,
} from '@xyflow/react';
import { useEffect, useMemo, useRef } from 'react';
import type { Gate, Stage } from '../../../shared/model';
import { graphBoxHeight } from './layout';
import { StageNode } from './stage-node';
import { toFlow, type StageFlowNode } from './to-flow';
import { useElementWidth } from './use-element-width';

/** At module scope so React Flow never sees a new object and re-mounts every node. */
const nodeTypes: NodeTypes = { stage: StageNode };
const FIT_VIEW_OPTIONS = { padding: '24px', maxZoom: 1, minZoom: 0.3 } as const;
const PRO_OPTIONS = { hideAttribution: true };

/**
 * Fits the view once React Flow has measured the nodes, and again when the graph or React
 * Flow's own measured pane size changes (the box's height follows the graph, and React Flow
 * learns its new size a frame after the box resized).
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

type BuildGraphProps = {
  stages: readonly Stage[];
  gates: readonly Gate[];
  selectedStageId: string | null;
  onSelectStage(stageId: string): void;
};

/** A build's stages as a left-to-right graph; clicking a stage selects it. */
export function BuildGraph({ stages, gates, selectedStageId, onSelectStage }: BuildGraphProps) {
  const box = useRef<HTMLDivElement>(null);
  const boxWidth = useElementWidth(box);
  const { nodes, edges, bounds } = useMemo(
    () => toFlow(stages, gates, selectedStageId),
    [stages, gates, selectedStageId],
  );
  const height = graphBoxHeight(bounds, boxWidth);
  const layoutKey = nodes.map((node) => node.id).join('|');
  const onNodeClick: NodeMouseHandler<StageFlowNode> = (_event, node) => onSelectStage(node.id);
  return (
    <div className="build-graph" data-testid="build-graph" ref={box} style={{ height }}>
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
          minZoom={0.3}
          maxZoom={1.5}
          fitView
          fitViewOptions={FIT_VIEW_OPTIONS}
          proOptions={PRO_OPTIONS}
          colorMode="system"
          aria-label="Build graph"
        >
          <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
          <Controls
            showInteractive={false}
            fitViewOptions={FIT_VIEW_OPTIONS}
            orientation="horizontal"
            position="top-right"
          />
          <FitViewWhenMeasured layoutKey={layoutKey} />
        </ReactFlow>
      </ReactFlowProvider>
    </div>
  );
}
