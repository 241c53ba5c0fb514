import { useSyncExternalStore } from 'react';

/*
 * One shared one-second ticker for every age and running duration on screen, started by the
 * first component that needs it and stopped when the last one goes.
 */
const TICK_MS = 1000;
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const notify of [...listeners]) notify();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

function snapshot(): number {
  return now;
}

/** The current time, re-rendering the caller every second. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
