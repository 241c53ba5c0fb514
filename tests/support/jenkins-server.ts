import { expect } from 'vitest';
import {
  jenkinsOptionsSchema,
  type JenkinsOptions,
} from '../../src/main/sources/jenkins/jenkins-options';
import { createJenkinsSource } from '../../src/main/sources/jenkins/jenkins-source';
import { SourceError, type CiSource, type PollContext } from '../../src/main/sources/source';
import type { FakeHandler, FakeProvider, SeenRequest } from './fake-provider';
import { fixtureJson } from './provider-fixtures';

/** Helpers for the Jenkins contract tests: fixture routes behind a `/jenkins/` prefix. */

export const TOKEN = 'jenkins-api-token-11aa22bb33cc';
export const USER = 'ada';
export const JOB = 'Test Workflow';
export const JOB_PATH = '/jenkins/job/Test%20Workflow';
export const INPUT_ID = 'Ef95dd500ae6ed3b27b89fb852296d12';

type Json = Record<string, unknown>;

/** A run of the fixture (`wfapi-runs.json`), by build number: 16 waits, 15 passed. */
export function fixtureRun(number: 15 | 16): Json {
  const runs = fixtureJson<Json[]>('jenkins', 'wfapi-runs.json');
  return structuredClone(runs[number === 16 ? 0 : 1]!);
}

/** Build 15 of the fixture renumbered: an older build that passed. */
export function olderRun(number: number): Json {
  const run = fixtureRun(15);
  run.id = String(number);
  run.name = `#${number}`;
  run._links = { self: { href: `${JOB_PATH}/${number}/wfapi/describe` } };
  return run;
}

/** The core API's build list with `count` builds (newest first), sliced by `tree=...{M,N}`. */
export function coreBuilds(count: number, newest = count): FakeHandler {
  return (request: SeenRequest) => {
    const range = /\{(\d+),(\d+)\}$/.exec(request.query.get('tree') ?? '');
    const all = Array.from({ length: count }, (_, index) => ({
      _class: 'org.jenkinsci.plugins.workflow.job.WorkflowRun',
      number: newest - index,
      result: 'SUCCESS',
      building: false,
      timestamp: 1413459900000 - index * 60_000,
    }));
    const from = Number(range?.[1] ?? 0);
    const to = Number(range?.[2] ?? count);
    return {
      body: {
        _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob',
        builds: all.slice(from, to),
      },
    };
  };
}

/** The fixture routes for one job: runs, stage 5's steps, build 16's pending input. */
export function fixtureRoutes(path = JOB_PATH): Record<string, FakeHandler> {
  return {
    [`GET ${path}/wfapi/runs`]: () => ({ body: [fixtureRun(16), fixtureRun(15)] }),
    [`GET ${path}/api/json`]: coreBuilds(2, 16),
    [`GET ${path}/16/execution/node/5/wfapi/describe`]: () => ({
      body: fixtureJson('jenkins', 'wfapi-node-describe-success.json'),
    }),
    [`GET ${path}/16/wfapi/pendingInputActions`]: () => ({
      body: fixtureJson('jenkins', 'pending-input-actions.json'),
    }),
  };
}

export function jenkinsSource(
  server: FakeProvider,
  options: Partial<JenkinsOptions> = {},
  token: string | null = TOKEN,
): CiSource {
  return createJenkinsSource({
    baseUrl: `${server.url}/jenkins/`,
    options: jenkinsOptionsSchema.parse({ jobs: [JOB], user: USER, ...options }),
    token: () => token,
    timeoutMs: 2000,
  });
}

export function pollContext(known: readonly string[] = []): PollContext {
  return { signal: new AbortController().signal, knownFinishedBuilds: new Set(known) };
}

/** The SourceError a call fails with; no message may ever carry the token. */
export async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SourceError);
  expect((error as Error).message).not.toContain(TOKEN);
  expect((error as Error).message).not.toContain(
    Buffer.from(`${USER}:${TOKEN}`).toString('base64'),
  );
  return error as SourceError;
}

/** What Basic auth sends for the test user and token. */
export const BASIC = `Basic ${Buffer.from(`${USER}:${TOKEN}`).toString('base64')}`;
