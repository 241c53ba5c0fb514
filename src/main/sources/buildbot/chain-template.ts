import type { LearnedEdge } from './buildbot-state';

/** "Builder `from` triggers builder `to`", as seen in some check-in's chain. */
export interface TriggerEdge {
  from: string;
  to: string;
}

/**
 * A trigger not seen for this long is forgotten: the chain changed, and a forgotten trigger only
 * means a new check-in shows that stage once it is triggered rather than before.
 */
const EDGE_LIFETIME_MS = 30 * 24 * 3600 * 1000;
/** Seeing an edge again is written down at most this often, so polls do not rewrite the file. */
const REFRESH_AFTER_MS = 24 * 3600 * 1000;

/**
 * Merges the triggers seen in this poll into the learned ones and forgets stale ones. Answers the
 * new list, or null when nothing changed enough to be worth writing.
 */
export function mergeLearnedEdges(
  learned: readonly LearnedEdge[],
  observed: readonly (TriggerEdge & { seenAt: number })[],
  now: number,
): LearnedEdge[] | null {
  const merged = new Map(learned.map((edge) => [`${edge.from}\u0000${edge.to}`, { ...edge }]));
  let changed = false;
  for (const edge of observed) {
    // An old check-in's trigger is no news: learning it would only forget it again.
    if (now - edge.seenAt > EDGE_LIFETIME_MS) continue;
    const key = `${edge.from}\u0000${edge.to}`;
    const known = merged.get(key);
    if (!known) {
      merged.set(key, { from: edge.from, to: edge.to, seenAt: edge.seenAt });
      changed = true;
    } else if (edge.seenAt - known.seenAt > REFRESH_AFTER_MS) {
      known.seenAt = edge.seenAt;
      changed = true;
    }
  }
  for (const [key, edge] of merged) {
    if (now - edge.seenAt > EDGE_LIFETIME_MS) {
      merged.delete(key);
      changed = true;
    }
  }
  return changed ? [...merged.values()] : null;
}
