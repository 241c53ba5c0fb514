import { useEffect, useMemo, useState } from 'react';
import { layoutStages, type LayoutStage, type Point } from './layout';
import { sharedLayoutClient, type LayoutClient } from './layout-client';

/** Above this many stages the layout runs in a worker; below it is quicker than a round trip. */
export const WORKER_LAYOUT_THRESHOLD = 150;

/**
 * The shape of a graph as a string: two builds with the same stages and needs have the same key,
 * whatever their statuses, so a status change never re-runs the layout.
 */
export function layoutKey(stages: readonly LayoutStage[]): string {
  return JSON.stringify(stages.map((stage) => [stage.id, stage.needs, stage.position]));
}

function fromKey(key: string): LayoutStage[] {
  const rows = JSON.parse(key) as Array<[string, string[], number]>;
  return rows.map(([id, needs, position]) => ({ id, needs, position }));
}

/** Positions of the stages, re-computed only when the graph's shape changes. */
export function useStageLayout(
  stages: readonly LayoutStage[],
  client: LayoutClient | null = null,
): { positions: ReadonlyMap<string, Point> | null; pending: boolean } {
  const key = layoutKey(stages);
  const large = stages.length > WORKER_LAYOUT_THRESHOLD;
  const inline = useMemo(() => (large ? null : layoutStages(fromKey(key))), [key, large]);
  const [offThread, setOffThread] = useState<{
    key: string;
    positions: ReadonlyMap<string, Point>;
  } | null>(null);

  useEffect(() => {
    if (!large) return;
    let current = true;
    void (client ?? sharedLayoutClient()).layout(fromKey(key)).then((positions) => {
      if (current) setOffThread({ key, positions });
    });
    return () => {
      current = false;
    };
  }, [key, large, client]);

  if (inline) return { positions: inline, pending: false };
  // While a new shape is laid out the previous positions stay up, so the graph does not blink.
  return { positions: offThread?.positions ?? null, pending: offThread?.key !== key };
}
