import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollingConfigSchema } from '../src/shared/config';
import { isFinished } from '../src/shared/status';
import { nextDelay } from '../src/main/poller/schedule';
import { createGithubSource } from '../src/main/sources/github/github-source';
import { githubOptionsSchema } from '../src/main/sources/github/github-options';
import { finishedBuildKey } from '../src/main/sources/source';
import type { BenchResult } from './bench-kit';
import {
  REPOSITORIES,
  RUNNING_REPOSITORIES,
  WORKFLOWS_PER_REPOSITORY,
  repositoryNames,
  createPollScenario,
  type PollScenario,
} from './github-poll-scenario';

const TOKEN = 'ghp_benchToken0123456789abcdefABCDEF01';
const SIMULATED_MS = 30 * 60_000;
const START = Date.UTC(2026, 10, 30, 9);
/**
 * A poller without memory: each cycle it lists every repository's newest runs and the jobs of
 * every run listed, with no conditional requests, so every request costs a point.
 */
async function naiveCycle(scenario: PollScenario, runsPerPoll: number): Promise<void> {
  const get = async (path: string): Promise<string> => {
    const response = await scenario.fetch(`${scenario.url}/api/v3${path}`, {
      headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/vnd.github+json' },
    });
    return response.text();
  };
  for (const repository of repositoryNames) {
    const list = JSON.parse(
      await get(`/repos/${repository}/actions/runs?per_page=${runsPerPoll}`),
    ) as { workflow_runs: Array<{ id: number }> };
    for (const run of list.workflow_runs) {
      await get(`/repos/${repository}/actions/runs/${run.id}/jobs`);
    }
  }
}

interface Measured {
  cycles: number;
  activeCycles: number;
  pipewatch: PollScenario['points'];
  naive: PollScenario['points'];
  /** Points Pipewatch spent on the idle repositories after its first cycle. */
  pipewatchIdleSteady: number;
  naiveIdleSteady: number;
}

async function simulate(): Promise<Measured> {
  let now = START;
  const clock = (): number => now;
  const pipewatchServer = createPollScenario(clock, START);
  const naiveServer = createPollScenario(clock, START);
  const stateDirectory = mkdtempSync(join(tmpdir(), 'pipewatch-bench-github-'));
  try {
    const options = githubOptionsSchema.parse({ repositories: repositoryNames });
    const source = createGithubSource({
      name: 'Bench GitHub',
      baseUrl: `${pipewatchServer.url}/api/v3`,
      options,
      stateDirectory,
      token: () => TOKEN,
      now: clock,
      fetch: pipewatchServer.fetch,
    });
    const polling = pollingConfigSchema.parse({});
    // What the store would hold: finished builds (skipped by the source) and the latest statuses.
    const knownFinished = new Set<string>();
    const statuses = new Map<string, string>();
    let cycles = 0;
    let activeCycles = 0;
    let idleAfterFirst = { pipewatch: 0, naive: 0 };
    while (now < START + SIMULATED_MS) {
      const snapshot = await source.poll({
        signal: new AbortController().signal,
        knownFinishedBuilds: knownFinished,
      });
      await naiveCycle(naiveServer, options.runsPerPoll);
      for (const build of snapshot.builds) {
        const key = finishedBuildKey(build.pipelineExternalId, build.externalId);
        statuses.set(key, build.status);
        if (isFinished(build.status)) knownFinished.add(key);
      }
      cycles += 1;
      if (cycles === 1) {
        idleAfterFirst = {
          pipewatch: pipewatchServer.points.idleRepositories,
          naive: naiveServer.points.idleRepositories,
        };
      }
      const active = [...statuses.values()].some(
        (status) => !isFinished(status as Parameters<typeof isFinished>[0]),
      );
      if (active) activeCycles += 1;
      // The poller's own schedule, without the random skew.
      now += nextDelay({
        outcome: { kind: 'ok', active },
        config: polling,
        hidden: false,
        random: () => 0.5,
      });
    }
    return {
      cycles,
      activeCycles,
      pipewatch: { ...pipewatchServer.points },
      naive: { ...naiveServer.points },
      pipewatchIdleSteady: pipewatchServer.points.idleRepositories - idleAfterFirst.pipewatch,
      naiveIdleSteady: naiveServer.points.idleRepositories - idleAfterFirst.naive,
    };
  } finally {
    rmSync(stateDirectory, { recursive: true, force: true });
  }
}

/**
 * Rate-limit points (requests GitHub charges: all but conditional 304s) that Pipewatch spends
 * watching 100 workflows for 30 simulated minutes, against a naive poller on the same cycles.
 */
export async function run(): Promise<BenchResult[]> {
  const result = await simulate();
  const workflows = REPOSITORIES * WORKFLOWS_PER_REPOSITORY;
  const idleWorkflows = (REPOSITORIES - RUNNING_REPOSITORIES) * WORKFLOWS_PER_REPOSITORY;
  const steadyCycles = Math.max(result.cycles - 1, 1);
  const scenario = `${workflows} workflows in ${REPOSITORIES} repositories, ${RUNNING_REPOSITORIES} running builds (6 jobs × 4 min, a step a minute), ${result.cycles} poll cycles in 30 simulated minutes (${result.activeCycles} at the active interval)`;
  return [
    {
      name: 'GitHub poll cost: rate-limit points (count), Pipewatch vs naive poller',
      baseline: { label: 'naive poller points (count)', milliseconds: result.naive.total },
      measured: { label: 'Pipewatch points (count)', milliseconds: result.pipewatch.total },
      ratio: result.pipewatch.total / result.naive.total,
      goal: 0.05,
      unit: 'points',
      note: `Figures are request COUNTS, not milliseconds. ${scenario}. Includes Pipewatch's first full read (jobs and workflow file of every listed run).`,
    },
    {
      name: 'GitHub poll cost: idle workflows, points per cycle after the first (count)',
      baseline: {
        label: 'naive points per cycle on idle repositories (count)',
        milliseconds: result.naiveIdleSteady / steadyCycles,
      },
      measured: {
        label: 'Pipewatch points per cycle on idle repositories (count)',
        milliseconds: result.pipewatchIdleSteady / steadyCycles,
      },
      ratio: result.pipewatchIdleSteady / Math.max(result.naiveIdleSteady, 1),
      goal: 0,
      unit: 'points',
      note: `Figures are request COUNTS per poll cycle, not milliseconds: the ${idleWorkflows} workflows of the ${REPOSITORIES - RUNNING_REPOSITORIES} repositories with nothing running, over ${steadyCycles} cycles after the first.`,
    },
  ];
}
