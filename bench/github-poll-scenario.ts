import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeHandler, SeenRequest } from '../tests/support/fake-provider';

/**
 * A simulated GitHub Enterprise Server for the poll-cost benchmark: 20 repositories × 5
 * workflows = 100 watched workflows, each with 4 finished runs, and in repositories 0–4 one run
 * of workflow 0 that progresses with the simulated clock (6 jobs of 4 minutes, a step finishing
 * every minute) and finishes after 24 minutes. It answers 304 to a matching `If-None-Match`, as
 * GitHub does, and counts rate-limit points: every answer except a 304 costs one.
 *
 * The routes answer through an in-process `fetch` instead of a socket: the bench counts
 * requests, not transport time, and some 130,000 loopback requests would take minutes on a
 * busy machine. The adapter still builds, sends and reads every request as it would over HTTP.
 */

export const REPOSITORIES = 20;
export const WORKFLOWS_PER_REPOSITORY = 5;
export const FINISHED_RUNS_PER_WORKFLOW = 4;
/** Repositories 0 to RUNNING_REPOSITORIES - 1 each have one running build. */
export const RUNNING_REPOSITORIES = 5;
const JOBS_PER_RUN = 6;
const STEPS_PER_JOB = 4;
const MINUTE = 60_000;

/** The repositories as `owner/name`. */
export const repositoryNames = Array.from(
  { length: REPOSITORIES },
  (_, index) => `bench-org/repo-${String(index).padStart(2, '0')}`,
);

/** The wire fields of GitHub's example run and job (the bench serves these, not the whole fixture). */
function fixture(file: string, keys: readonly string[]): Record<string, unknown> {
  const full = JSON.parse(
    readFileSync(join(process.cwd(), 'tests', 'fixtures', 'providers', 'github', file), 'utf8'),
  ) as Record<string, unknown>;
  return Object.fromEntries(keys.map((key) => [key, full[key]]));
}
const RUN_KEYS = ['event', 'actor', 'triggering_actor', 'head_commit', 'html_url', 'display_title'];
const JOB_KEYS = ['html_url', 'run_attempt'];

function iso(time: number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

/** Points spent, in total and on the repositories that have nothing running. */
export interface PointCount {
  total: number;
  idleRepositories: number;
}

export interface PollScenario {
  /** The server's base URL, for `baseUrl` (`${url}/api/v3`); only `fetch` answers it. */
  url: string;
  /** Answers a request like GitHub would, without a socket. */
  fetch: typeof fetch;
  points: PointCount;
}

/** A scenario whose state follows `clock()`, the simulated time (the run starts at `start`). */
export function createPollScenario(clock: () => number, start: number): PollScenario {
  const runTemplate = fixture('workflow-run.json', RUN_KEYS);
  const jobTemplate = fixture('job.json', JOB_KEYS);
  const points: PointCount = { total: 0, idleRepositories: 0 };
  const routes: Record<string, FakeHandler> = {};

  const workflowPath = (workflow: number): string => `.github/workflows/wf-${workflow}.yml`;
  const workflowId = (repository: number, workflow: number): number =>
    1000 + repository * 10 + workflow;

  /** A job of a run started at `runStart`: job k runs during minutes [4k, 4k + 4). */
  const job = (runId: number, index: number, runStart: number | null): Record<string, unknown> => {
    const started = runStart === null ? start - 3 * 60 * MINUTE : runStart + index * 4 * MINUTE;
    const elapsed = runStart === null ? Infinity : clock() - started;
    const stepsDone = Math.max(0, Math.min(STEPS_PER_JOB, Math.floor(elapsed / MINUTE)));
    const status =
      elapsed < 0 ? 'queued' : stepsDone === STEPS_PER_JOB ? 'completed' : 'in_progress';
    return {
      ...jobTemplate,
      id: runId * 10 + index,
      run_id: runId,
      name: `job-${index}`,
      status,
      conclusion: status === 'completed' ? 'success' : null,
      started_at: elapsed < 0 ? null : iso(started),
      completed_at: status === 'completed' ? iso(started + STEPS_PER_JOB * MINUTE) : null,
      steps: Array.from({ length: STEPS_PER_JOB }, (_, step) => ({
        name: `step ${step + 1}`,
        number: step + 1,
        status: step < stepsDone ? 'completed' : elapsed < 0 ? 'queued' : 'in_progress',
        conclusion: step < stepsDone ? 'success' : null,
        started_at: elapsed < 0 ? null : iso(started + step * MINUTE),
        completed_at: step < stepsDone ? iso(started + (step + 1) * MINUTE) : null,
      })),
    };
  };

  interface RunSeed {
    id: number;
    number: number;
    workflow: number;
    created: number;
    /** Null for a run that finished before the benchmark began. */
    runStart: number | null;
  }
  const runOf = (repository: number, seed: RunSeed): Record<string, unknown> => {
    const jobs = Array.from({ length: JOBS_PER_RUN }, (_, index) =>
      job(seed.id, index, seed.runStart),
    );
    const done = jobs.every((entry) => entry.status === 'completed');
    // GitHub bumps a run's updated_at as its jobs move; here on each finished step.
    const lastChange =
      seed.runStart === null
        ? seed.created + 20 * MINUTE
        : Math.min(clock(), seed.runStart + JOBS_PER_RUN * STEPS_PER_JOB * MINUTE);
    return {
      ...runTemplate,
      id: seed.id,
      name: `Workflow ${seed.workflow}`,
      run_number: seed.number,
      run_attempt: 1,
      status: done ? 'completed' : 'in_progress',
      conclusion: done ? 'success' : null,
      head_branch: 'main',
      head_sha: sha(`${repository}-${seed.id}`),
      path: `${workflowPath(seed.workflow)}@main`,
      workflow_id: workflowId(repository, seed.workflow),
      created_at: iso(seed.created),
      run_started_at: iso(seed.runStart ?? seed.created),
      updated_at: iso(
        seed.runStart === null ? lastChange : Math.floor(lastChange / MINUTE) * MINUTE,
      ),
    };
  };

  const yaml = [
    'name: Bench',
    'on: push',
    'jobs:',
    ...Array.from({ length: JOBS_PER_RUN }, (_, index) => [
      `  job-${index}:`,
      '    runs-on: ubuntu-latest',
      ...(index > 0 ? [`    needs: [job-${index - 1}]`] : []),
    ]).flat(),
    '',
  ].join('\n');

  for (const [repository, fullName] of repositoryNames.entries()) {
    const api = `/api/v3/repos/${fullName}`;
    const idle = repository >= RUNNING_REPOSITORIES;
    const seeds: RunSeed[] = [];
    for (let workflow = 0; workflow < WORKFLOWS_PER_REPOSITORY; workflow += 1) {
      for (let age = 1; age <= FINISHED_RUNS_PER_WORKFLOW; age += 1) {
        seeds.push({
          id: 50_000_000 + repository * 1000 + workflow * 10 + age,
          number: 100 - age,
          workflow,
          created: start - (age * 6 + workflow) * 60 * MINUTE,
          runStart: null,
        });
      }
    }
    if (!idle) {
      seeds.push({
        id: 60_000_000 + repository,
        number: 100,
        workflow: 0,
        created: start,
        runStart: start,
      });
    }
    seeds.sort((left, right) => right.created - left.created);

    const count = (answer: { status?: number }): void => {
      if (answer.status === 304) return;
      points.total += 1;
      if (idle) points.idleRepositories += 1;
    };
    // Every change happens on a minute boundary, so an answer is the same within a minute.
    const conditional = (body: (request: SeenRequest) => unknown): FakeHandler => {
      let cached: { key: string; payload: string; etag: string } | null = null;
      return (request) => {
        const key = `${Math.floor(clock() / MINUTE)} ${request.query.toString()}`;
        if (cached?.key !== key) {
          const payload = JSON.stringify(body(request));
          cached = { key, payload, etag: `"${sha(payload)}"` };
        }
        const { payload, etag } = cached;
        const answer =
          request.headers['if-none-match'] === etag
            ? { status: 304, headers: { etag } }
            : { status: 200, body: payload, headers: { etag } };
        count(answer);
        return {
          ...answer,
          headers: {
            ...answer.headers,
            'x-ratelimit-limit': '5000',
            'x-ratelimit-remaining': '4000',
            'x-ratelimit-reset': String(Math.floor(start / 1000) + 3600),
          },
        };
      };
    };

    routes[`GET ${api}/actions/workflows`] = conditional(() => ({
      total_count: WORKFLOWS_PER_REPOSITORY,
      workflows: Array.from({ length: WORKFLOWS_PER_REPOSITORY }, (_, workflow) => ({
        id: workflowId(repository, workflow),
        name: `Workflow ${workflow}`,
        path: workflowPath(workflow),
        state: 'active',
      })),
    }));
    routes[`GET ${api}/actions/runs`] = conditional((request) => {
      const perPage = Number(request.query.get('per_page') ?? 30);
      const runs = seeds.slice(0, perPage).map((seed) => runOf(repository, seed));
      return { total_count: seeds.length, workflow_runs: runs };
    });
    for (const seed of seeds) {
      routes[`GET ${api}/actions/runs/${seed.id}/jobs`] = conditional(() => ({
        total_count: JOBS_PER_RUN,
        jobs: Array.from({ length: JOBS_PER_RUN }, (_, index) =>
          job(seed.id, index, seed.runStart),
        ),
      }));
    }
    for (let workflow = 0; workflow < WORKFLOWS_PER_REPOSITORY; workflow += 1) {
      routes[`GET ${api}/contents/${workflowPath(workflow)}`] = conditional(() => ({
        type: 'file',
        encoding: 'base64',
        content: Buffer.from(yaml).toString('base64'),
      }));
    }
  }
  const answer = async (
    input: Parameters<typeof fetch>[0],
    init?: RequestInit,
  ): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? 'GET';
    const request: SeenRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: typeof init?.body === 'string' ? init.body : '',
    };
    const handler = routes[`${method} ${url.pathname}`];
    const reply = handler
      ? await handler(request)
      : { status: 404, body: { message: 'Not Found' } };
    const status = reply.status ?? 200;
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    return new Response(status === 304 ? null : text, {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8', ...reply.headers },
    });
  };
  return { url: 'http://github.bench.invalid', fetch: answer, points };
}
