import { useState } from 'react';

/** Items from the last render with a signature of their content, by id. */
export type StableItems<T> = {
  source: readonly T[] | null;
  items: T[];
  byId: ReadonlyMap<string, { item: T; signature: string }>;
};

/**
 * Keeps the previous object for every item whose content did not change, so React Flow (and the
 * memoized stage node) re-render only the nodes and edges that did. Pure.
 */
export function reuseUnchanged<T extends { id: string }>(
  previous: StableItems<T>,
  next: readonly T[],
  signatureOf: (item: T) => string = (item) => JSON.stringify(item),
): StableItems<T> {
  const byId = new Map<string, { item: T; signature: string }>();
  let changed = previous.items.length !== next.length;
  const items = next.map((item, index) => {
    const signature = signatureOf(item);
    const old = previous.byId.get(item.id);
    const kept = old !== undefined && old.signature === signature ? old.item : item;
    if (kept !== previous.items[index]) changed = true;
    byId.set(item.id, { item: kept, signature });
    return kept;
  });
  return { source: next, items: changed ? items : previous.items, byId };
}

const EMPTY = { source: null, items: [], byId: new Map() };

/** `next`, with every unchanged item replaced by the object from the last render. */
export function useStableItems<T extends { id: string }>(next: readonly T[]): T[] {
  const [stable, setStable] = useState<StableItems<T>>(EMPTY);
  if (stable.source !== next) {
    // React's "adjust state while rendering" pattern: it re-renders at once with the new state.
    const updated = reuseUnchanged(stable, next);
    setStable(updated);
    return updated.items;
  }
  return stable.items;
}
