import { Graph, layout } from '@dagrejs/dagre';
import { stageEdges } from './stage-edges';

/** Every stage node is drawn this size, so the layout does not wait for the DOM. */
export const STAGE_NODE_SIZE = { width: 168, height: 84 } as const;

/** Space between parallel stages and between columns, in graph pixels. */
const NODE_GAP = 20;
const COLUMN_GAP = 26;

/** What the layout needs of a stage: its id, the ids it needs, and its provider order. */
export type LayoutStage = { id: string; needs: readonly string[]; position: number };

/** A node's top-left corner, as React Flow positions nodes. */
export type Point = { x: number; y: number };

/**
 * Lays out stages left to right with dagre: each stage to the right of what it needs, parallel
 * stages stacked. Pure: same stages in, same positions out. Needs naming unknown stages are
 * ignored; when no stage names any need (a provider that only gives an order), stages are laid
 * out in a row by position.
 */
export function layoutStages(
  stages: readonly LayoutStage[],
  size: { width: number; height: number } = STAGE_NODE_SIZE,
): Map<string, Point> {
  const unique = dedupe(stages);
  const ordered = [...unique].sort((a, b) => a.position - b.position);
  const orderEdges = stageEdges(unique).map((edge) => [edge.from, edge.to] as const);

  const graph = new Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: NODE_GAP, ranksep: COLUMN_GAP, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const stage of ordered) graph.setNode(stage.id, { width: size.width, height: size.height });
  for (const [from, to] of orderEdges) graph.setEdge(from, to);
  layout(graph);

  const positions = new Map<string, Point>();
  for (const stage of ordered) {
    const node = graph.node(stage.id) as { x: number; y: number };
    positions.set(stage.id, {
      x: Math.round(node.x - size.width / 2),
      y: Math.round(node.y - size.height / 2),
    });
  }
  return positions;
}

function dedupe(stages: readonly LayoutStage[]): LayoutStage[] {
  const seen = new Set<string>();
  return stages.filter((stage) => {
    if (seen.has(stage.id)) return false;
    seen.add(stage.id);
    return true;
  });
}

/** The width and height the laid-out nodes cover. */
export function layoutBounds(
  positions: ReadonlyMap<string, Point>,
  size: { width: number; height: number } = STAGE_NODE_SIZE,
): { width: number; height: number } {
  if (positions.size === 0) return { width: 0, height: 0 };
  const points = [...positions.values()];
  const left = Math.min(...points.map((point) => point.x));
  const top = Math.min(...points.map((point) => point.y));
  const right = Math.max(...points.map((point) => point.x)) + size.width;
  const bottom = Math.max(...points.map((point) => point.y)) + size.height;
  return { width: right - left, height: bottom - top };
}

/**
 * How tall the graph's box should be so a fitted graph fills it without empty bands: the
 * graph's height at the zoom that fits its width, plus padding, within sensible limits.
 */
export function graphBoxHeight(
  bounds: { width: number; height: number },
  boxWidth: number,
  limits: { padding: number; min: number; max: number; maxZoom: number } = {
    padding: 48,
    min: 160,
    max: 520,
    maxZoom: 1,
  },
): number {
  if (bounds.width <= 0 || boxWidth <= 0) return limits.min;
  const zoom = Math.min(limits.maxZoom, (boxWidth - limits.padding) / bounds.width);
  const height = Math.ceil(bounds.height * zoom + limits.padding);
  return Math.max(limits.min, Math.min(limits.max, height));
}
