import { SourceError, type CiSource } from '../source';
import { BuildbotClient } from './buildbot-client';
import { BuildbotMemory } from './buildbot-memory';
import { buildbotOptionsSchema, type BuildbotOptions } from './buildbot-options';
import { cancelBuildbotBuild, rerunBuildbotBuild, retryBuildbotStage } from './buildbot-actions';
import { decideBuildbotGate, readBuildbotGate } from './buildbot-gates';
import { fetchBuildbotLog } from './buildbot-logs';
import { pollBuildbot, type BuildbotDeps } from './buildbot-poll';

/** What the core gives a Buildbot source. */
export interface BuildbotSourceSettings {
  /** Validated with `buildbotOptionsSchema`. */
  readonly options: BuildbotOptions;
  /** The Buildbot web root; there is no public default, so without it every call fails. */
  readonly baseUrl: string | undefined;
  /** The password of `options.user` (or an OAuth2 token); null reads anonymously. */
  readonly token: () => string | null;
  /** Where gate decisions and the learned chain shape are kept. */
  readonly stateDirectory: string;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/**
 * A Buildbot 3.x master as a CI source. A pipeline is a chain of builders linked by Trigger steps,
 * starting at a root builder: each of its build requests (a check-in) is one Pipewatch build whose
 * stages are the chained builds, found through the buildsets' `parent_buildid`. A force-only builder
 * configured after a stage is a manual gate.
 */
export function createBuildbotSource(settings: BuildbotSourceSettings): CiSource {
  const options = buildbotOptionsSchema.parse(settings.options);
  const capabilities = ['rerun-build', 'rerun-failed', 'cancel-build', 'retry-stage'] as const;
  if (!settings.baseUrl) return unconfiguredSource(capabilities);
  const now = settings.now ?? Date.now;
  const client = new BuildbotClient({
    baseUrl: settings.baseUrl,
    user: options.user ?? null,
    token: settings.token,
    now,
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
    ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
  });
  const deps: BuildbotDeps = {
    client,
    memory: new BuildbotMemory(settings.stateDirectory, now),
    options,
    now,
  };
  return {
    kind: 'buildbot',
    capabilities,
    poll: (context) => pollBuildbot(deps, context),
    readGate: (gate) => readBuildbotGate(deps, gate),
    decideGate: (gate, decision, comment, fields) =>
      decideBuildbotGate(deps, gate, decision, comment, fields),
    fetchLog: (log) => fetchBuildbotLog(client, log),
    rerunBuild: (build, scope) => rerunBuildbotBuild(deps, build, scope),
    cancelBuild: (build) => cancelBuildbotBuild(deps, build),
    retryStage: (stage) => retryBuildbotStage(deps, stage),
    // Settings' "Test connection": the login (if any) and the builder list, nothing more.
    async testConnection(signal) {
      await deps.memory.builderIdsFor(client, BuildbotMemory.builderNamesOf(options), signal);
      for (const pipeline of options.pipelines) {
        deps.memory.builderId(pipeline.rootBuilder, pipeline, 'rootBuilder');
      }
      return {
        identity: client.actor === 'anonymous' ? null : client.actor,
        pipelines: options.pipelines.length,
        rateLimit: null,
      };
    },
  };
}

/** Without a base URL there is no server to ask: every call says so, as the source's health. */
function unconfiguredSource(capabilities: CiSource['capabilities']): CiSource {
  const fail = (): Promise<never> =>
    Promise.reject(
      new SourceError(
        'not-found',
        'This Buildbot source has no baseUrl: set it to the web root of the master (for example https://buildbot.example.org/).',
      ),
    );
  return {
    kind: 'buildbot',
    capabilities,
    poll: fail,
    readGate: fail,
    decideGate: fail,
    fetchLog: fail,
    rerunBuild: fail,
    cancelBuild: fail,
    retryStage: fail,
    testConnection: fail,
  };
}
