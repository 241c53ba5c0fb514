import { jobItem, page, pipelineItem, workflowItem, type Json } from '../unit/circleci-payloads';
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

const PROJECT_SLUG = 'gh/acme/catalog';
const API = '/api/v2';
const PIPELINES = `${API}/project/${PROJECT_SLUG}/pipeline`;
const WORKFLOW_NAME = 'build-and-test';
/** The user who pushed every change (a user id, as CircleCI names people). */
const STARTED_BY = '00000000-0000-4000-8000-0000000c1e00';
/** CircleCI pages hold 20 pipelines. */
const PAGE_SIZE = 20;

/** A stable UUID per build and role, so that ids look like CircleCI's and never collide. */
function uuid(role: 1 | 2 | 3 | 4, build: TimelineBuild): string {
  return `5034460f-c7c4-4c43-9457-${String(role)}${String(build.number).padStart(11, '0')}`;
}
const pipelineId = (build: TimelineBuild) => uuid(1, build);
const workflowId = (build: TimelineBuild) => uuid(2, build);
const jobId = (build: TimelineBuild, index: 0 | 1) => uuid(index === 0 ? 3 : 4, build);

/**
 * A CircleCI project that keeps building: each pipeline runs one workflow of two jobs (build,
 * then test). CircleCI publishes no example payloads, only the OpenAPI schemas of its answers, so
 * the items are SYNTHETIC ones built from those schemas (as in the contract test), their ids,
 * numbers, statuses and times changed as the builds progress.
 */
export function circleciRoutes(fake: FakeProvider, timeline: Timeline): KindParts {
  const routed = new Set<number>();

  const workflowStatus = (build: TimelineBuild, now: number) =>
    done(build, now) ? (build.fails ? 'failed' : 'success') : 'running';
  const pipeline = (build: TimelineBuild, now: number): Json =>
    pipelineItem({
      id: pipelineId(build),
      number: build.number,
      project_slug: PROJECT_SLUG,
      state: 'created',
      created_at: iso(build.createdAt),
      updated_at: iso(lastChange(build, now)),
      trigger: { type: 'webhook', received_at: iso(build.createdAt), actor: { login: 'octocat' } },
      vcs: {
        provider_name: 'GitHub',
        origin_repository_url: 'https://github.com/acme/catalog',
        target_repository_url: 'https://github.com/acme/catalog',
        revision: sha(build.number),
        branch: 'main',
        commit: { subject: `Change ${build.number}`, body: '' },
      },
    });
  const workflow = (build: TimelineBuild, now: number): Json =>
    workflowItem({
      id: workflowId(build),
      name: WORKFLOW_NAME,
      status: workflowStatus(build, now),
      created_at: iso(build.createdAt),
      stopped_at: done(build, now) ? iso(build.finishAt) : null,
      pipeline_id: pipelineId(build),
      pipeline_number: build.number,
      project_slug: PROJECT_SLUG,
      started_by: STARTED_BY,
      canceled_by: null,
      errored_by: null,
      tag: null,
    });
  const job = (build: TimelineBuild, now: number, index: 0 | 1): Json => {
    const started = index === 0 || pastMid(build, now);
    const finished = index === 0 ? pastMid(build, now) : done(build, now);
    const status = finished
      ? index === 1 && build.fails
        ? 'failed'
        : 'success'
      : started
        ? 'running'
        : 'blocked';
    return jobItem({
      id: jobId(build, index),
      name: index === 0 ? 'build' : 'test',
      type: 'build',
      status,
      job_number: build.number * 2 + index,
      project_slug: PROJECT_SLUG,
      dependencies: index === 0 ? [] : [jobId(build, 0)],
      started_at: started ? iso(index === 0 ? build.createdAt : build.midAt) : null,
      stopped_at: finished ? iso(index === 0 ? build.midAt : build.finishAt) : null,
      approval_request_id: null,
      canceled_by: null,
    });
  };
  const addRoutes = () => {
    for (const build of timeline.advance()) {
      if (routed.has(build.number)) continue;
      routed.add(build.number);
      fake.route(`GET ${API}/pipeline/${pipelineId(build)}/workflow`, (request) =>
        withEtag(request, page([workflow(build, Date.now())])),
      );
      fake.route(`GET ${API}/workflow/${workflowId(build)}/job`, (request) => {
        const now = Date.now();
        return withEtag(request, page([job(build, now, 0), job(build, now, 1)]));
      });
    }
  };

  fake.route(`GET ${PIPELINES}`, (request) => {
    addRoutes();
    const now = Date.now();
    const items = [...timeline.advance(now)]
      .reverse()
      .slice(0, PAGE_SIZE)
      .map((build) => pipeline(build, now));
    return withEtag(request, page(items, items.length === PAGE_SIZE ? 'older-pipelines' : null));
  });

  return {
    baseUrl: (origin) => `${origin}${API}`,
    // The whole first page, so that a build still running is looked at until it ends.
    options: { projects: [PROJECT_SLUG], pipelinesPerPoll: PAGE_SIZE },
    isPollEntry: (path) => path === PIPELINES,
    reportedBuilds(path, body) {
      // A build is a workflow run: the workflows list of a pipeline names them.
      if (!/^\/api\/v2\/pipeline\/[^/]+\/workflow$/.test(path)) return [];
      const value = parseBody(body) as { items?: Array<{ id?: unknown }> } | null;
      return (value?.items ?? []).map((item) => String(item.id));
    },
    finalStatuses: () =>
      new Map(timeline.advance().map((build) => [workflowId(build), finalStatus(build)])),
  };
}
