import { SourceError } from '../source';
import type { PipelineData } from './map-build';
import type { DeploymentState } from './map-gates';
import type { PipelineGraph } from './map-graph';
import type { GitlabProject } from './gitlab-wire';

/**
 * What a GitLab source remembers between polls, all of it only to ask less: every map is
 * bounded, and losing all of it (a restart) costs one fuller poll, never a wrong picture.
 */
export interface GitlabMemory {
  /** Resolved projects by the reference in the config (a path or an id). */
  projects: Map<string, GitlabProject>;
  /** Per watched pipeline: the newest `updated_at` read, for `updated_after`. */
  watermarks: Map<string, string>;
  /** Per build key: the `updated_at` last mapped, so an unchanged pipeline is not read again. */
  seenUpdatedAt: Map<string, string>;
  /** Per build key: pipelines still queued or running, re-read every poll (see the poll). */
  active: Map<string, { watchedId: string; pipelineId: number }>;
  /** Per pipeline id: its graph from GraphQL (fixed once a pipeline exists). */
  graphs: Map<number, PipelineGraph>;
  /** Pipelines with no trigger jobs: bridges are created with the pipeline, so never later. */
  noBridges: Set<number>;
  /** Per build key: the data of builds with a waiting gate, re-mapped when approvals change. */
  holders: Map<string, PipelineData>;
  /** Per project id: the blocked deployments last read, to tell when approvals changed. */
  deploymentSignatures: Map<number, string>;
  /** Per job id: its deployment waiting for approval. */
  deployments: Map<number, DeploymentState>;
  /** Jobs seen as `manual`: once played they stay decided gates. */
  manualJobIds: Set<number>;
  /** Waiting manual jobs a newer pipeline repeats, by job id. */
  superseded: Map<number, { number: number; ref: string }>;
  /** GraphQL failed (older server, no permission): not asked again before this time. */
  graphqlPausedUntil: number;
  /** The token's username, from `GET /user`. */
  username: string | null;
}

export function createGitlabMemory(): GitlabMemory {
  return {
    projects: new Map(),
    watermarks: new Map(),
    seenUpdatedAt: new Map(),
    active: new Map(),
    graphs: new Map(),
    noBridges: new Set(),
    holders: new Map(),
    deploymentSignatures: new Map(),
    deployments: new Map(),
    manualJobIds: new Set(),
    superseded: new Map(),
    graphqlPausedUntil: 0,
    username: null,
  };
}

/** Sets a key as the newest entry and drops the oldest ones beyond `limit`. */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= limit) break;
    map.delete(oldest);
  }
}

/** Adds to a set as the newest entry and drops the oldest ones beyond `limit`. */
export function rememberIn<T>(set: Set<T>, value: T, limit: number): void {
  set.delete(value);
  set.add(value);
  for (const oldest of set) {
    if (set.size <= limit) break;
    set.delete(oldest);
  }
}

/** A watched pipeline's external id: the project's numeric id, and `@ref` when narrowed. */
export function watchedExternalId(projectId: number, ref: string | null): string {
  return ref ? `${projectId}@${ref}` : String(projectId);
}

/** The project id (and ref) in a pipeline external id made by `watchedExternalId`. */
export function parseWatchedExternalId(externalId: string): {
  projectId: number;
  ref: string | null;
} {
  const match = /^(\d+)(?:@(.+))?$/.exec(externalId);
  if (!match) {
    throw new SourceError('not-found', `"${externalId}" is not a GitLab pipeline of this source.`);
  }
  return { projectId: Number(match[1]), ref: match[2] ?? null };
}

/** A GitLab id (pipeline, job) from an external id. */
export function parseNumericId(externalId: string, what: string): number {
  if (!/^\d{1,15}$/.test(externalId)) {
    throw new SourceError('not-found', `"${externalId}" is not a GitLab ${what} id.`);
  }
  return Number(externalId);
}
