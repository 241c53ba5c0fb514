import { layoutStages, type LayoutStage, type Point } from './layout';
import type { LayoutRequest, LayoutResponse } from './layout-protocol';

/** What the client needs of a worker (a real `Worker`, or a fake in tests). */
export type LayoutWorker = {
  postMessage(request: LayoutRequest): void;
  addEventListener(type: 'message', listener: (event: { data: LayoutResponse }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
  terminate(): void;
};

/** Lays out stages somewhere else; resolves with positions by stage id. */
export type LayoutClient = {
  layout(stages: readonly LayoutStage[]): Promise<Map<string, Point>>;
  dispose(): void;
};

/**
 * Runs layouts in a worker, one worker for the whole app, started on first use. If the worker
 * cannot start or fails (a CSP without `worker-src`, a file:// origin that refuses workers), the
 * layout runs on the main thread instead: slower for huge graphs, never missing.
 */
export function createLayoutClient(startWorker: () => LayoutWorker): LayoutClient {
  let worker: LayoutWorker | null = null;
  let broken = false;
  let nextId = 1;
  const pending = new Map<
    number,
    { stages: LayoutStage[]; resolve(positions: Map<string, Point>): void }
  >();

  function fallBack(): void {
    broken = true;
    worker?.terminate();
    worker = null;
    for (const [id, request] of pending) {
      pending.delete(id);
      request.resolve(layoutStages(request.stages));
    }
  }

  function ensureWorker(): LayoutWorker | null {
    if (worker || broken) return worker;
    try {
      const started = startWorker();
      started.addEventListener('message', ({ data }) => {
        const request = pending.get(data.id);
        if (!request) return;
        pending.delete(data.id);
        request.resolve(
          'positions' in data ? new Map(data.positions) : layoutStages(request.stages),
        );
      });
      started.addEventListener('error', fallBack);
      worker = started;
    } catch {
      broken = true;
    }
    return worker;
  }

  return {
    layout(stages) {
      const copy = stages.map((stage) => ({ ...stage, needs: [...stage.needs] }));
      const running = ensureWorker();
      if (!running) return Promise.resolve(layoutStages(copy));
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, { stages: copy, resolve });
        running.postMessage({ id, stages: copy });
      });
    },
    dispose() {
      worker?.terminate();
      worker = null;
      for (const [id, request] of pending) {
        pending.delete(id);
        request.resolve(layoutStages(request.stages));
      }
    },
  };
}

let shared: LayoutClient | null = null;

/** The app's one layout worker client. */
export function sharedLayoutClient(): LayoutClient {
  // Vite finds this exact `new Worker(new URL(…, import.meta.url))` form and bundles the worker.
  shared ??= createLayoutClient(
    () =>
      new Worker(new URL('./layout-worker.ts', import.meta.url), {
        type: 'module',
      }) as unknown as LayoutWorker,
  );
  return shared;
}
