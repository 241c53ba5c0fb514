import {
  SourceError,
  type ActionAnswer,
  type BuildRef,
  type CiSource,
  type PollContext,
  type PollSnapshot,
} from '../source';
import { JenkinsClient } from './jenkins-client';
import { decideJenkinsGate, readJenkinsGate } from './jenkins-gates';
import { fetchJenkinsLog } from './jenkins-logs';
import { createMemory } from './jenkins-memory';
import { jenkinsOptionsSchema, type JenkinsOptions } from './jenkins-options';
import { pollJob, throwIfAborted } from './jenkins-poll';
import { buildPath, jobDisplayName, jobPath, parseBuildNumber } from './job-path';
import { mapPipeline } from './map-build';

/** What the core gives a Jenkins source. */
export interface JenkinsSourceSettings {
  /** The server's URL with any prefix (`https://ci.example.com/jenkins/`); required. */
  baseUrl: string | null;
  /** Validated with `jenkinsOptionsSchema`. */
  options: JenkinsOptions;
  /** The API token (or password), resolved at each request; null = anonymous. */
  token: () => string | null;
  now?: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

function buildNumberOf(ref: BuildRef): number {
  const number = parseBuildNumber(ref.buildExternalId);
  if (number === null) {
    throw new SourceError('not-found', `"${ref.buildExternalId}" is not a Jenkins build number.`);
  }
  return number;
}

/**
 * A Jenkins source: Pipeline jobs through the stage view REST API (wfapi) and the core remote
 * API, `input` steps as gates, step logs with a live tail, stop and rebuild.
 */
export function createJenkinsSource(settings: JenkinsSourceSettings): CiSource {
  const options = jenkinsOptionsSchema.parse(settings.options);
  const now = settings.now ?? Date.now;
  const baseUrl = settings.baseUrl;
  const memory = createMemory();
  const client = baseUrl
    ? new JenkinsClient({
        baseUrl,
        user: options.user ?? null,
        auth: options.auth,
        token: settings.token,
        now,
        ...(settings.fetch ? { fetch: settings.fetch } : {}),
        ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
      })
    : null;

  /** Jenkins has no public address to default to, so a missing baseUrl is said at every call. */
  function connected(): { client: JenkinsClient; baseUrl: string } {
    if (!client || !baseUrl) {
      throw new SourceError(
        'unreachable',
        'No Jenkins address: set baseUrl of this source (e.g. "https://ci.example.com/jenkins/").',
      );
    }
    return { client, baseUrl };
  }

  return {
    kind: 'jenkins',
    capabilities: ['rerun-build', 'cancel-build'],

    async poll(context: PollContext): Promise<PollSnapshot> {
      const { client, baseUrl } = connected();
      const builds = [];
      // One job after another: Jenkins has no rate limit, but a poll should not hit it in bursts.
      for (const job of options.jobs) {
        throwIfAborted(context.signal);
        builds.push(...(await pollJob({ client, baseUrl, options, memory, now }, job, context)));
      }
      return { pipelines: options.jobs.map((job) => mapPipeline(baseUrl, job)), builds };
    },

    readGate: (gate) => readJenkinsGate({ client: connected().client, memory, now }, gate),

    decideGate: (gate, decision, _comment, fields) =>
      // An input has no comment field: the comment stays in Pipewatch's audit.
      decideJenkinsGate({ client: connected().client, memory, now }, gate, decision, fields),

    fetchLog: (log) => fetchJenkinsLog({ client: connected().client, memory }, log),

    async cancelBuild(build: BuildRef): Promise<ActionAnswer> {
      const number = buildNumberOf(build);
      await connected().client.post(`${buildPath(build.pipelineExternalId, number)}/stop`);
      return {
        message: `Asked Jenkins to stop build #${number} of ${jobDisplayName(build.pipelineExternalId)}.`,
      };
    },

    async rerunBuild(build: BuildRef, scope: 'all' | 'failed'): Promise<ActionAnswer> {
      const { client } = connected();
      const job = build.pipelineExternalId;
      const name = jobDisplayName(job);
      if (scope === 'failed') {
        throw new SourceError(
          'forbidden',
          `Jenkins cannot re-run only the failed stages of ${name}.`,
        );
      }
      const parameters = await client.jobParameters(job);
      if (parameters.length > 0) {
        throw new SourceError(
          'forbidden',
          `${name} takes parameters (${parameters.join(', ')}); start it from Jenkins, where their values can be chosen.`,
        );
      }
      const answer = await client.post(`${jobPath(job)}/build`);
      const queued = /\/queue\/item\/(\d+)/.exec(answer.location ?? '');
      return {
        message: `Jenkins queued a new build of ${name}${queued ? ` (queue item ${queued[1]})` : ''}.`,
      };
    },
  };
}
