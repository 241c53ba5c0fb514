import { SourceError } from '../source';

/** A repository as the options name it: `owner/name`. */
export interface Repository {
  owner: string;
  name: string;
}

/** `octo-org/octo-repo` → its parts; the options schema has checked the shape. */
export function parseRepository(fullName: string): Repository {
  const [owner = '', name = ''] = fullName.split('/');
  return { owner, name };
}

export function repositoryName(repository: Repository): string {
  return `${repository.owner}/${repository.name}`;
}

/** The API path of a repository, each part escaped. */
export function repositoryPath(repository: Repository): string {
  return `repos/${encodeURIComponent(repository.owner)}/${encodeURIComponent(repository.name)}`;
}

/**
 * A pipeline is one workflow of one repository: `owner/repo:workflowId`. The workflow id stays
 * the same when the workflow is renamed; GitHub gives a moved file a new id anyway.
 */
export function pipelineExternalId(repository: Repository, workflowId: number): string {
  return `${repositoryName(repository)}:${workflowId}`;
}

/** The repository and workflow of a pipeline id, or a `not-found` error naming it. */
export function parsePipelineExternalId(externalId: string): {
  repository: Repository;
  workflowId: number;
} {
  const match = /^([^/:\s]+)\/([^/:\s]+):(\d+)$/.exec(externalId);
  if (!match?.[1] || !match[2] || !match[3]) {
    throw new SourceError('not-found', `"${externalId}" is not a GitHub workflow of this source.`);
  }
  return { repository: { owner: match[1], name: match[2] }, workflowId: Number(match[3]) };
}

/** A numeric id Pipewatch gave out (run, job, environment), or a `not-found` error. */
export function parseNumericId(value: string, what: string): number {
  if (!/^\d{1,20}$/.test(value)) {
    throw new SourceError('not-found', `"${value}" is not a GitHub ${what} id.`);
  }
  return Number(value);
}

/**
 * The web origin that belongs to an API base URL: api.github.com → github.com, a GitHub
 * Enterprise Server's `https://HOST/api/v3` → `https://HOST`, anything else (a test server) as is.
 */
export function webOrigin(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.hostname === 'api.github.com') return 'https://github.com';
  if (url.hostname.startsWith('api.') && url.hostname.endsWith('.ghe.com')) {
    return `${url.protocol}//${url.hostname.slice('api.'.length)}`;
  }
  return url.origin;
}

/** The Actions page of one workflow: `https://github.com/o/r/actions/workflows/ci.yml`. */
export function workflowWebUrl(baseUrl: string, repository: Repository, path: string): string {
  const file = path.split('/').pop() ?? path;
  return `${webOrigin(baseUrl)}/${repositoryName(repository)}/actions/workflows/${encodeURIComponent(file)}`;
}
