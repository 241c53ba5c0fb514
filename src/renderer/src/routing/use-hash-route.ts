import { useSyncExternalStore } from 'react';
import { parseHashRoute, type Route } from './hash-route';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function currentHash(): string {
  return window.location.hash;
}

/** The current hash route; re-renders when the hash changes. */
export function useHashRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash, () => '');
  return parseHashRoute(hash);
}
