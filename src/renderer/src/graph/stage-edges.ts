/** What the graph needs of a stage to know its edges: its id, what it needs, its order. */
export type EdgeStage = { id: string; needs: readonly string[]; position: number };

/** One hand-over from a stage to a stage that needs it. */
export type StageEdge = { from: string; to: string; id: string };

/** The id React Flow and the failure path use for an edge. */
export function edgeId(from: string, to: string): string {
  return `${from}->${to}`;
}

/**
 * The edges of a build's graph: one per `needs` entry that names a known stage. When no stage
 * names any need (providers that only give an order, such as Jenkins stages), each stage hands
 * over to the next by position, so such builds still read as a chain. Pure.
 */
export function stageEdges(stages: readonly EdgeStage[]): StageEdge[] {
  const ids = new Set(stages.map((stage) => stage.id));
  const seen = new Set<string>();
  const edges: StageEdge[] = [];
  const add = (from: string, to: string): void => {
    const id = edgeId(from, to);
    if (from === to || seen.has(id)) return;
    seen.add(id);
    edges.push({ from, to, id });
  };
  for (const stage of stages) {
    for (const need of stage.needs) if (ids.has(need)) add(need, stage.id);
  }
  if (edges.length > 0) return edges;
  const ordered = uniqueById(stages).sort((a, b) => a.position - b.position);
  for (let index = 1; index < ordered.length; index += 1) {
    add(ordered[index - 1]!.id, ordered[index]!.id);
  }
  return edges;
}

function uniqueById<T extends { id: string }>(stages: readonly T[]): T[] {
  const seen = new Set<string>();
  return stages.filter((stage) => {
    if (seen.has(stage.id)) return false;
    seen.add(stage.id);
    return true;
  });
}
