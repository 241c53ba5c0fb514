import { ProviderHttp } from '../http/provider-http';
import { SourceError } from '../source';
import { buildPath, jobDisplayName, jobPath, nodePath } from './job-path';
import {
  BUILD_TREE,
  coreBuildsPageSchema,
  crumbSchema,
  identitySchema,
  jobParametersSchema,
  parseWire,
  pendingInputsSchema,
  wfapiNodeLogSchema,
  wfapiRunSchema,
  wfapiRunsSchema,
  wfapiStageDetailSchema,
  type CoreBuild,
  type PendingInput,
  type WfapiNodeLog,
  type WfapiRun,
  type WfapiStageDetail,
} from './jenkins-wire';
import { readProgressive, type ProgressiveChunk } from './log-text';

export interface JenkinsClientSettings {
  baseUrl: string;
  /** The user of Basic auth; required with a token. */
  user: string | null;
  auth: 'token' | 'password';
  /** The API token (or password), resolved at each request; null = anonymous. */
  token: () => string | null;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
}

/** A CSRF crumb and the web session it is bound to (password auth, old servers). */
interface Session {
  field: string | null;
  crumb: string | null;
  cookie: string | null;
}

/** The answer to a form POST: Jenkins often redirects or answers an HTML page. */
export interface PostAnswer {
  status: number;
  text: string;
  location: string | null;
}

/** The `name=value` parts of a response's cookies, ready for a `Cookie` header. */
export function sessionCookie(headers: Headers): string | null {
  const pairs = headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0]?.trim() ?? '')
    .filter((pair) => pair.includes('='));
  return pairs.length > 0 ? pairs.join('; ') : null;
}

/**
 * The Jenkins endpoints Pipewatch uses, on the shared HTTP layer: Basic auth with user and API
 * token, every GET kept small with `tree=`, and for POSTs the crumb + session cookie dance when
 * the credential is a password (or an old server asks for a crumb even with a token).
 */
export class JenkinsClient {
  readonly http: ProviderHttp;
  private session: Session | null = null;
  private identity: string | null = null;

  constructor(private readonly settings: JenkinsClientSettings) {
    this.http = new ProviderHttp({
      providerName: `Jenkins at ${hostOf(settings.baseUrl)}`,
      baseUrl: settings.baseUrl,
      // Credentials, crumb and session cookie go to the Jenkins origin only, never to a redirect.
      authHeaders: () => this.authHeaders(),
      secrets: () => this.secrets(),
      ...(settings.fetch ? { fetch: settings.fetch } : {}),
      ...(settings.now ? { now: settings.now } : {}),
      ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
    });
  }

  private basic(): string | null {
    const secret = this.settings.token();
    if (secret === null) return null;
    if (!this.settings.user) {
      throw new SourceError(
        'auth',
        'Jenkins needs the user name that goes with the token: set options.user of this source.',
      );
    }
    return Buffer.from(`${this.settings.user}:${secret}`).toString('base64');
  }

  private authHeaders(): Record<string, string> {
    const headers: Record<string, string> = {};
    const basic = this.basic();
    if (basic) headers.Authorization = `Basic ${basic}`;
    if (this.session?.field && this.session.crumb) headers[this.session.field] = this.session.crumb;
    if (this.session?.cookie) headers.Cookie = this.session.cookie;
    return headers;
  }

  private secrets(): (string | null)[] {
    let token: string | null = null;
    let basic: string | null = null;
    try {
      token = this.settings.token();
      basic = this.basic();
    } catch {
      // A missing credential has nothing to hide.
    }
    const cookieValues = (this.session?.cookie ?? '')
      .split(';')
      .map((pair) => pair.split('=').slice(1).join('='));
    return [token, basic, this.session?.crumb ?? null, ...cookieValues];
  }

  /** The newest runs of a job with their stages (wfapi lists at most about ten). */
  async runs(job: string, signal?: AbortSignal): Promise<WfapiRun[]> {
    try {
      const answer = await this.http.getJson(`${jobPath(job)}/wfapi/runs`, {
        signal,
        conditional: true,
      });
      return parseWire(wfapiRunsSchema, answer.body, `the runs of ${job}`);
    } catch (error) {
      if (error instanceof SourceError && error.kind === 'not-found') {
        throw new SourceError(
          'not-found',
          `Jenkins has no Pipeline job "${jobDisplayName(job)}": check options.jobs (full names such as "folder/job"), and that the Pipeline Stage View plugin (wfapi) is installed.`,
        );
      }
      throw error;
    }
  }

  /** One run with its stages. */
  async describeRun(job: string, build: number, signal?: AbortSignal): Promise<WfapiRun> {
    const answer = await this.http.getJson(`${buildPath(job, build)}/wfapi/describe`, { signal });
    return parseWire(wfapiRunSchema, answer.body, `build #${build} of ${job}`);
  }

  /** A stage (or step) node with the steps under it. */
  async nodeDetail(
    job: string,
    build: number,
    nodeId: string,
    signal?: AbortSignal,
  ): Promise<WfapiStageDetail> {
    const answer = await this.http.getJson(`${nodePath(job, build, nodeId)}/wfapi/describe`, {
      signal,
    });
    return parseWire(wfapiStageDetailSchema, answer.body, `node ${nodeId} of build #${build}`);
  }

  /** The inputs a build waits on (empty when none). */
  async pendingInputs(job: string, build: number, signal?: AbortSignal): Promise<PendingInput[]> {
    const answer = await this.http.getJson(`${buildPath(job, build)}/wfapi/pendingInputActions`, {
      signal,
    });
    return parseWire(pendingInputsSchema, answer.body, `the inputs of build #${build} of ${job}`);
  }

  /** Builds `offset` to `offset + count` (newest first) of a job, from the core API. */
  async buildsPage(
    job: string,
    offset: number,
    count: number,
    signal?: AbortSignal,
  ): Promise<CoreBuild[]> {
    const answer = await this.http.getJson(`${jobPath(job)}/api/json`, {
      signal,
      conditional: true,
      query: { tree: `builds[${BUILD_TREE}]{${offset},${offset + count}}` },
    });
    return parseWire(coreBuildsPageSchema, answer.body, `the builds of ${job}`).builds ?? [];
  }

  /** The names of a job's build parameters. */
  async jobParameters(job: string): Promise<string[]> {
    const answer = await this.http.getJson(`${jobPath(job)}/api/json`, {
      query: { tree: 'property[parameterDefinitions[name]]' },
    });
    const parsed = parseWire(jobParametersSchema, answer.body, `the parameters of ${job}`);
    return (parsed.property ?? []).flatMap(
      (property) => property?.parameterDefinitions?.map((definition) => definition.name) ?? [],
    );
  }

  /** A step's log as wfapi has it: its last 10 KB as HTML. */
  async nodeLogSummary(job: string, build: number, nodeId: string): Promise<WfapiNodeLog> {
    const answer = await this.http.getJson(`${nodePath(job, build, nodeId)}/wfapi/log`);
    return parseWire(wfapiNodeLogSchema, answer.body, `the log of node ${nodeId}`);
  }

  /** Plain log text from byte `start` on, with where to continue and whether it still grows. */
  async progressive(path: string, start: number): Promise<ProgressiveChunk> {
    const answer = await this.http.getText(path, { query: { start } });
    return readProgressive(answer.text, answer.headers, start);
  }

  /** Who the credential belongs to (full name, else id); null when Jenkins will not say. */
  async whoAmI(): Promise<string | null> {
    if (this.identity !== null) return this.identity;
    try {
      const answer = await this.http.getJson('me/api/json', { query: { tree: 'id,fullName' } });
      const me = parseWire(identitySchema, answer.body, 'who the token belongs to');
      this.identity = me.fullName?.trim() || me.id?.trim() || null;
    } catch {
      return null;
    }
    return this.identity;
  }

  /** The user id Jenkins compares with an input's submitter list. */
  userId(): string | null {
    return this.settings.user;
  }

  /**
   * A form POST. With password auth a crumb (and its session cookie) is fetched first; a 403
   * gets one retry with a fresh crumb, because crumbs expire with their session and servers
   * older than 2.96 want one even with an API token.
   */
  async post(path: string, form?: string): Promise<PostAnswer> {
    let fresh = false;
    if (this.settings.auth === 'password' && this.session === null) {
      await this.startSession();
      fresh = true;
    }
    try {
      return await this.postOnce(path, form);
    } catch (error) {
      if (!(error instanceof SourceError && error.kind === 'forbidden') || fresh) throw error;
      await this.startSession();
      return this.postOnce(path, form);
    }
  }

  private async postOnce(path: string, form: string | undefined): Promise<PostAnswer> {
    const headers: Record<string, string> = { Accept: '*/*' };
    if (form !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const response = await this.http.request('POST', this.http.url(path), {
      headers,
      body: form,
      followRedirects: false,
    });
    const text = await response.text().catch(() => '');
    return { status: response.status, text, location: response.headers.get('location') };
  }

  private async startSession(): Promise<void> {
    this.session = null;
    try {
      const answer = await this.http.getJson('crumbIssuer/api/json');
      const crumb = parseWire(crumbSchema, answer.body, 'the CSRF crumb');
      this.session = {
        field: crumb.crumbRequestField,
        crumb: crumb.crumb,
        cookie: sessionCookie(answer.headers),
      };
    } catch (error) {
      // No crumb issuer: CSRF protection is off, so POSTs need no crumb.
      if (!(error instanceof SourceError && error.kind === 'not-found')) throw error;
      this.session = { field: null, crumb: null, cookie: null };
    }
  }
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
