import type { z } from 'zod';
import { ProviderHttp, type HttpStats } from '../http/provider-http';
import { SourceError } from '../source';
import { githubRateLimitReset, readRateLimit, type RateLimitBudget } from './github-rate-limit';
import { repositoryPath, type Repository } from './github-refs';
import {
  authenticatedUserSchema,
  contentFileSchema,
  deploymentsSchema,
  environmentApprovalsSchema,
  jobSchema,
  jobsListSchema,
  parseWire,
  pendingDeploymentsSchema,
  workflowRunSchema,
  workflowRunsListSchema,
  workflowsListSchema,
  type GithubEnvironmentApproval,
  type GithubJob,
  type GithubPendingDeployment,
  type GithubWorkflow,
  type GithubWorkflowRun,
} from './github-wire';
import { runInTokenQueue, tokenQueueKey } from './token-queue';

export const GITHUB_API_URL = 'https://api.github.com';

/** The API version every GitHub docs sample pins. */
const API_VERSION = '2022-11-28';
const ACCEPT = 'application/vnd.github+json';
/** Lists are followed this many pages at most, so that one odd answer cannot loop a poll. */
const MAX_PAGES = 10;
const PAGE_SIZE = 100;

export interface GithubClientSettings {
  baseUrl: string;
  /** Resolves the token at each request (throws SourceError('auth') when it is missing). */
  token: () => string | null;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
}

export interface RunsQuery {
  /** A workflow's id; without it, the runs of every workflow of the repository. */
  workflowId?: number;
  branch?: string;
  perPage: number;
}

function nextLink(headers: Headers): string | null {
  const link = headers.get('link');
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (match?.[1]) return match[1];
  }
  return null;
}

/**
 * GitHub's Actions endpoints on top of ProviderHttp: every GET conditional (an authorized 304
 * costs no rate-limit point), one request at a time per token, the rate-limit headers of every
 * answer remembered for the UI.
 */
export class GithubClient {
  readonly http: ProviderHttp;
  private budget: RateLimitBudget | null = null;
  private readonly apiOrigin: string;

  constructor(private readonly settings: GithubClientSettings) {
    this.apiOrigin = new URL(settings.baseUrl).origin;
    const fetchImpl = settings.fetch ?? fetch;
    this.http = new ProviderHttp({
      providerName: `GitHub at ${new URL(settings.baseUrl).host}`,
      baseUrl: settings.baseUrl,
      authHeaders: (): Record<string, string> => {
        const token = settings.token();
        return token ? { Authorization: `Bearer ${token}` } : {};
      },
      headers: { 'X-GitHub-Api-Version': API_VERSION },
      secrets: () => [this.safeToken()],
      rateLimitReset: githubRateLimitReset,
      ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
      ...(settings.now ? { now: settings.now } : {}),
      fetch: (input, init) =>
        runInTokenQueue(tokenQueueKey(this.apiOrigin, this.safeToken()), async () => {
          const response = await fetchImpl(input, init);
          this.observe(input, response);
          return response;
        }),
    });
  }

  /** The budget GitHub reported in its latest answer, or null before the first one. */
  rateLimit(): RateLimitBudget | null {
    return this.budget ? { ...this.budget } : null;
  }

  get stats(): HttpStats {
    return this.http.stats;
  }

  async listWorkflows(repository: Repository, signal?: AbortSignal): Promise<GithubWorkflow[]> {
    return this.pages(
      `${repositoryPath(repository)}/actions/workflows`,
      workflowsListSchema,
      (page) => page.workflows,
      (page) => page.total_count ?? null,
      signal,
    );
  }

  /** One page of the newest runs: a poll sees what changed lately, not the whole history. */
  async listRuns(
    repository: Repository,
    query: RunsQuery,
    signal?: AbortSignal,
  ): Promise<GithubWorkflowRun[]> {
    const path =
      query.workflowId === undefined
        ? `${repositoryPath(repository)}/actions/runs`
        : `${repositoryPath(repository)}/actions/workflows/${query.workflowId}/runs`;
    const answer = await this.http.getJson(path, {
      conditional: true,
      signal,
      headers: { Accept: ACCEPT },
      query: { per_page: query.perPage, branch: query.branch, exclude_pull_requests: true },
    });
    return parseWire(workflowRunsListSchema, answer.body, `GET ${path}`).workflow_runs;
  }

  async getRun(
    repository: Repository,
    runId: number,
    signal?: AbortSignal,
  ): Promise<GithubWorkflowRun> {
    const path = `${repositoryPath(repository)}/actions/runs/${runId}`;
    return this.getParsed(path, workflowRunSchema, signal);
  }

  /** The jobs of a run's latest attempt (`filter=latest`, GitHub's default). */
  async listJobs(
    repository: Repository,
    runId: number,
    signal?: AbortSignal,
  ): Promise<GithubJob[]> {
    return this.pages(
      `${repositoryPath(repository)}/actions/runs/${runId}/jobs`,
      jobsListSchema,
      (page) => page.jobs,
      (page) => page.total_count ?? null,
      signal,
    );
  }

  async getJob(repository: Repository, jobId: number, signal?: AbortSignal): Promise<GithubJob> {
    return this.getParsed(`${repositoryPath(repository)}/actions/jobs/${jobId}`, jobSchema, signal);
  }

  async listPendingDeployments(
    repository: Repository,
    runId: number,
    signal?: AbortSignal,
  ): Promise<GithubPendingDeployment[]> {
    const path = `${repositoryPath(repository)}/actions/runs/${runId}/pending_deployments`;
    return this.getParsed(path, pendingDeploymentsSchema, signal);
  }

  /** Who approved or rejected which environment of a run, with their comments. */
  async listApprovals(
    repository: Repository,
    runId: number,
    signal?: AbortSignal,
  ): Promise<GithubEnvironmentApproval[]> {
    const path = `${repositoryPath(repository)}/actions/runs/${runId}/approvals`;
    return this.getParsed(path, environmentApprovalsSchema, signal);
  }

  /** A file's text at a commit (the contents API answers it base64-encoded). */
  async readFileAt(
    repository: Repository,
    filePath: string,
    commitSha: string,
    signal?: AbortSignal,
  ): Promise<string> {
    const encodedPath = filePath.split('/').map(encodeURIComponent).join('/');
    const path = `${repositoryPath(repository)}/contents/${encodedPath}`;
    // Not conditional: the file at a commit never changes, and the caller keeps it on disk.
    const answer = await this.http.getJson(path, {
      signal,
      headers: { Accept: ACCEPT },
      query: { ref: commitSha },
    });
    const file = parseWire(contentFileSchema, answer.body, `GET ${path}`);
    // Files over 1 MB come without content (`encoding: "none"`); workflow files never are.
    if (file.encoding !== 'base64' || typeof file.content !== 'string') {
      throw new SourceError(
        'bad-response',
        `GitHub did not send ${filePath} at ${commitSha.slice(0, 7)} as a base64-encoded file.`,
      );
    }
    return Buffer.from(file.content, 'base64').toString('utf8');
  }

  /**
   * A job's whole log, in the pieces it arrived in: a 302 to a signed URL, fetched without the
   * token (ProviderHttp).
   */
  async jobLog(repository: Repository, jobId: number, signal?: AbortSignal): Promise<string[]> {
    const answer = await this.http.getTextPieces(
      `${repositoryPath(repository)}/actions/jobs/${jobId}/logs`,
      { signal, headers: { Accept: ACCEPT } },
    );
    return answer.pieces;
  }

  /** Approves or rejects environments a run waits for; answers how many deployments started. */
  async reviewPendingDeployments(
    repository: Repository,
    runId: number,
    review: { environment_ids: number[]; state: 'approved' | 'rejected'; comment: string },
  ): Promise<number> {
    const path = `${repositoryPath(repository)}/actions/runs/${runId}/pending_deployments`;
    const answer = await this.http.send('POST', path, review, { headers: { Accept: ACCEPT } });
    return answer.body === null
      ? 0
      : parseWire(deploymentsSchema, answer.body, `POST ${path}`).length;
  }

  async rerunRun(repository: Repository, runId: number, failedOnly: boolean): Promise<void> {
    const action = failedOnly ? 'rerun-failed-jobs' : 'rerun';
    await this.http.send(
      'POST',
      `${repositoryPath(repository)}/actions/runs/${runId}/${action}`,
      undefined,
      {
        headers: { Accept: ACCEPT },
      },
    );
  }

  async cancelRun(repository: Repository, runId: number): Promise<void> {
    await this.http.send(
      'POST',
      `${repositoryPath(repository)}/actions/runs/${runId}/cancel`,
      undefined,
      {
        headers: { Accept: ACCEPT },
      },
    );
  }

  async rerunJob(repository: Repository, jobId: number): Promise<void> {
    await this.http.send(
      'POST',
      `${repositoryPath(repository)}/actions/jobs/${jobId}/rerun`,
      undefined,
      {
        headers: { Accept: ACCEPT },
      },
    );
  }

  /** The login the token belongs to (`GET /user`). */
  async authenticatedLogin(signal?: AbortSignal): Promise<string> {
    return (await this.getParsed('user', authenticatedUserSchema, signal)).login;
  }

  private async getParsed<T>(path: string, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
    const answer = await this.http.getJson(path, {
      conditional: true,
      signal,
      headers: { Accept: ACCEPT },
    });
    return parseWire(schema, answer.body, `GET ${path}`);
  }

  /**
   * A list over pages: `rel="next"` from the Link header, or — when a 304 came back without
   * one — the next page number while `total_count` says more exist.
   */
  private async pages<Page, Item>(
    path: string,
    schema: z.ZodType<Page>,
    items: (page: Page) => Item[],
    total: (page: Page) => number | null,
    signal?: AbortSignal,
  ): Promise<Item[]> {
    const all: Item[] = [];
    let next: string | null = path;
    let query: Record<string, number> | undefined = { per_page: PAGE_SIZE, page: 1 };
    for (let count = 0; next !== null && count < MAX_PAGES; count += 1) {
      const answer = await this.http.getJson(next, {
        conditional: true,
        signal,
        headers: { Accept: ACCEPT },
        ...(query ? { query } : {}),
      });
      const page = parseWire(schema, answer.body, `GET ${path}`);
      const pageItems = items(page);
      all.push(...pageItems);
      const expected = total(page);
      const linked = nextLink(answer.headers);
      if (linked) {
        next = linked;
        query = undefined;
      } else if (expected !== null && all.length < expected && pageItems.length > 0) {
        next = path;
        query = { per_page: PAGE_SIZE, page: count + 2 };
      } else {
        next = null;
      }
    }
    return all;
  }

  private observe(input: Parameters<typeof fetch>[0], response: Response): void {
    const url = input instanceof Request ? input.url : String(input);
    if (new URL(url).origin !== this.apiOrigin) return;
    const budget = readRateLimit(response.headers);
    if (budget) this.budget = budget;
  }

  private safeToken(): string | null {
    try {
      return this.settings.token();
    } catch {
      return null;
    }
  }
}
