import type { FakeProvider } from './fake-provider';
import type { KindParts } from './living-ci';
import {
  type Timeline,
  done,
  finalStatus,
  iso,
  parseBody,
  pastMid,
  sha,
  withEtag,
  type TimelineBuild,
} from './living-timeline';
import { fixtureJson } from './provider-fixtures';

type Json = Record<string, unknown>;

const ORGANIZATION = 'my-great-org';
const PIPELINE_SLUG = 'my-pipeline';
const PIPELINE = `/v2/organizations/${ORGANIZATION}/pipelines/${PIPELINE_SLUG}`;
const BUILDS = `${PIPELINE}/builds`;
/** The organization's budget this fake reports: far more than a soak spends. */
const ORG_LIMIT = 100_000;

/** A job id for a build and a position, shaped like Buildkite's UUIDs. */
function jobId(build: TimelineBuild, index: number): string {
  const number = String(build.number).padStart(8, '0');
  return `b63254c0-3271-4a98-${String(index).padStart(4, '0')}-0000${number}`;
}

/**
 * A Buildkite pipeline that keeps building, from the docs' example build: each build is a script
 * job, a wait step and the example's RSpec job, with the jobs embedded as the builds list sends them.
 */
export function buildkiteRoutes(fake: FakeProvider, timeline: Timeline): KindParts {
  const buildTemplate = fixtureJson<Json & { jobs: Json[] }>('buildkite', 'build.json');
  const jobTemplate = buildTemplate.jobs[0] ?? {};
  const logTemplate = fixtureJson<{ content: string }>('buildkite', 'job-log.json');
  // The organization's budget never runs low: a soak is about faults, not about sharing it.
  const rate = (): Record<string, string> => ({
    'RateLimit-Limit': String(ORG_LIMIT),
    'RateLimit-Remaining': String(ORG_LIMIT - 1000),
    'RateLimit-Reset': '60',
  });

  const jobState = (build: TimelineBuild, now: number, index: 0 | 2): string => {
    const started = index === 0 || pastMid(build, now);
    const finished = index === 0 ? pastMid(build, now) : done(build, now);
    if (finished) return index === 2 && build.fails ? 'failed' : 'passed';
    return started ? 'running' : 'waiting';
  };
  const job = (build: TimelineBuild, now: number, index: 0 | 2): Json => {
    const state = jobState(build, now, index);
    const started = state !== 'waiting';
    const finished = state === 'passed' || state === 'failed';
    const url = `https://buildkite.com/${ORGANIZATION}/${PIPELINE_SLUG}/builds/${build.number}`;
    return {
      ...jobTemplate,
      id: jobId(build, index),
      name: index === 0 ? 'Build' : 'RSpec',
      step_key: index === 0 ? 'build' : 'rspec',
      state,
      web_url: `${url}#${jobId(build, index)}`,
      exit_status: finished ? (state === 'failed' ? 1 : 0) : null,
      created_at: iso(build.createdAt),
      scheduled_at: iso(build.createdAt),
      runnable_at: iso(index === 0 ? build.createdAt : build.midAt),
      started_at: started ? iso(index === 0 ? build.createdAt : build.midAt) : null,
      finished_at: finished ? iso(index === 0 ? build.midAt : build.finishAt) : null,
      retried: false,
      retries_count: 0,
      retry_source: null,
    };
  };
  const build = (entry: TimelineBuild, now: number): Json => {
    const finished = done(entry, now);
    return {
      ...buildTemplate,
      id: `f62a1b4d-10f9-4790-bc1c-${String(entry.number).padStart(12, '0')}`,
      url: `https://api.buildkite.com${BUILDS}/${entry.number}`,
      web_url: `https://buildkite.com/${ORGANIZATION}/${PIPELINE_SLUG}/builds/${entry.number}`,
      number: entry.number,
      state: finished ? (entry.fails ? 'failed' : 'passed') : 'running',
      blocked: false,
      commit: sha(entry.number),
      branch: 'main',
      jobs: [
        job(entry, now, 0),
        { id: jobId(entry, 1), type: 'waiter', state: null },
        job(entry, now, 2),
      ],
      created_at: iso(entry.createdAt),
      scheduled_at: iso(entry.createdAt),
      started_at: iso(entry.createdAt),
      finished_at: finished ? iso(entry.finishAt) : null,
      rebuilt_from: null,
    };
  };

  const routed = new Set<number>();
  // Failed jobs' logs are fetched eagerly: answered as Buildkite does, a suffix range (206).
  const addLogRoutes = () => {
    for (const entry of timeline.advance()) {
      if (routed.has(entry.number)) continue;
      routed.add(entry.number);
      for (const index of [0, 2]) {
        fake.route(`GET ${BUILDS}/${entry.number}/jobs/${jobId(entry, index)}/log.txt`, () => {
          const text = logTemplate.content;
          return {
            status: 206,
            body: text,
            headers: { 'Content-Range': `bytes 0-${text.length - 1}/${text.length}`, ...rate() },
          };
        });
      }
    }
  };

  fake.route(`GET ${BUILDS}`, (request) => {
    addLogRoutes();
    const now = Date.now();
    const perPage = Number(request.query.get('per_page') ?? 30);
    const builds = [...timeline.advance(now)]
      .reverse()
      .slice(0, perPage)
      .map((entry) => build(entry, now));
    return withEtag(request, builds, rate());
  });

  return {
    baseUrl: (origin) => `${origin}/v2`,
    options: {
      organization: ORGANIZATION,
      pipelines: [PIPELINE_SLUG],
      // Half of a large organization budget: polling every second never comes near it.
      orgRequestsPerMinute: ORG_LIMIT,
      shareOfOrgBudget: 0.5,
    },
    isPollEntry: (path) => path === BUILDS,
    reportedBuilds(path, body) {
      const value = parseBody(body);
      if (path !== BUILDS || !Array.isArray(value)) return [];
      return (value as Array<{ number?: unknown }>).map((entry) => String(entry.number));
    },
    finalStatuses: () =>
      new Map(timeline.advance().map((entry) => [String(entry.number), finalStatus(entry)])),
  };
}
