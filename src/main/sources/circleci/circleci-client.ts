import type { z } from 'zod';
import { ProviderHttp } from '../http/provider-http';
import { SourceError } from '../source';
import type { CircleciOptions } from './circleci-options';
import {
  circleciJobSchema,
  circleciPipelineSchema,
  circleciWorkflowSchema,
  messageSchema,
  pageSchema,
  parseWire,
  rerunAnswerSchema,
  userSchema,
  type CircleciJob,
  type CircleciPipeline,
  type CircleciWorkflow,
} from './circleci-wire';

/** CircleCI's public API v2; `baseUrl` overrides it (CircleCI server, a fake in tests). */
export const CIRCLECI_API_URL = 'https://circleci.com/api/v2';

/** A slug as a path: each part encoded, the slashes kept (CircleCI reads them as separators). */
function projectPath(projectSlug: string): string {
  return projectSlug.split('/').map(encodeURIComponent).join('/');
}

/** Pages followed at most for one list (workflows of a pipeline, jobs of a workflow). */
const MAX_PAGES = 5;

export interface CircleciClientSettings {
  baseUrl: string;
  options: CircleciOptions;
  token: () => string | null;
  fetch?: typeof fetch;
  /** Longest wait for one request (the config's `requestTimeoutSeconds`). */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * CircleCI's endpoints on top of the shared HTTP layer: the `Circle-Token` header, lists paged
 * with `next_page_token` → `page-token`, and `Retry-After` honoured by the layer.
 */
export class CircleciClient {
  readonly http: ProviderHttp;

  constructor(private readonly settings: CircleciClientSettings) {
    this.http = new ProviderHttp({
      providerName: 'CircleCI',
      baseUrl: settings.baseUrl,
      authHeaders: (): Record<string, string> => {
        const token = settings.token();
        if (!token) {
          throw new SourceError(
            'auth',
            'CircleCI needs a personal API token: set "token" on this source (project tokens do not work with API v2).',
          );
        }
        return { 'Circle-Token': token };
      },
      secrets: () => [this.safeToken()],
      ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
      ...(settings.fetch ? { fetch: settings.fetch } : {}),
      ...(settings.now ? { now: settings.now } : {}),
    });
  }

  private safeToken(): string | null {
    try {
      return this.settings.token();
    } catch {
      return null;
    }
  }

  /** Every page of a list, up to MAX_PAGES. */
  private async pages<T extends z.ZodType>(
    path: string,
    item: T,
    endpoint: string,
    signal?: AbortSignal,
  ): Promise<z.output<T>[]> {
    const schema = pageSchema(item);
    const items: z.output<T>[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      if (signal?.aborted) throw new SourceError('unreachable', 'The poll was cancelled.');
      const answer = await this.http.getJson(path, {
        conditional: true,
        query: { 'page-token': token },
        ...(signal ? { signal } : {}),
      });
      const parsed = parseWire(schema, answer.body, endpoint);
      items.push(...(parsed.items as z.output<T>[]));
      token = parsed.next_page_token ?? undefined;
      if (!token) break;
    }
    return items;
  }

  /** A project's newest pipelines (one page; CircleCI pages hold 20). */
  async listPipelines(projectSlug: string, signal: AbortSignal): Promise<CircleciPipeline[]> {
    const answer = await this.http.getJson(`project/${projectPath(projectSlug)}/pipeline`, {
      signal,
      conditional: true,
      query: { branch: this.settings.options.branch },
    });
    const page = parseWire(
      pageSchema(circleciPipelineSchema),
      answer.body,
      `the pipelines of ${projectSlug}`,
    );
    return page.items;
  }

  listWorkflows(pipelineId: string, signal?: AbortSignal): Promise<CircleciWorkflow[]> {
    return this.pages(
      `pipeline/${encodeURIComponent(pipelineId)}/workflow`,
      circleciWorkflowSchema,
      `the workflows of pipeline ${pipelineId}`,
      signal,
    );
  }

  listJobs(workflowId: string, signal?: AbortSignal): Promise<CircleciJob[]> {
    return this.pages(
      `workflow/${encodeURIComponent(workflowId)}/job`,
      circleciJobSchema,
      `the jobs of workflow ${workflowId}`,
      signal,
    );
  }

  /** `POST /workflow/{id}/approve/{approval_request_id}`: 202 with a message. */
  async approve(workflowId: string, approvalRequestId: string): Promise<string> {
    const answer = await this.http.send(
      'POST',
      `workflow/${encodeURIComponent(workflowId)}/approve/${encodeURIComponent(approvalRequestId)}`,
    );
    return parseWire(messageSchema, answer.body ?? {}, 'the approval answer').message ?? 'Accepted';
  }

  async cancelWorkflow(workflowId: string): Promise<string> {
    const answer = await this.http.send(
      'POST',
      `workflow/${encodeURIComponent(workflowId)}/cancel`,
    );
    return parseWire(messageSchema, answer.body ?? {}, 'the cancel answer').message ?? 'Accepted';
  }

  /** Re-runs a workflow: all of it, from its failed jobs, or only the given jobs. */
  async rerunWorkflow(
    workflowId: string,
    body: { from_failed?: boolean; jobs?: string[] },
  ): Promise<string | null> {
    const answer = await this.http.send(
      'POST',
      `workflow/${encodeURIComponent(workflowId)}/rerun`,
      body,
    );
    return parseWire(rerunAnswerSchema, answer.body ?? {}, 'the re-run answer').workflow_id ?? null;
  }

  /** The token's user, for the audit: `GET /me`. */
  async me(): Promise<string | null> {
    const answer = await this.http.getJson('me');
    const user = parseWire(userSchema, answer.body, 'the token user');
    return user.name ?? user.login ?? null;
  }

  /** A user's name by id (approvals name the approver by id only). */
  async userName(userId: string): Promise<string | null> {
    const answer = await this.http.getJson(`user/${encodeURIComponent(userId)}`);
    const user = parseWire(userSchema, answer.body, `user ${userId}`);
    return user.login ?? user.name ?? null;
  }
}
