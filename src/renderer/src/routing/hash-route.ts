/**
 * Hash routes, so the same build works from a file (Electron) and from a server (browser):
 * `#/`, `#/pipelines/:id`, `#/pipelines/:id/builds/:buildId[/stages/:stageId]`,
 * `#/pipelines/:id/matrix`, `#/pipelines/:id/trends`, a step's or a whole stage's log,
 * `#/pipelines/:id/builds/:buildId/stages/:stageId[/steps/:stepId]/log[/L123]` (or `?line=123`:
 * a permalink to a line), the approvals inbox `#/inbox` and the audit trail `#/audit`.
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
  | { view: 'not-found'; hash: string };

/** Reads a `location.hash` value into a route; anything unrecognised is `not-found`. */
export function parseHashRoute(hash: string): Route {
  const query = /\?(.*)$/.exec(hash)?.[1] ?? '';
  const path = hash.replace(/^#/, '').replace(/\?.*$/, '');
  const parts = path.split('/').filter((part) => part.length > 0);
  if (parts.length === 0) return { view: 'dashboard' };
  if (parts.length === 1 && parts[0] === 'inbox') return { view: 'inbox' };
  if (parts.length === 1 && parts[0] === 'audit') return { view: 'audit' };
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
    case 'log': {
      const stage = `#/pipelines/${route.pipelineId}/builds/${route.buildId}/stages/${route.stageId}`;
      const step = route.stepId === null ? '' : `/steps/${route.stepId}`;
      return `${stage}${step}/log${route.line === null ? '' : `/L${route.line}`}`;
    }
    case 'inbox':
      return '#/inbox';
    case 'audit':
      return '#/audit';
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

function positiveInteger(text: string | undefined): number | null {
  if (text === undefined || !/^\d+$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}
