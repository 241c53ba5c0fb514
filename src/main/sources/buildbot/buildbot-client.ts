import type { z } from 'zod';
import { ProviderHttp } from '../http/provider-http';
import { SourceError } from '../source';
import { logIn, type BuildbotSession } from './buildbot-session';
import {
  buildRequestSchema,
  buildSchema,
  buildsetSchema,
  builderSchema,
  changeSchema,
  forceSchedulerSchema,
  jsonRpcAnswerSchema,
  logChunkSchema,
  logSchema,
  parseCollection,
  stepSchema,
  type BuildbotBuild,
  type BuildbotBuildRequest,
  type BuildbotBuildset,
  type BuildbotBuilder,
  type BuildbotChange,
  type BuildbotForceScheduler,
  type BuildbotLog,
  type BuildbotStep,
} from './buildbot-wire';

export interface BuildbotClientSettings {
  /** The Buildbot web root (`https://buildbot.example.org/`); `/api/v2` is added. */
  baseUrl: string;
  /** A web user to log in as; null logs in with the token as an OAuth2 access token, if any. */
  user: string | null;
  /** The password of `user` (or an OAuth2 token); null reads anonymously. */
  token: () => string | null;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
}

/** Build properties every poll asks for: enough to name the candidate and to force a gate. */
const BUILD_PROPERTIES = [
  'branch',
  'revision',
  'got_revision',
  'repository',
  'project',
  'owner',
  'scheduler',
];
/** Ids per filtered request, so URLs stay short. */
const IDS_PER_REQUEST = 40;

/** The web root from a configured base URL, which may also be given as its `/api/v2`. */
export function webRootOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.pathname = url.pathname.replace(/\/api(\/v2)?\/?$/, '/').replace(/\/?$/, '/');
  url.search = '';
  url.hash = '';
  return url.toString();
}

function withQuery(path: string, query: readonly (readonly [string, string | number])[]): string {
  if (query.length === 0) return path;
  const search = new URLSearchParams(query.map(([key, value]) => [key, String(value)]));
  return `${path}?${search.toString()}`;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) {
    result.push(items.slice(index, index + size));
  }
  return result;
}

/** The message of a JSON-RPC error inside a SourceError's text (its body snippet), if any. */
function rpcErrorText(text: string): string | null {
  const start = text.indexOf('{');
  if (start >= 0) {
    try {
      const body = JSON.parse(text.slice(start, text.lastIndexOf('}') + 1)) as {
        error?: { message?: unknown };
      };
      const message = body.error?.message;
      if (typeof message === 'string') return message;
      if (message && typeof message === 'object') return Object.values(message).join('; ');
    } catch {
      // A cut-off snippet: fall back to the first quoted message.
    }
  }
  const quoted = /"message":\s*"((?:[^"\\]|\\.)*)"/.exec(text);
  return quoted?.[1] ?? null;
}

/**
 * Buildbot's REST API (`/api/v2`) and JSON-RPC control, on the shared provider HTTP layer, with
 * the web UI's session when a user or token is configured. Requests run one at a time.
 */
export class BuildbotClient {
  readonly http: ProviderHttp;
  readonly webRoot: string;
  private session: BuildbotSession | null = null;
  private rpcId = 0;
  private readonly now: () => number;

  constructor(private readonly settings: BuildbotClientSettings) {
    this.webRoot = webRootOf(settings.baseUrl);
    this.now = settings.now ?? Date.now;
    this.http = new ProviderHttp({
      providerName: `Buildbot at ${new URL(this.webRoot).host}`,
      baseUrl: `${this.webRoot}api/v2/`,
      authHeaders: (): Record<string, string> =>
        this.session ? { Cookie: this.session.cookie } : {},
      secrets: () => [this.safeToken(), this.session?.cookie.split('=').slice(1).join('=')],
      ...(settings.fetch ? { fetch: settings.fetch } : {}),
      ...(settings.now ? { now: settings.now } : {}),
      ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
    });
  }

  /** Who requests act as: the logged-in user, or "anonymous". */
  get actor(): string {
    return this.session?.user ?? this.settings.user ?? 'anonymous';
  }

  private safeToken(): string | null {
    try {
      return this.settings.token();
    } catch {
      return null;
    }
  }

  private async ensureSession(signal: AbortSignal | undefined): Promise<void> {
    const token = this.settings.token();
    if (!token) {
      if (this.settings.user) {
        throw new SourceError(
          'auth',
          `options.user is "${this.settings.user}" but the source has no token (that user's password).`,
        );
      }
      return;
    }
    const session = this.session;
    if (session && (session.expiresAt === null || session.expiresAt - 60_000 > this.now())) return;
    this.session = await logIn(
      this.http,
      this.webRoot,
      { user: this.settings.user, token },
      signal,
    );
  }

  /**
   * Runs a request in the session; a refusal while logged in may be a session the master no
   * longer accepts (a new session secret), so it logs in again once and retries.
   */
  private async inSession<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    await this.ensureSession(signal);
    const hadSession = this.session !== null;
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof SourceError) || error.kind !== 'forbidden' || !hadSession) throw error;
      this.session = null;
      await this.ensureSession(signal);
      return call();
    }
  }

  private async collection<T>(
    path: string,
    plural: string,
    schema: z.ZodType<T>,
    signal: AbortSignal | undefined,
  ): Promise<T[]> {
    const answer = await this.inSession(signal, () => this.http.getJson(path, { signal }));
    return parseCollection(path.split('?')[0] ?? path, plural, schema, answer.body);
  }

  private async filtered<T>(
    path: string,
    field: string,
    ids: readonly number[],
    extra: readonly (readonly [string, string | number])[],
    plural: string,
    schema: z.ZodType<T>,
    signal: AbortSignal | undefined,
  ): Promise<T[]> {
    const results: T[] = [];
    for (const part of chunks([...new Set(ids)], IDS_PER_REQUEST)) {
      const query = [...part.map((id) => [field, id] as const), ...extra];
      results.push(...(await this.collection(withQuery(path, query), plural, schema, signal)));
    }
    return results;
  }

  builders(signal?: AbortSignal): Promise<BuildbotBuilder[]> {
    return this.collection('/builders', 'builders', builderSchema, signal);
  }

  /** A builder's newest build requests: a pipeline's check-ins, or a gate's forces. */
  recentRequests(
    builderId: number,
    limit: number,
    signal?: AbortSignal,
  ): Promise<BuildbotBuildRequest[]> {
    const path = withQuery(`/builders/${builderId}/buildrequests`, [
      ['order', '-buildrequestid'],
      ['limit', limit],
    ]);
    return this.collection(path, 'buildrequests', buildRequestSchema, signal);
  }

  async buildRequest(id: number, signal?: AbortSignal): Promise<BuildbotBuildRequest | null> {
    const found = await this.collection(
      `/buildrequests/${id}`,
      'buildrequests',
      buildRequestSchema,
      signal,
    );
    return found[0] ?? null;
  }

  /** Buildsets by id (a multi-valued filter is an SQL `IN`). */
  buildsets(ids: readonly number[], signal?: AbortSignal): Promise<BuildbotBuildset[]> {
    return this.filtered('/buildsets', 'bsid', ids, [], 'buildsets', buildsetSchema, signal);
  }

  /** Buildsets triggered by these builds: the next links of their chains. */
  triggeredBuildsets(
    buildIds: readonly number[],
    signal?: AbortSignal,
  ): Promise<BuildbotBuildset[]> {
    return this.filtered(
      '/buildsets',
      'parent_buildid',
      buildIds,
      [],
      'buildsets',
      buildsetSchema,
      signal,
    );
  }

  /** Build requests of these buildsets (`buildsetid=` takes one value only, `__in` many). */
  requestsOf(
    buildsetIds: readonly number[],
    signal?: AbortSignal,
  ): Promise<BuildbotBuildRequest[]> {
    return this.filtered(
      '/buildrequests',
      'buildsetid__in',
      buildsetIds,
      [],
      'buildrequests',
      buildRequestSchema,
      signal,
    );
  }

  /** Builds of these requests, with the properties that name the candidate. */
  buildsOf(requestIds: readonly number[], signal?: AbortSignal): Promise<BuildbotBuild[]> {
    return this.filtered(
      '/builds',
      'buildrequestid__in',
      requestIds,
      BUILD_PROPERTIES.map((name) => ['property', name] as const),
      'builds',
      buildSchema,
      signal,
    );
  }

  /** One build with every property (what a gate's force inherits). */
  async buildWithProperties(buildId: number, signal?: AbortSignal): Promise<BuildbotBuild | null> {
    const path = withQuery(`/builds/${buildId}`, [['property', '*']]);
    return (await this.collection(path, 'builds', buildSchema, signal))[0] ?? null;
  }

  steps(buildId: number, signal?: AbortSignal): Promise<BuildbotStep[]> {
    return this.collection(`/builds/${buildId}/steps`, 'steps', stepSchema, signal);
  }

  changes(buildId: number, signal?: AbortSignal): Promise<BuildbotChange[]> {
    return this.collection(`/builds/${buildId}/changes`, 'changes', changeSchema, signal);
  }

  logs(stepId: number, signal?: AbortSignal): Promise<BuildbotLog[]> {
    return this.collection(`/steps/${stepId}/logs`, 'logs', logSchema, signal);
  }

  /** Lines `offset` to `offset + limit - 1` of a log, stream markers and all. */
  async logLines(
    logId: number,
    offset: number,
    limit: number,
    signal?: AbortSignal,
  ): Promise<string> {
    const path = withQuery(`/logs/${logId}/contents`, [
      ['offset', offset],
      ['limit', limit],
    ]);
    const chunks = await this.collection(path, 'logchunks', logChunkSchema, signal);
    return chunks.map((chunk) => chunk.content ?? '').join('');
  }

  /** The whole log as Buildbot renders it for download (markers removed, HTML as is). */
  async rawLog(logId: number, signal?: AbortSignal): Promise<string> {
    const answer = await this.inSession(signal, () =>
      this.http.getText(`/logs/${logId}/raw`, { signal }),
    );
    return answer.text;
  }

  forceSchedulers(builderId: number, signal?: AbortSignal): Promise<BuildbotForceScheduler[]> {
    return this.collection(
      `/builders/${builderId}/forceschedulers`,
      'forceschedulers',
      forceSchedulerSchema,
      signal,
    );
  }

  /**
   * A JSON-RPC control call (`force`, `rebuild`, `stop`, `cancel`): answers `result`. Refusals
   * become SourceErrors whose message is Buildbot's own sentence.
   */
  async control(
    path: string,
    method: string,
    params: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<unknown> {
    this.rpcId += 1;
    const body = { jsonrpc: '2.0', method, params, id: this.rpcId };
    let answer;
    try {
      answer = await this.inSession(signal, () => this.http.send('POST', path, body, { signal }));
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      const said = rpcErrorText(error.message);
      if (!said) throw error;
      throw new SourceError(
        error.kind,
        `Buildbot refused to ${method} (${path}): ${said}.`,
        error.retryAt,
      );
    }
    const parsed = jsonRpcAnswerSchema.safeParse(answer.body);
    if (!parsed.success) {
      throw new SourceError(
        'bad-response',
        `Buildbot's ${path} answered ${method} with something that is not JSON-RPC.`,
      );
    }
    if (parsed.data.error) {
      const said = rpcErrorText(JSON.stringify({ error: parsed.data.error })) ?? 'no reason given';
      throw new SourceError('bad-response', `Buildbot refused to ${method} (${path}): ${said}.`);
    }
    return parsed.data.result;
  }
}
