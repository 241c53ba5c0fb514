import type { StageSummary } from '../../../../shared/model';

/** One column of the build matrix: a stage, by name, seen in at least one build. */
export type MatrixColumn = {
  name: string;
  /** Some build has this stage as a manual gate: the column shows who decided. */
  isGate: boolean;
};

/** What the columns need of a build. */
export type ColumnBuild = {
  stages: readonly Pick<StageSummary, 'name' | 'position' | 'isGate'>[];
};

/**
 * The matrix's columns: the union of the stages of `builds` (newest first), in topological
 * order. Stages are matched by name, since providers give each run's jobs new ids. Each build
 * says "this stage comes after that one" through its stage order (stages sharing a position run
 * side by side and are not ordered); the union of those orders is sorted with Kahn's algorithm,
 * ties broken by where a stage first appears in the newest builds. Builds that disagree (a cycle)
 * and builds with disjoint stages still give every stage exactly one column: a cycle is broken
 * at the stage that appears first. Pure.
 */
export function matrixColumns(builds: readonly ColumnBuild[]): MatrixColumn[] {
  const rank = new Map<string, number>();
  const isGate = new Map<string, boolean>();
  const successors = new Map<string, Set<string>>();
  const incoming = new Map<string, number>();

  const addEdge = (from: string, to: string): void => {
    if (from === to) return;
    const next = successors.get(from)!;
    if (next.has(to)) return;
    next.add(to);
    incoming.set(to, (incoming.get(to) ?? 0) + 1);
  };

  for (const build of builds) {
    const ordered = [...build.stages].sort((a, b) => a.position - b.position);
    for (const stage of ordered) {
      if (!rank.has(stage.name)) {
        rank.set(stage.name, rank.size);
        successors.set(stage.name, new Set());
        incoming.set(stage.name, 0);
      }
      isGate.set(stage.name, (isGate.get(stage.name) ?? false) || stage.isGate);
    }
    const groups = positionGroups(ordered);
    for (let index = 1; index < groups.length; index += 1) {
      for (const from of groups[index - 1]!) for (const to of groups[index]!) addEdge(from, to);
    }
  }

  const remaining = new Set(rank.keys());
  const byRank = (a: string, b: string): number => rank.get(a)! - rank.get(b)!;
  const columns: MatrixColumn[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining].filter((name) => incoming.get(name) === 0);
    // No stage is free of predecessors: the builds disagree about the order. Take the stage that
    // appears first and carry on, so a cycle costs order, never a column.
    const [next] = (ready.length > 0 ? ready : [...remaining]).sort(byRank);
    remaining.delete(next!);
    columns.push({ name: next!, isGate: isGate.get(next!) ?? false });
    for (const to of successors.get(next!)!) incoming.set(to, incoming.get(to)! - 1);
  }
  return columns;
}

/** Stage names grouped by position, in order; names repeated within a build count once. */
function positionGroups(ordered: readonly { name: string; position: number }[]): string[][] {
  const groups: string[][] = [];
  let lastPosition: number | null = null;
  const seen = new Set<string>();
  for (const stage of ordered) {
    if (seen.has(stage.name)) continue;
    seen.add(stage.name);
    if (lastPosition === stage.position && groups.length > 0) groups.at(-1)!.push(stage.name);
    else groups.push([stage.name]);
    lastPosition = stage.position;
  }
  return groups;
}

/** A build's stages by name, for looking up its cell in each column. */
export function stagesByName<T extends { name: string }>(stages: readonly T[]): Map<string, T> {
  const byName = new Map<string, T>();
  for (const stage of stages) if (!byName.has(stage.name)) byName.set(stage.name, stage);
  return byName;
}
