import type { FakeProvider } from './fake-provider';
import type { KindParts } from './living-ci';
import {
  type Timeline,
  done,
  finalStatus,
  parseBody,
  pastMid,
  withEtag,
  type TimelineBuild,
} from './living-timeline';
import { fixtureJson } from './provider-fixtures';

const JENKINS_JOB = '/jenkins/job/catalog';
const BUILD_PAGE = new RegExp(`^${JENKINS_JOB}/\\d+/wfapi/describe$`);
/** wfapi lists about ten runs. */
const WFAPI_RUNS = 10;
/** The flow node ids of the Build, Test and Deploy stages, as in the plugin's example. */
const STAGE_NODES = [5, 8, 10] as const;

/** A Jenkins Pipeline job that keeps building, from the stage view plugin's examples. */
export function jenkinsRoutes(fake: FakeProvider, timeline: Timeline): KindParts {
  const runTemplate =
    fixtureJson<Array<Record<string, unknown>>>('jenkins', 'wfapi-runs.json')[1] ?? {};
  const nodeTemplate = fixtureJson<
    Record<string, unknown> & { stageFlowNodes: Array<Record<string, unknown>> }
  >('jenkins', 'wfapi-node-describe-success.json');
  const routed = new Set<number>();

  const stageStatuses = (build: TimelineBuild, now: number): [string, string, string] => {
    const test = done(build, now)
      ? build.fails
        ? 'FAILED'
        : 'SUCCESS'
      : pastMid(build, now)
        ? 'IN_PROGRESS'
        : 'NOT_EXECUTED';
    const deploy = done(build, now) && !build.fails ? 'SUCCESS' : 'NOT_EXECUTED';
    return [pastMid(build, now) ? 'SUCCESS' : 'IN_PROGRESS', test, deploy];
  };
  const run = (build: TimelineBuild, now: number) => {
    const statuses = stageStatuses(build, now);
    const status = done(build, now) ? (build.fails ? 'FAILED' : 'SUCCESS') : 'IN_PROGRESS';
    const end = done(build, now) ? build.finishAt : now;
    return {
      ...runTemplate,
      _links: { self: { href: `${JENKINS_JOB}/${build.number}/wfapi/describe` } },
      id: String(build.number),
      name: `#${build.number}`,
      status,
      startTimeMillis: build.createdAt,
      endTimeMillis: end,
      durationMillis: end - build.createdAt,
      stages: (['Build', 'Test', 'Deploy'] as const).map((name, index) => ({
        _links: {
          self: {
            href: `${JENKINS_JOB}/${build.number}/execution/node/${STAGE_NODES[index]}/wfapi/describe`,
          },
        },
        id: String(STAGE_NODES[index]),
        name,
        status: statuses[index],
        startTimeMillis: index === 0 ? build.createdAt : build.midAt,
        durationMillis: 1000,
      })),
    };
  };
  const addRoutes = () => {
    for (const build of timeline.advance()) {
      if (routed.has(build.number)) continue;
      routed.add(build.number);
      fake.route(`GET ${JENKINS_JOB}/${build.number}/wfapi/describe`, () => ({
        body: run(build, Date.now()),
      }));
      for (const index of [0, 1, 2]) {
        fake.route(
          `GET ${JENKINS_JOB}/${build.number}/execution/node/${STAGE_NODES[index]}/wfapi/describe`,
          () => {
            const status = stageStatuses(build, Date.now())[index];
            const stage = STAGE_NODES[index];
            return {
              body: {
                ...nodeTemplate,
                id: String(stage),
                status,
                // Step nodes have ids of their own within the build.
                stageFlowNodes: nodeTemplate.stageFlowNodes.map((node, step) => ({
                  ...node,
                  id: `${stage}${step + 1}`,
                  status,
                })),
              },
            };
          },
        );
      }
    }
  };

  fake.route(`GET ${JENKINS_JOB}/wfapi/runs`, (request) => {
    addRoutes();
    const now = Date.now();
    const runs = [...timeline.advance(now)]
      .reverse()
      .slice(0, WFAPI_RUNS)
      .map((build) => run(build, now));
    return withEtag(request, runs);
  });
  fake.route(`GET ${JENKINS_JOB}/api/json`, (request) => {
    addRoutes();
    const now = Date.now();
    const range = /\{(\d+),(\d+)\}$/.exec(request.query.get('tree') ?? '');
    const builds = [...timeline.advance(now)].reverse().map((build) => ({
      _class: 'org.jenkinsci.plugins.workflow.job.WorkflowRun',
      number: build.number,
      result: done(build, now) ? (build.fails ? 'FAILURE' : 'SUCCESS') : null,
      building: !done(build, now),
      timestamp: build.createdAt,
      actions: [{ causes: [{ shortDescription: 'Started by an SCM change' }] }],
    }));
    return withEtag(request, {
      builds: builds.slice(Number(range?.[1] ?? 0), Number(range?.[2] ?? builds.length)),
    });
  });

  return {
    baseUrl: (origin) => `${origin}/jenkins/`,
    options: { jobs: ['catalog'], user: 'soak' },
    isPollEntry: (path) => path === `${JENKINS_JOB}/wfapi/runs`,
    reportedBuilds(path, body) {
      const value = parseBody(body) as Array<{ id?: unknown }> | { id?: unknown } | null;
      if (path === `${JENKINS_JOB}/wfapi/runs` && Array.isArray(value)) {
        return value.map((entry) => String(entry.id));
      }
      if (
        // A build's page only: stage pages (…/12/execution/node/8/wfapi/describe) carry node ids.
        BUILD_PAGE.test(path) &&
        value &&
        !Array.isArray(value) &&
        value.id !== undefined
      ) {
        return [String(value.id)];
      }
      return [];
    },
    finalStatuses: () =>
      new Map(timeline.advance().map((build) => [String(build.number), finalStatus(build)])),
  };
}
