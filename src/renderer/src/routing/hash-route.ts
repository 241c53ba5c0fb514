/**
 * Hash routes, so the same build works from a file (Electron) and from a server (browser):
 * `#/`, `#/pipelines/:id`, `#/pipelines/:id/builds/:buildId[/stages/:stageId]`,
 * `#/pipelines/:id/matrix`, `#/pipelines/:id/trends`, a step's or a whole stage's log,
 * `#/pipelines/:id/builds/:buildId/stages/:stageId[/steps/:stepId]/log[/L123]` (or `?line=123`:
 * a permalink to a line), the approvals inbox `#/inbox`, the audit trail `#/audit` and
 * `#/settings` (sources and preferences).
 * `#/pipelines/:id/logs?q=ECONNRESET[&order=newest]` searches every stored log of a pipeline.
 */
export type Route =
  | { view: 'dashboard' }
  | {
      view: 'pipeline';
      pipelineId: number;
      buildId: number | null;
      /** A deep link to one stage of the build (its id), opened with its details. */
      stageId?: number;
    }
  | { view: 'matrix'; pipelineId: number }
  | { view: 'trends'; pipelineId: number }
  | {
      view: 'log-search';
      pipelineId: number;
      /** The words searched for; empty before a search. */
      query: string;
      order: 'oldest' | 'newest';
    }
  | {
      view: 'log';
      pipelineId: number;
      buildId: number;
      stageId: number;
      /** Null for a whole stage's log. */
      stepId: number | null;
      /** 1-based line a permalink points at. */
      line: number | null;
    }
  | { view: 'inbox' }
  | { view: 'audit' }
  | { view: 'settings' }
  | { view: 'not-found'; hash: string };

/** Reads a `location.hash` value into a route; anything unrecognised is `not-found`. */
export function parseHashRoute(hash: string): Route {
  const query = /\?(.*)$/.exec(hash)?.[1] ?? '';
  const path = hash.replace(/^#/, '').replace(/\?.*$/, '');
  const parts = path.split('/').filter((part) => part.length > 0);
  if (parts.length === 0) return { view: 'dashboard' };
  if (parts.length === 1 && parts[0] === 'inbox') return { view: 'inbox' };
  if (parts.length === 1 && parts[0] === 'audit') return { view: 'audit' };
  if (parts.length === 1 && parts[0] === 'settings') return { view: 'settings' };
  if (parts[0] === 'pipelines') {
    const pipelineId = positiveInteger(parts[1]);
    if (pipelineId !== null && parts.length === 2) {
      return { view: 'pipeline', pipelineId, buildId: null };
    }
    const buildId = positiveInteger(parts[3]);
    if (pipelineId !== null && parts[2] === 'builds' && buildId !== null && parts.length === 4) {
      return { view: 'pipeline', pipelineId, buildId };
    }
    if (pipelineId !== null && parts.length === 3 && parts[2] === 'matrix') {
      return { view: 'matrix', pipelineId };
    }
    if (pipelineId !== null && parts.length === 3 && parts[2] === 'trends') {
      return { view: 'trends', pipelineId };
    }
    if (pipelineId !== null && parts.length === 3 && parts[2] === 'logs') {
      return { view: 'log-search', pipelineId, ...logSearchOf(query) };
    }
    const stageId = positiveInteger(parts[5]);
    const inStage =
      pipelineId !== null && buildId !== null && stageId !== null && parts[2] === 'builds';
    if (inStage && parts[4] === 'stages' && parts.length === 6) {
      return { view: 'pipeline', pipelineId, buildId, stageId };
    }
    if (inStage && parts[4] === 'stages') {
      const log = logPlace(parts.slice(6), query);
      if (log !== null) return { view: 'log', pipelineId, buildId, stageId, ...log };
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
      if (route.buildId === null) return `#/pipelines/${route.pipelineId}`;
      return route.stageId === undefined
        ? `#/pipelines/${route.pipelineId}/builds/${route.buildId}`
        : `#/pipelines/${route.pipelineId}/builds/${route.buildId}/stages/${route.stageId}`;
    case 'matrix':
      return `#/pipelines/${route.pipelineId}/matrix`;
    case 'trends':
      return `#/pipelines/${route.pipelineId}/trends`;
    case 'log-search':
      return logSearchHref(route.pipelineId, route.query, route.order);
    case 'log': {
      const stage = `#/pipelines/${route.pipelineId}/builds/${route.buildId}/stages/${route.stageId}`;
      const step = route.stepId === null ? '' : `/steps/${route.stepId}`;
      return `${stage}${step}/log${route.line === null ? '' : `/L${route.line}`}`;
    }
    case 'inbox':
      return '#/inbox';
    case 'audit':
      return '#/audit';
    case 'settings':
      return '#/settings';
    case 'not-found':
      return route.hash;
  }
}

/** `[steps/:stepId/]log[/L123]` after a stage, with `?line=123` as the other permalink form. */
function logPlace(
  parts: readonly string[],
  query: string,
): { stepId: number | null; line: number | null } | null {
  let rest = parts;
  let stepId: number | null = null;
  if (rest[0] === 'steps') {
    stepId = positiveInteger(rest[1]);
    if (stepId === null) return null;
    rest = rest.slice(2);
  }
  if (rest[0] !== 'log' || rest.length > 2) return null;
  let line = positiveInteger(new URLSearchParams(query).get('line') ?? undefined);
  if (rest.length === 2) {
    line = positiveInteger(/^L(\d+)$/.exec(rest[1] ?? '')?.[1]);
    if (line === null) return null;
  }
  return { stepId, line };
}

/** `?q=…&order=newest` of a log search; oldest first unless asked. */
function logSearchOf(query: string): { query: string; order: 'oldest' | 'newest' } {
  const parameters = new URLSearchParams(query);
  return {
    query: parameters.get('q') ?? '',
    order: parameters.get('order') === 'newest' ? 'newest' : 'oldest',
  };
}

function logSearchHref(pipelineId: number, query: string, order: 'oldest' | 'newest'): string {
  const parameters = new URLSearchParams();
  if (query !== '') parameters.set('q', query);
  if (order === 'newest') parameters.set('order', order);
  const search = parameters.toString();
  return `#/pipelines/${pipelineId}/logs${search === '' ? '' : `?${search}`}`;
}

function positiveInteger(text: string | undefined): number | null {
  if (text === undefined || !/^\d+$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}
