/**
 * Hash routes, so the same build works from a file (Electron) and from a server (browser):
 * `#/`, `#/pipelines/:id`, `#/pipelines/:id/builds/:buildId`.
 */
export type Route =
  | { view: 'dashboard' }
  | { view: 'pipeline'; pipelineId: number; buildId: number | null }
  | { view: 'not-found'; hash: string };

/** Reads a `location.hash` value into a route; anything unrecognised is `not-found`. */
export function parseHashRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\?.*$/, '');
  const parts = path.split('/').filter((part) => part.length > 0);
  if (parts.length === 0) return { view: 'dashboard' };
  if (parts[0] === 'pipelines') {
    const pipelineId = positiveInteger(parts[1]);
    if (pipelineId !== null && parts.length === 2) {
      return { view: 'pipeline', pipelineId, buildId: null };
    }
    const buildId = positiveInteger(parts[3]);
    if (pipelineId !== null && parts[2] === 'builds' && buildId !== null && parts.length === 4) {
      return { view: 'pipeline', pipelineId, buildId };
    }
  }
  return { view: 'not-found', hash };
}

/** The `href` of a route, the inverse of `parseHashRoute`. */
export function hrefFor(route: Route): string {
  switch (route.view) {
    case 'dashboard':
      return '#/';
    case 'pipeline':
      return route.buildId === null
        ? `#/pipelines/${route.pipelineId}`
        : `#/pipelines/${route.pipelineId}/builds/${route.buildId}`;
    case 'not-found':
      return route.hash;
  }
}

function positiveInteger(text: string | undefined): number | null {
  if (text === undefined || !/^\d+$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}
