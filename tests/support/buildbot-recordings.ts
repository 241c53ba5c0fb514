import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildbotClient } from '../../src/main/sources/buildbot/buildbot-client';
import type {
  BuildbotBuild,
  BuildbotBuildRequest,
  BuildbotBuildset,
  BuildbotBuilder,
  BuildbotStep,
} from '../../src/main/sources/buildbot/buildbot-wire';

/**
 * Exchanges recorded from a real Buildbot 3.7 master running tests/integration/buildbot/master.cfg
 * (see tests/fixtures/buildbot-recorded/README.md): what Pipewatch asked and what Buildbot said.
 */
export interface RecordedExchange {
  method: string;
  /** Path and query as sent, e.g. `/api/v2/builds?buildrequestid__in=1`. */
  url: string;
  requestBody: unknown;
  status: number;
  headers: { 'content-type'?: string | null; location?: string; 'set-cookie'?: string[] };
  body: unknown;
}

export const RECORDINGS = join(__dirname, '..', 'fixtures', 'buildbot-recorded');

export function recording(file: string): RecordedExchange[] {
  return JSON.parse(readFileSync(join(RECORDINGS, file), 'utf8')) as RecordedExchange[];
}

/** The time the recordings were made (epoch ms), for clocks that must not run past the cookies. */
export const RECORDED_AT = Date.parse('2026-11-30T00:50:00Z');

function listsOf<T>(exchanges: readonly RecordedExchange[], plural: string): T[] {
  return exchanges.flatMap((exchange) => {
    const list = (exchange.body as Record<string, unknown> | null)?.[plural];
    return Array.isArray(list) ? (list as T[]) : [];
  });
}

function unique<T>(items: readonly T[], key: (item: T) => number): T[] {
  return [...new Map(items.map((item) => [key(item), structuredClone(item)])).values()];
}

/**
 * Everything a recording shows of the master (builders, buildsets, requests, builds with their
 * properties, steps), as plain arrays a test may change to make a variant ("fast-tests failed").
 */
export interface RecordedMaster {
  builders: BuildbotBuilder[];
  buildsets: BuildbotBuildset[];
  requests: BuildbotBuildRequest[];
  builds: BuildbotBuild[];
  /** Steps by build id. */
  steps: Map<number, BuildbotStep[]>;
}

export function recordedMaster(...files: string[]): RecordedMaster {
  const exchanges = files.flatMap(recording);
  const steps = new Map<number, BuildbotStep[]>();
  for (const exchange of exchanges) {
    const match = /^\/api\/v2\/builds\/(\d+)\/steps$/.exec(exchange.url);
    const list = (exchange.body as { steps?: BuildbotStep[] } | null)?.steps;
    if (match?.[1] && list) steps.set(Number(match[1]), structuredClone(list));
  }
  return {
    builders: unique(listsOf<BuildbotBuilder>(exchanges, 'builders'), (item) => item.builderid),
    buildsets: unique(listsOf<BuildbotBuildset>(exchanges, 'buildsets'), (item) => item.bsid),
    requests: unique(
      listsOf<BuildbotBuildRequest>(exchanges, 'buildrequests'),
      (item) => item.buildrequestid,
    ),
    builds: unique(
      listsOf<BuildbotBuild>(exchanges, 'builds').filter((build) => build.properties),
      (item) => item.buildid,
    ),
    steps,
  };
}

/** The builder id of a name in a recorded master. */
export function builderIdOf(master: RecordedMaster, name: string): number {
  const builder = master.builders.find((item) => item.name === name);
  if (!builder) throw new Error(`No builder ${name} in the recording`);
  return builder.builderid;
}

/**
 * A stand-in for `BuildbotClient` answering the walk's queries from a recorded master, so the
 * mappers are tested on Buildbot's real data without HTTP.
 */
export function clientOf(master: RecordedMaster): BuildbotClient {
  const within = (ids: readonly number[]) => (id: number | null | undefined) =>
    id !== null && id !== undefined && ids.includes(id);
  const fake = {
    webRoot: 'http://buildbot.example.org/',
    recentRequests: async (builderId: number, limit: number) =>
      master.requests
        .filter((request) => request.builderid === builderId)
        .sort((left, right) => right.buildrequestid - left.buildrequestid)
        .slice(0, limit),
    buildsets: async (ids: number[]) => master.buildsets.filter((set) => within(ids)(set.bsid)),
    triggeredBuildsets: async (ids: number[]) =>
      master.buildsets.filter((set) => within(ids)(set.parent_buildid)),
    requestsOf: async (ids: number[]) =>
      master.requests.filter((request) => within(ids)(request.buildsetid)),
    buildsOf: async (ids: number[]) =>
      master.builds.filter((build) => within(ids)(build.buildrequestid)),
  };
  return fake as unknown as BuildbotClient;
}
