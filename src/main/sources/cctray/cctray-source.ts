import {
  finishedBuildKey,
  SourceError,
  type BuildSnapshot,
  type CiSource,
  type FetchedLog,
  type GateDecisionAnswer,
  type GateReading,
  type LogRef,
  type PollContext,
  type PollSnapshot,
} from '../source';
import { advanceHistory, type PipelineHistory } from './build-history';
import { createCctrayClient, describeFeed } from './cctray-client';
import { cctrayOptionsSchema, type CctrayOptions } from './cctray-options';
import { cctrayStateFile, readCctrayState, writeCctrayState } from './cctray-state';
import { toBuildSnapshot } from './history-snapshot';
import { observePipelines, type PipelineObservation } from './map-cctray';

export interface CctraySourceSettings {
  /** The feed URL; null when the config gives none (every poll then says so). */
  feedUrl: string | null;
  options: CctrayOptions;
  /** A folder of its own where the source keeps the history it inferred. */
  stateDirectory: string;
  token: () => string | null;
  now?: () => number;
  fetch?: typeof fetch;
  /** Longest wait for one request (the config's `requestTimeoutSeconds`). */
  timeoutMs?: number;
}

function selected(pipelines: PipelineObservation[], options: CctrayOptions, feed: string) {
  const wanted = options.projects;
  if (!wanted) return pipelines;
  const chosen = pipelines.filter((pipeline) => wanted.includes(pipeline.externalId));
  if (chosen.length === 0 && pipelines.length > 0) {
    const listed = pipelines
      .slice(0, 10)
      .map((pipeline) => `"${pipeline.externalId}"`)
      .join(', ');
    throw new SourceError(
      'not-found',
      `None of options.projects is in the feed at ${feed}; it lists ${listed}${pipelines.length > 10 ? ', …' : ''}.`,
    );
  }
  return chosen;
}

/**
 * A cctray feed as a source: every `<Project>` a pipeline (GoCD stages grouped), builds inferred
 * from label changes between polls and remembered in the state folder. Read-only: a feed has no
 * logs, no gates and no actions.
 */
export function createCctraySource(settings: CctraySourceSettings): CiSource {
  const options = cctrayOptionsSchema.parse(settings.options);
  const now = settings.now ?? Date.now;
  const file = cctrayStateFile(settings.stateDirectory);
  const feedUrl = settings.feedUrl;
  const client = feedUrl
    ? createCctrayClient({
        feedUrl,
        options,
        token: settings.token,
        ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
        ...(settings.fetch ? { fetch: settings.fetch } : {}),
        now,
      })
    : null;
  let histories: Map<string, PipelineHistory> | null = null;

  const noGates = (): SourceError =>
    new SourceError('not-found', 'A cctray feed has no manual gates to read or decide.');

  return {
    kind: 'cctray',
    capabilities: [],

    async poll(context: PollContext): Promise<PollSnapshot> {
      if (!client || !feedUrl) {
        throw new SourceError(
          'not-found',
          'This cctray source has no baseUrl: set it to the feed URL (for example https://ci.example.com/cc.xml).',
        );
      }
      histories ??= readCctrayState(file);
      const feed = await client.fetchFeed(context.signal);
      if (context.signal.aborted) throw new SourceError('unreachable', 'The poll was cancelled.');
      const observations = selected(
        observePipelines(feed.projects, options.groupGoCdStages),
        options,
        describeFeed(feedUrl),
      );
      const at = new Date(now()).toISOString();
      const builds: BuildSnapshot[] = [];
      const before = JSON.stringify([...histories]);
      for (const observation of observations) {
        const step = advanceHistory(histories.get(observation.externalId), observation, at);
        histories.set(observation.externalId, step.history);
        const touched = new Set(step.touched);
        for (const build of step.history.builds) {
          const key = finishedBuildKey(observation.externalId, build.externalId);
          // Report what changed, and anything the store does not hold as finished (running
          // builds, or all of them after the database was replaced).
          if (touched.has(build.externalId) || !context.knownFinishedBuilds.has(key)) {
            builds.push(toBuildSnapshot(observation, build));
          }
        }
      }
      if (JSON.stringify([...histories]) !== before) writeCctrayState(file, histories);
      return {
        pipelines: observations.map((observation) => ({
          externalId: observation.externalId,
          name: observation.name,
          webUrl: observation.webUrl,
        })),
        builds,
      };
    },

    async readGate(): Promise<GateReading> {
      throw noGates();
    },

    async decideGate(): Promise<GateDecisionAnswer> {
      throw noGates();
    },

    async fetchLog(log: LogRef): Promise<FetchedLog> {
      const build = histories
        ?.get(log.pipelineExternalId)
        ?.builds.find((candidate) => candidate.externalId === log.buildExternalId);
      const page = build?.runs.find((run) => run.stage === log.stageExternalId)?.webUrl;
      throw new SourceError(
        'not-found',
        `A cctray feed carries no logs${page ? `; the build's page is ${page}` : ''}.`,
      );
    },
  };
}
