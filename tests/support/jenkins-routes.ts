import type { FakeHandler, SeenRequest } from './fake-provider';
import { fixtureJson } from './provider-fixtures';

/**
 * A fake Jenkins' fixture routes behind a `/jenkins/` prefix, for contract and end-to-end tests
 * (no Vitest here: Playwright specs import it too).
 */

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

/** What Basic auth sends for the test user and token. */
export const BASIC = `Basic ${Buffer.from(`${USER}:${TOKEN}`).toString('base64')}`;
