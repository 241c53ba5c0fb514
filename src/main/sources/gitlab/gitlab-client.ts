import type { RateLimitBudget } from '../../../shared/model';
import { ProviderHttp, type JsonAnswer } from '../http/provider-http';
import type { z } from 'zod';
import { gitlabRateLimitReset, readGitlabBudget } from './gitlab-rate-limit';
import { PIPELINE_GRAPH_QUERY } from './gitlab-graphql';
import {
  gitlabDeploymentApprovalSchema,
  gitlabDeploymentListSchema,
  gitlabDeploymentSchema,
  gitlabGraphAnswerSchema,
  gitlabJobListSchema,
  gitlabJobSchema,
  gitlabPipelineListSchema,
  gitlabPipelineSchema,
  gitlabProjectSchema,
  gitlabUserSchema,
  parseWire,
  type GitlabDeployment,
  type GitlabDeploymentApproval,
  type GitlabGraphAnswer,
  type GitlabJob,
  type GitlabPipeline,
  type GitlabPipelineListItem,
  type GitlabProject,
  type GitlabUser,
} from './gitlab-wire';

export const GITLAB_DEFAULT_URL = 'https://gitlab.com';

/** GitLab's maximum page size; bigger pages mean fewer requests against the rate limit. */
const MAX_PER_PAGE = 100;
/** A pipeline with more jobs than this is rare; the bound keeps one poll's cost finite. */
const MAX_PAGES = 10;

export interface GitlabClientSettings {
  /** The instance (`https://gitlab.example.com`, with a path prefix if it has one). */
  baseUrl: string;
  token: () => string | null;
  tokenType: 'private' | 'oauth';
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
}

/** A list read page by page; `notModified` when every page answered 304. */
export interface ListAnswer<T> {
  items: T[];
  notModified: boolean;
}

/**
 * The instance root from a configured URL: people paste `https://host/api/v4` as often as
 * `https://host`, and REST (`/api/v4`) and GraphQL (`/api/graphql`) both hang off the root.
 */
export function instanceRoot(baseUrl: string | undefined): string {
  const trimmed = (baseUrl ?? GITLAB_DEFAULT_URL).replace(/\/+$/, '');
  return trimmed.replace(/\/api\/v4$/, '');
}

/** A project id as the REST API takes it: digits as they are, a path URL-encoded. */
export function projectPathSegment(reference: string | number): string {
  const text = String(reference);
  return /^\d+$/.test(text) ? text : encodeURIComponent(text);
}

/** The GitLab endpoints Pipewatch uses, on the shared HTTP layer. */
export class GitlabClient {
  readonly http: ProviderHttp;
  /** The next page of a URL as last seen, for pages that answer 304 without paging headers. */
  private readonly nextPages = new Map<string, string | null>();
  private budget: RateLimitBudget | null = null;

  constructor(settings: GitlabClientSettings) {
    const root = instanceRoot(settings.baseUrl);
    const host = safeHost(root);
    const origin = safeOrigin(root);
    const fetchImpl = settings.fetch ?? fetch;
    const secrets = (): string[] => {
      try {
        const token = settings.token();
        return token ? [token] : [];
      } catch {
        return [];
      }
    };
    this.http = new ProviderHttp({
      providerName: host === 'gitlab.com' ? 'GitLab' : `GitLab at ${host}`,
      baseUrl: root,
      authHeaders: (): Record<string, string> => {
        const token = settings.token();
        if (!token) return {};
        return settings.tokenType === 'oauth'
          ? { Authorization: `Bearer ${token}` }
          : { 'PRIVATE-TOKEN': token };
      },
      secrets,
      rateLimitReset: gitlabRateLimitReset,
      fetch: async (input, init) => {
        const response = await fetchImpl(input, init);
        // Only the instance's own answers count (not object storage after a log redirect).
        const url = input instanceof Request ? input.url : String(input);
        if (new URL(url).origin === origin)
          this.budget = readGitlabBudget(response.headers) ?? this.budget;
        return response;
      },
      ...(settings.now ? { now: settings.now } : {}),
      ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
    });
  }

  /** The budget GitLab reported in its latest answer, or null when it never said. */
  rateLimit(): RateLimitBudget | null {
    return this.budget ? { ...this.budget } : null;
  }

  async project(reference: string, signal?: AbortSignal): Promise<GitlabProject> {
    const answer = await this.http.getJson(`api/v4/projects/${projectPathSegment(reference)}`, {
      signal,
    });
    return parseWire(gitlabProjectSchema, answer.body, `project ${reference}`);
  }

  async currentUser(signal?: AbortSignal): Promise<GitlabUser> {
    const answer = await this.http.getJson('api/v4/user', { signal });
    return parseWire(gitlabUserSchema, answer.body, 'the current user');
  }

  /** Pipelines of a project, at most `limit`, ordered by when they last changed. */
  pipelines(
    projectId: number,
    filter: { ref: string | null; updatedAfter: string | null; limit: number },
    signal?: AbortSignal,
  ): Promise<ListAnswer<GitlabPipelineListItem>> {
    return this.list(
      `api/v4/projects/${projectId}/pipelines`,
      {
        ref: filter.ref ?? undefined,
        order_by: 'updated_at',
        // The first read wants the newest; later reads catch up oldest-first so that a burst of
        // more than `limit` changes is read over several polls instead of skipped.
        sort: filter.updatedAfter ? 'asc' : 'desc',
        updated_after: filter.updatedAfter ?? undefined,
      },
      gitlabPipelineListSchema,
      `the pipelines of project ${projectId}`,
      filter.limit,
      signal,
    );
  }

  async pipeline(
    projectId: number,
    pipelineId: number,
    signal?: AbortSignal,
  ): Promise<GitlabPipeline> {
    const answer = await this.http.getJson(`api/v4/projects/${projectId}/pipelines/${pipelineId}`, {
      signal,
      conditional: true,
    });
    return parseWire(gitlabPipelineSchema, answer.body, `pipeline ${pipelineId}`);
  }

  pipelineJobs(
    projectId: number,
    pipelineId: number,
    signal?: AbortSignal,
  ): Promise<ListAnswer<GitlabJob>> {
    return this.list(
      `api/v4/projects/${projectId}/pipelines/${pipelineId}/jobs`,
      {},
      gitlabJobListSchema,
      `the jobs of pipeline ${pipelineId}`,
      MAX_PER_PAGE * MAX_PAGES,
      signal,
    );
  }

  pipelineBridges(
    projectId: number,
    pipelineId: number,
    signal?: AbortSignal,
  ): Promise<ListAnswer<GitlabJob>> {
    return this.list(
      `api/v4/projects/${projectId}/pipelines/${pipelineId}/bridges`,
      {},
      gitlabJobListSchema,
      `the trigger jobs of pipeline ${pipelineId}`,
      MAX_PER_PAGE * MAX_PAGES,
      signal,
    );
  }

  /** Deployments waiting for approval (or, on newer servers, to be played after approval). */
  blockedDeployments(
    projectId: number,
    signal?: AbortSignal,
  ): Promise<ListAnswer<GitlabDeployment>> {
    return this.list(
      `api/v4/projects/${projectId}/deployments`,
      { status: 'blocked', order_by: 'id', sort: 'desc' },
      gitlabDeploymentListSchema,
      `the blocked deployments of project ${projectId}`,
      MAX_PER_PAGE,
      signal,
    );
  }

  async deployment(
    projectId: number,
    deploymentId: number,
    signal?: AbortSignal,
  ): Promise<GitlabDeployment> {
    const answer = await this.http.getJson(
      `api/v4/projects/${projectId}/deployments/${deploymentId}`,
      { signal },
    );
    return parseWire(gitlabDeploymentSchema, answer.body, `deployment ${deploymentId}`);
  }

  async job(projectId: number, jobId: number, signal?: AbortSignal): Promise<GitlabJob> {
    const answer = await this.http.getJson(`api/v4/projects/${projectId}/jobs/${jobId}`, {
      signal,
    });
    return parseWire(gitlabJobSchema, answer.body, `job ${jobId}`);
  }

  /** The whole trace, in the pieces it arrived in: GitLab has no partial reads on this endpoint. */
  async trace(projectId: number, jobId: number, signal?: AbortSignal): Promise<string[]> {
    const answer = await this.http.getTextPieces(
      `api/v4/projects/${projectId}/jobs/${jobId}/trace`,
      { signal },
    );
    return answer.pieces;
  }

  async pipelineGraph(
    fullPath: string,
    iid: number,
    signal?: AbortSignal,
  ): Promise<GitlabGraphAnswer> {
    const answer = await this.http.send(
      'POST',
      'api/graphql',
      { query: PIPELINE_GRAPH_QUERY, variables: { fullPath, iid: String(iid) } },
      { signal },
    );
    return parseWire(gitlabGraphAnswerSchema, answer.body ?? {}, 'the GraphQL pipeline graph');
  }

  async playJob(
    projectId: number,
    jobId: number,
    variables: Readonly<Record<string, string>>,
  ): Promise<GitlabJob> {
    const entries = Object.entries(variables);
    const body =
      entries.length > 0
        ? { job_variables_attributes: entries.map(([key, value]) => ({ key, value })) }
        : undefined;
    const answer = await this.http.send(
      'POST',
      `api/v4/projects/${projectId}/jobs/${jobId}/play`,
      body,
    );
    return parseWire(gitlabJobSchema, answer.body, `playing job ${jobId}`);
  }

  async retryJob(projectId: number, jobId: number): Promise<GitlabJob> {
    const answer = await this.http.send('POST', `api/v4/projects/${projectId}/jobs/${jobId}/retry`);
    return parseWire(gitlabJobSchema, answer.body, `retrying job ${jobId}`);
  }

  async retryPipeline(projectId: number, pipelineId: number): Promise<GitlabPipeline> {
    const answer = await this.http.send(
      'POST',
      `api/v4/projects/${projectId}/pipelines/${pipelineId}/retry`,
    );
    return parseWire(gitlabPipelineSchema, answer.body, `retrying pipeline ${pipelineId}`);
  }

  async cancelPipeline(projectId: number, pipelineId: number): Promise<GitlabPipeline> {
    const answer = await this.http.send(
      'POST',
      `api/v4/projects/${projectId}/pipelines/${pipelineId}/cancel`,
    );
    return parseWire(gitlabPipelineSchema, answer.body, `cancelling pipeline ${pipelineId}`);
  }

  async decideDeployment(
    projectId: number,
    deploymentId: number,
    status: 'approved' | 'rejected',
    comment: string,
  ): Promise<GitlabDeploymentApproval> {
    const answer = await this.http.send(
      'POST',
      `api/v4/projects/${projectId}/deployments/${deploymentId}/approval`,
      comment.trim() === '' ? { status } : { status, comment },
    );
    return parseWire(
      gitlabDeploymentApprovalSchema,
      answer.body,
      `deciding deployment ${deploymentId}`,
    );
  }

  /**
   * Reads a list page by page with conditional requests. Follows `X-Next-Page` (same URL, next
   * page number: the credentials stay on this origin) and else the `Link` header's `rel="next"`.
   */
  private async list<T>(
    path: string,
    query: Record<string, string | undefined>,
    schema: z.ZodType<T[]>,
    endpoint: string,
    limit: number,
    signal: AbortSignal | undefined,
  ): Promise<ListAnswer<T>> {
    const items: T[] = [];
    let notModified = true;
    let target: { path: string; query: Record<string, string | number | undefined> } | null = {
      path,
      query: { ...query, per_page: Math.min(MAX_PER_PAGE, limit) },
    };
    for (let page = 0; target && page < MAX_PAGES && items.length < limit; page += 1) {
      const key = this.http.url(target.path, target.query).toString();
      const answer: JsonAnswer = await this.http.getJson(target.path, {
        query: target.query,
        conditional: true,
        signal,
      });
      notModified &&= answer.notModified;
      items.push(...parseWire(schema, answer.body, endpoint));
      const next: string | null = answer.notModified
        ? (this.nextPages.get(key) ?? null)
        : nextPage(answer.headers, target);
      if (!answer.notModified) this.rememberNextPage(key, next);
      target = next === null ? null : parseTarget(next);
    }
    return { items: items.slice(0, limit), notModified };
  }

  private rememberNextPage(key: string, next: string | null): void {
    this.nextPages.delete(key);
    this.nextPages.set(key, next);
    // Polling URLs change with `updated_after`; keep the newest few hundred only.
    if (this.nextPages.size > 500) {
      const oldest = this.nextPages.keys().next().value;
      if (oldest !== undefined) this.nextPages.delete(oldest);
    }
  }
}

/** The next page as a path with its query, encoded as one string for the page cache. */
function nextPage(
  headers: Headers,
  current: { path: string; query: Record<string, string | number | undefined> },
): string | null {
  const number = headers.get('x-next-page')?.trim();
  if (number) {
    return JSON.stringify({ path: current.path, query: { ...current.query, page: number } });
  }
  const link = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(headers.get('link') ?? '')?.[1];
  return link ? JSON.stringify({ path: link, query: {} }) : null;
}

function parseTarget(next: string): {
  path: string;
  query: Record<string, string | number | undefined>;
} {
  return JSON.parse(next) as { path: string; query: Record<string, string | number | undefined> };
}

function safeOrigin(root: string): string {
  try {
    return new URL(root).origin;
  } catch {
    return root;
  }
}

function safeHost(root: string): string {
  try {
    return new URL(root).host;
  } catch {
    return root;
  }
}
