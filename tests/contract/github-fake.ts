import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { githubSourceKind } from '../../src/main/sources/github/github-kind';
import type { GithubSource } from '../../src/main/sources/github/github-source';
import type { PollSnapshot } from '../../src/main/sources/source';
import { startFakeProvider, type FakeHandler, type FakeProvider } from '../support/fake-provider';
import { fixtureJson } from '../support/provider-fixtures';

/** A token that must never show up in a message. */
export const TOKEN = 'ghp_contractTestToken0123456789abcdef';

/** The API lives under /api/v3, as on GitHub Enterprise Server. */
export const API = '/api/v3/repos/octo-org/octo-repo';
export const RUN_ID = 30433642;
export const JOB_ID = 399444496;
export const HEAD_SHA = 'acb5820ced9479c074f688cc328bf03f341a511d';
export const PIPELINE_ID = 'octo-org/octo-repo:159038';

const headerExamples = fixtureJson<Record<string, string | number>>(
  'github',
  'header-examples.from-spec.json',
);

/** The spec's example rate-limit headers. */
export const RATE_HEADERS: Record<string, string> = {
  'x-ratelimit-limit': String(headerExamples['components/headers/x-rate-limit-limit']),
  'x-ratelimit-remaining': String(headerExamples['components/headers/x-rate-limit-remaining']),
  'x-ratelimit-reset': String(headerExamples['components/headers/x-rate-limit-reset']),
};

/** The workflow file at the run's commit: one job, "build", like the spec's example jobs. */
export const BUILD_YAML = 'name: Build\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n';

/** Answers `body` with an ETag, and 304 when the client sends that ETag back (quotes kept). */
export function etagged(body: unknown | (() => unknown), etag = '"v1"'): FakeHandler {
  return (request) =>
    request.headers['if-none-match'] === etag
      ? { status: 304, headers: { etag, ...RATE_HEADERS } }
      : {
          body: typeof body === 'function' ? (body as () => unknown)() : body,
          headers: { etag, ...RATE_HEADERS },
        };
}

/** The spec's example run, changed where a test needs it. */
export function runFixture(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...fixtureJson<Record<string, unknown>>('github', 'workflow-run.json'), ...overrides };
}

export function runsList(...runs: Array<Record<string, unknown>>): unknown {
  return { total_count: runs.length, workflow_runs: runs };
}

/** The spec's example job, changed where a test needs it. */
export function jobFixture(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...fixtureJson<Record<string, unknown>>('github', 'job.json'), ...overrides };
}

export function jobsList(...jobs: Array<Record<string, unknown>>): unknown {
  return { total_count: jobs.length, jobs };
}

/** The routes of one quiet repository: its workflows, run 562, its job, the workflow file. */
export function defaultRoutes(): Record<string, FakeHandler> {
  return {
    [`GET ${API}/actions/workflows`]: etagged(fixtureJson('github', 'workflows-list.json'), '"w1"'),
    [`GET ${API}/actions/runs`]: etagged(runsList(runFixture({ head_branch: 'main' })), '"r1"'),
    [`GET ${API}/actions/runs/${RUN_ID}/jobs`]: etagged(
      fixtureJson('github', 'jobs-list.json'),
      '"j1"',
    ),
    [`GET ${API}/contents/.github/workflows/build.yml`]: () => ({
      body: {
        type: 'file',
        encoding: 'base64',
        content: Buffer.from(BUILD_YAML).toString('base64'),
      },
      headers: RATE_HEADERS,
    }),
  };
}

export interface GithubHarness {
  fake: FakeProvider;
  source: GithubSource;
  stateDirectory: string;
  /** Another source on the same server and state folder (a restart). */
  restart(): GithubSource;
  poll(known?: Iterable<string>): Promise<PollSnapshot>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  routes?: Record<string, FakeHandler>;
  options?: Record<string, unknown>;
  token?: () => string | null;
  now?: () => number;
}

/** A GitHub source against a fake GitHub Enterprise Server on 127.0.0.1 serving fixtures. */
export async function startGithubHarness(settings: HarnessOptions = {}): Promise<GithubHarness> {
  const fake = await startFakeProvider({ ...defaultRoutes(), ...settings.routes });
  const stateDirectory = mkdtempSync(join(tmpdir(), 'pipewatch-github-'));
  const create = (): GithubSource =>
    githubSourceKind.create({
      config: {
        id: 'octo',
        kind: 'github',
        name: 'Octo GitHub',
        baseUrl: `${fake.url}/api/v3`,
        token: { env: 'GITHUB_TOKEN' },
        enabled: true,
        options: githubSourceKind.optionsSchema.parse({
          repositories: ['octo-org/octo-repo'],
          ...settings.options,
        }) as Record<string, unknown>,
      },
      stateDirectory,
      token: settings.token ?? (() => TOKEN),
      ...(settings.now ? { now: settings.now } : {}),
    }) as GithubSource;
  const source = create();
  return {
    fake,
    source,
    stateDirectory,
    restart: create,
    poll: (known = []) =>
      source.poll({ signal: new AbortController().signal, knownFinishedBuilds: new Set(known) }),
    close: async () => {
      await fake.close();
      rmSync(stateDirectory, { recursive: true, force: true });
    },
  };
}

/** The requests of the fake, without the query, as "METHOD /path". */
export function requestKeys(fake: FakeProvider, from = 0): string[] {
  return fake.requests.slice(from).map((request) => `${request.method} ${request.path}`);
}
