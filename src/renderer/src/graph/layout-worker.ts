import { layoutStages } from './layout';
import type { LayoutRequest, LayoutResponse } from './layout-protocol';

/*
 * Lays out large graphs off the main thread: dagre on a 1,000-stage graph takes long enough to
 * drop frames, and the pipeline view must stay responsive while it runs.
 */
self.addEventListener('message', (event: MessageEvent<LayoutRequest>) => {
  const { id, stages } = event.data;
  let response: LayoutResponse;
  try {
    response = { id, positions: [...layoutStages(stages)] };
  } catch (error) {
    response = { id, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(response);
});
