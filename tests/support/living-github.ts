import type { FakeProvider } from './fake-provider';
import type { KindParts } from './living-ci';
import {
  type Timeline,
  done,
  finalStatus,
  iso,
  lastChange,
  parseBody,
  pastMid,
  sha,
  withEtag,
  type TimelineBuild,
} from './living-timeline';
import { fixtureJson } from './provider-fixtures';

const GITHUB_API = '/api/v3/repos/octo-org/octo-repo';
const RUN_ID_BASE = 30433642;
const WORKFLOW_YAML =
  'name: Build\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n  test:\n    needs: build\n    runs-on: ubuntu-latest\n';

/** A GitHub Actions repository that keeps building, from the spec's example payloads. */
export function githubRoutes(fake: FakeProvider, timeline: Timeline): KindParts {
  const examples = fixtureJson<Record<string, string | number>>(
    'github',
    'header-examples.from-spec.json',
  );
  // The budget is never spent: a soak is about faults, not about GitHub's hourly limit.
  const rate = {
    'x-ratelimit-limit': String(examples['components/headers/x-rate-limit-limit']),
    'x-ratelimit-remaining': String(examples['components/headers/x-rate-limit-remaining']),
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
  };
  const runTemplate = fixtureJson<Record<string, unknown>>('github', 'workflow-run.json');
  const jobTemplate = fixtureJson<
    Record<string, unknown> & { steps: Array<Record<string, unknown>> }
  >('github', 'job.json');
  const routed = new Set<number>();

  const run = (build: TimelineBuild, now: number) => ({
    ...runTemplate,
    id: RUN_ID_BASE + build.number,
    run_number: build.number,
    head_sha: sha(build.number),
    head_branch: 'main',
    status: done(build, now) ? 'completed' : 'in_progress',
    conclusion: done(build, now) ? (build.fails ? 'failure' : 'success') : null,
    created_at: iso(build.createdAt),
    run_started_at: iso(build.createdAt),
    updated_at: iso(lastChange(build, now)),
  });
  const job = (build: TimelineBuild, now: number, index: 1 | 2) => {
    const started = index === 1 || pastMid(build, now);
    const finished = index === 1 ? pastMid(build, now) : done(build, now);
    const conclusion = finished ? (index === 2 && build.fails ? 'failure' : 'success') : null;
    const status = finished ? 'completed' : started ? 'in_progress' : 'queued';
    return {
      ...jobTemplate,
      id: (RUN_ID_BASE + build.number) * 10 + index,
      run_id: RUN_ID_BASE + build.number,
      name: index === 1 ? 'build' : 'test',
      status,
      conclusion,
      started_at: started ? iso(index === 1 ? build.createdAt : build.midAt) : null,
      completed_at: finished ? iso(index === 1 ? build.midAt : build.finishAt) : null,
      steps: jobTemplate.steps.slice(0, 2).map((step) => ({ ...step, status, conclusion })),
    };
  };
  const addRoutes = () => {
    for (const build of timeline.advance()) {
      if (routed.has(build.number)) continue;
      routed.add(build.number);
      const id = RUN_ID_BASE + build.number;
      fake.route(`GET ${GITHUB_API}/actions/runs/${id}`, (request) =>
        withEtag(request, run(build, Date.now()), rate),
      );
      fake.route(`GET ${GITHUB_API}/actions/runs/${id}/jobs`, (request) => {
        const now = Date.now();
        return withEtag(
          request,
          { total_count: 2, jobs: [job(build, now, 1), job(build, now, 2)] },
          rate,
        );
      });
    }
  };

  fake.route(`GET ${GITHUB_API}/actions/workflows`, (request) => {
    addRoutes();
    return withEtag(request, fixtureJson('github', 'workflows-list.json'), rate);
  });
  fake.route(`GET ${GITHUB_API}/actions/runs`, (request) => {
    addRoutes();
    const now = Date.now();
    const perPage = Number(request.query.get('per_page') ?? 30);
    const runs = [...timeline.advance(now)]
      .reverse()
      .slice(0, perPage)
      .map((build) => run(build, now));
    return withEtag(request, { total_count: timeline.builds.length, workflow_runs: runs }, rate);
  });
  fake.route(`GET ${GITHUB_API}/contents/.github/workflows/build.yml`, () => ({
    body: {
      type: 'file',
      encoding: 'base64',
      content: Buffer.from(WORKFLOW_YAML).toString('base64'),
    },
    headers: rate,
  }));

  return {
    baseUrl: (origin) => `${origin}/api/v3`,
    options: { repositories: ['octo-org/octo-repo'] },
    isPollEntry: (path) => path === `${GITHUB_API}/actions/workflows`,
    reportedBuilds(path, body) {
      const value = parseBody(body) as {
        id?: unknown;
        workflow_runs?: Array<{ id?: unknown }>;
      } | null;
      if (path === `${GITHUB_API}/actions/runs`) {
        return (value?.workflow_runs ?? []).map((item) => String(item.id));
      }
      if (/\/actions\/runs\/\d+$/.test(path) && value?.id !== undefined) return [String(value.id)];
      return [];
    },
    finalStatuses: () =>
      new Map(
        timeline.advance().map((build) => [String(RUN_ID_BASE + build.number), finalStatus(build)]),
      ),
  };
}
