/**
 * Keeps the previous object for every item (matched by id) whose content did not change, so
 * that a refetch re-renders only the cards and rows that really changed.
 */
export function keepUnchanged<T extends { id: number }>(previous: readonly T[], next: T[]): T[] {
  if (previous.length === 0) return next;
  const byId = new Map(previous.map((item) => [item.id, item]));
  let changed = previous.length !== next.length;
  const merged = next.map((item, index) => {
    const old = byId.get(item.id);
    if (old !== undefined && JSON.stringify(old) === JSON.stringify(item)) {
      if (previous[index] !== old) changed = true;
      return old;
    }
    changed = true;
    return item;
  });
  return changed ? merged : (previous as T[]);
}
