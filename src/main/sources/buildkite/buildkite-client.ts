import type { RateLimitBudget } from '../../../shared/model';
import { ProviderHttp } from '../http/provider-http';
import { SourceError } from '../source';
import type { BuildkiteOptions } from './buildkite-options';
import {
  buildkiteRateLimitReset,
  clientBudgetPerMinute,
  readOrgBudget,
  RequestWindow,
} from './buildkite-rate-limit';
import {
  buildkiteBuildListSchema,
  buildkiteBuildSchema,
  buildkiteJobSchema,
  buildkiteUserSchema,
  parseWire,
  type BuildkiteBuild,
  type BuildkiteJob,
} from './buildkite-wire';

/** Buildkite's public REST API; `baseUrl` overrides it (a fake server in tests). */
export const BUILDKITE_API_URL = 'https://api.buildkite.com/v2';

/** The tail of a job log read at most; older lines are left out with a note. */
export const LOG_TAIL_BYTES = 32 * 1024 * 1024;

export interface BuildkiteClientSettings {
  baseUrl: string;
  options: BuildkiteOptions;
  token: () => string | null;
  fetch?: typeof fetch;
  /** Longest wait for one request (the config's `requestTimeoutSeconds`). */
  timeoutMs?: number;
  now?: () => number;
}

export interface BuildPage {
  builds: BuildkiteBuild[];
  /** The next (older) page's URL from the `Link` header, or null. */
  next: string | null;
}

export interface LogTail {
  text: string;
  /** Bytes of the whole log when only its tail was read, else null. */
  totalBytes: number | null;
}

/** The `rel="next"` URL of a `Link` header. */
export function nextPageUrl(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (match?.[1]) return match[1];
  }
  return null;
}

/**
 * Buildkite's endpoints on top of the shared HTTP layer: a Bearer token, the organization's
 * rate-limit headers read from every answer, and this client's own requests counted so the
 * source can keep within its share of the organization's budget.
 */
export class BuildkiteClient {
  readonly http: ProviderHttp;
  /** This client's requests in the last minute (polls and actions alike). */
  readonly window: RequestWindow;
  private budget: RateLimitBudget | null = null;
  private readonly now: () => number;
  private readonly organization: string;

  constructor(private readonly settings: BuildkiteClientSettings) {
    this.now = settings.now ?? Date.now;
    this.organization = encodeURIComponent(settings.options.organization);
    this.window = new RequestWindow(
      clientBudgetPerMinute(
        settings.options.orgRequestsPerMinute,
        settings.options.shareOfOrgBudget,
      ),
    );
    const fetchImpl = settings.fetch ?? fetch;
    const apiOrigin = new URL(settings.baseUrl).origin;
    this.http = new ProviderHttp({
      providerName: 'Buildkite',
      baseUrl: settings.baseUrl,
      authHeaders: (): Record<string, string> => {
        const token = settings.token();
        if (!token) {
          throw new SourceError(
            'auth',
            'Buildkite needs an API access token: set "token" on this source (an environment variable or a stored secret).',
          );
        }
        return { Authorization: `Bearer ${token}` };
      },
      secrets: () => [this.safeToken()],
      rateLimitReset: buildkiteRateLimitReset,
      ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
      ...(settings.now ? { now: settings.now } : {}),
      fetch: async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        const counted = url.origin === apiOrigin;
        if (counted) this.window.record(this.now());
        const response = await fetchImpl(input, init);
        if (counted) this.budget = readOrgBudget(response.headers, this.now()) ?? this.budget;
        return response;
      },
    });
  }

  /** The organization's budget as the latest answer reported it. */
  rateLimit(): RateLimitBudget | null {
    return this.budget ? { ...this.budget } : null;
  }

  private safeToken(): string | null {
    try {
      return this.settings.token();
    } catch {
      return null;
    }
  }

  private pipelinePath(slug: string): string {
    return `organizations/${this.organization}/pipelines/${encodeURIComponent(slug)}`;
  }

  private buildPath(slug: string, number: string): string {
    return `${this.pipelinePath(slug)}/builds/${encodeURIComponent(number)}`;
  }

  private jobPath(slug: string, number: string, jobId: string): string {
    return `${this.buildPath(slug, number)}/jobs/${encodeURIComponent(jobId)}`;
  }

  /** Newest builds first, with their jobs; `pageUrl` reads an older page. */
  async listBuilds(slug: string, signal: AbortSignal, pageUrl?: string): Promise<BuildPage> {
    const { options } = this.settings;
    const path = pageUrl ?? `${this.pipelinePath(slug)}/builds`;
    const answer = await this.http.getJson(path, {
      signal,
      conditional: true,
      ...(pageUrl ? {} : { query: { per_page: options.buildsPerPage, branch: options.branch } }),
    });
    return {
      builds: parseWire(buildkiteBuildListSchema, answer.body, `the builds of ${slug}`),
      next: nextPageUrl(answer.headers.get('link')),
    };
  }

  async getBuild(slug: string, number: string, signal?: AbortSignal): Promise<BuildkiteBuild> {
    const answer = await this.http.getJson(this.buildPath(slug, number), signal ? { signal } : {});
    return parseWire(buildkiteBuildSchema, answer.body, `build ${number} of ${slug}`);
  }

  async unblock(
    slug: string,
    number: string,
    jobId: string,
    fields: Readonly<Record<string, string>>,
  ): Promise<BuildkiteJob> {
    const body = Object.keys(fields).length > 0 ? { fields } : {};
    const answer = await this.http.send(
      'PUT',
      `${this.jobPath(slug, number, jobId)}/unblock`,
      body,
    );
    return parseWire(buildkiteJobSchema, answer.body, 'the unblock answer');
  }

  async retryJob(slug: string, number: string, jobId: string): Promise<BuildkiteJob> {
    const answer = await this.http.send('PUT', `${this.jobPath(slug, number, jobId)}/retry`);
    return parseWire(buildkiteJobSchema, answer.body, 'the retry answer');
  }

  async rebuild(slug: string, number: string): Promise<BuildkiteBuild> {
    const answer = await this.http.send('PUT', `${this.buildPath(slug, number)}/rebuild`);
    return parseWire(buildkiteBuildSchema, answer.body, 'the rebuild answer');
  }

  async cancel(slug: string, number: string): Promise<void> {
    await this.http.send('PUT', `${this.buildPath(slug, number)}/cancel`);
  }

  /** The name of the token's user, for the audit; null when the token may not read it. */
  async userName(): Promise<string | null> {
    try {
      const answer = await this.http.getJson('user');
      const user = parseWire(buildkiteUserSchema, answer.body, 'the token user');
      return user.name ?? user.email ?? null;
    } catch (error) {
      if (error instanceof SourceError) return null;
      throw error;
    }
  }

  /**
   * The last `LOG_TAIL_BYTES` of a job's raw log: Buildkite accepts only suffix ranges, answers
   * 206 with `Content-Range: bytes a-b/total`, and 416 for an empty log.
   */
  async jobLogTail(slug: string, number: string, jobId: string): Promise<LogTail> {
    try {
      const answer = await this.http.getText(`${this.jobPath(slug, number, jobId)}/log.txt`, {
        headers: { Accept: 'text/plain', Range: `bytes=-${LOG_TAIL_BYTES}` },
      });
      const total = /\/(\d+)\s*$/.exec(answer.headers.get('content-range') ?? '')?.[1];
      const totalBytes = total === undefined ? null : Number(total);
      return {
        text: answer.text,
        totalBytes: totalBytes !== null && totalBytes > LOG_TAIL_BYTES ? totalBytes : null,
      };
    } catch (error) {
      // The shared layer keeps the status only in its message: 416 is "nothing logged yet".
      if (error instanceof SourceError && /\b416\b/.test(error.message)) {
        return { text: '', totalBytes: null };
      }
      throw error;
    }
  }
}
