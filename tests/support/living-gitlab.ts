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

const GITLAB_PROJECT = '/api/v4/projects/21';
const PIPELINE_ID_BASE = 287;

/** A GitLab project that keeps building, from the docs' example payloads. */
export function gitlabRoutes(fake: FakeProvider, timeline: Timeline): KindParts {
  const [listTemplate] = fixtureJson<Array<Record<string, unknown>>>(
    'gitlab',
    'pipelines-list.json',
  );
  const detailTemplate = fixtureJson<Record<string, unknown>>('gitlab', 'pipeline.json');
  const [jobTemplate] = fixtureJson<Array<Record<string, unknown>>>('gitlab', 'pipeline-jobs.json');
  const routed = new Set<number>();

  const status = (build: TimelineBuild, now: number) =>
    done(build, now) ? (build.fails ? 'failed' : 'success') : 'running';
  const item = (build: TimelineBuild, now: number) => ({
    ...listTemplate,
    id: PIPELINE_ID_BASE + build.number,
    iid: build.number,
    project_id: 21,
    status: status(build, now),
    ref: 'main',
    sha: sha(build.number),
    created_at: iso(build.createdAt),
    // A running pipeline's updated_at does not move while its jobs progress (as on GitLab).
    updated_at: iso(lastChange(build, now)),
  });
  const jobs = (build: TimelineBuild, now: number) =>
    (['compile', 'rspec'] as const).map((name, index) => {
      const started = index === 0 || pastMid(build, now);
      const finished = index === 0 ? pastMid(build, now) : done(build, now);
      return {
        ...jobTemplate,
        id: (PIPELINE_ID_BASE + build.number) * 10 + index,
        name,
        stage: index === 0 ? 'build' : 'test',
        status: finished
          ? index === 1 && build.fails
            ? 'failed'
            : 'success'
          : started
            ? 'running'
            : 'created',
        failure_reason: index === 1 && build.fails && finished ? 'script_failure' : null,
        created_at: iso(build.createdAt),
        started_at: started ? iso(index === 0 ? build.createdAt : build.midAt) : null,
        finished_at: finished ? iso(index === 0 ? build.midAt : build.finishAt) : null,
        pipeline: { id: PIPELINE_ID_BASE + build.number },
      };
    });
  const addRoutes = () => {
    for (const build of timeline.advance()) {
      if (routed.has(build.number)) continue;
      routed.add(build.number);
      const path = `${GITLAB_PROJECT}/pipelines/${PIPELINE_ID_BASE + build.number}`;
      fake.route(`GET ${path}`, (request) => {
        const now = Date.now();
        return withEtag(request, {
          ...detailTemplate,
          ...item(build, now),
          started_at: iso(build.createdAt),
          finished_at: done(build, now) ? iso(build.finishAt) : null,
        });
      });
      fake.route(`GET ${path}/jobs`, (request) => withEtag(request, jobs(build, Date.now())));
      fake.route(`GET ${path}/bridges`, (request) => withEtag(request, []));
    }
  };

  fake.route('GET /api/v4/projects/team%2Fcatalog', () => ({
    body: {
      id: 21,
      name: 'catalog',
      name_with_namespace: 'Team / Catalog',
      path_with_namespace: 'team/catalog',
      web_url: 'http://gitlab.invalid/team/catalog',
    },
  }));
  fake.route(`GET ${GITLAB_PROJECT}/pipelines`, (request) => {
    addRoutes();
    const now = Date.now();
    const after = request.query.get('updated_after');
    const since = after === null ? Number.NEGATIVE_INFINITY : Date.parse(after);
    const ascending = request.query.get('sort') === 'asc';
    const items = timeline
      .advance(now)
      .map((build) => item(build, now))
      .filter((entry) => Date.parse(entry.updated_at) > since)
      .sort((left, right) =>
        ascending
          ? Date.parse(left.updated_at) - Date.parse(right.updated_at)
          : Date.parse(right.updated_at) - Date.parse(left.updated_at),
      )
      .slice(0, Number(request.query.get('per_page') ?? 20));
    return withEtag(request, items);
  });
  fake.route('POST /api/graphql', () => ({
    body: {
      data: {
        project: {
          pipeline: {
            stages: { nodes: [{ name: 'build' }, { name: 'test' }] },
            jobs: {
              nodes: [
                {
                  name: 'compile',
                  schedulingType: 'stage',
                  manualJob: false,
                  needs: { nodes: [] },
                },
                { name: 'rspec', schedulingType: 'stage', manualJob: false, needs: { nodes: [] } },
              ],
            },
          },
        },
      },
    },
  }));

  return {
    baseUrl: (origin) => origin,
    options: { projects: ['team/catalog'] },
    isPollEntry: (path) => path === `${GITLAB_PROJECT}/pipelines`,
    reportedBuilds(path, body) {
      const value = parseBody(body) as Array<{ id?: unknown }> | { id?: unknown } | null;
      if (path === `${GITLAB_PROJECT}/pipelines` && Array.isArray(value)) {
        return value.map((entry) => String(entry.id));
      }
      if (
        /\/pipelines\/\d+$/.test(path) &&
        value &&
        !Array.isArray(value) &&
        value.id !== undefined
      ) {
        return [String(value.id)];
      }
      return [];
    },
    finalStatuses: () =>
      new Map(
        timeline
          .advance()
          .map((build) => [String(PIPELINE_ID_BASE + build.number), finalStatus(build)]),
      ),
  };
}
