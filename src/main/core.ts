import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config, SourceConfig } from '../shared/config';
import { ApiError, type ApiHandlers } from '../shared/contract';
import type { Source, SourceHealth } from '../shared/model';
import { createGateDecider } from './approvals/decide';
import type { Core, CoreEvent, CoreEventListener } from './core-types';
import { readStageLog, readStepLog } from './logs/step-log';
import { createBuildActions } from './actions/build-actions';
import { createNotifier } from './notifications/notifier';
import {
  createNotificationSettings,
  notificationSettingsPath,
} from './notifications/notification-settings';
import { Poller } from './poller/poller';
import { createSource } from './sources/registry';
import type { CiSource } from './sources/source';
import { openDatabase } from './store/db';
import { Store } from './store/store';

export interface CoreOptions {
  config: Config;
  configPath: string | null;
  dataDir: string;
  /** A better-sqlite3 binary built for this runtime's ABI (the Electron shell passes one). */
  nativeBinding?: string;
  log?: (line: string) => void;
  /** Injected in tests. */
  now?: () => number;
}

interface ActiveSource {
  id: number;
  config: SourceConfig;
  adapter: CiSource;
}

const PENDING_HEALTH: SourceHealth = {
  state: 'pending',
  message: 'Waiting for the first poll.',
  lastPollAt: null,
  lastSuccessAt: null,
  nextPollAt: null,
  backoffUntil: null,
  consecutiveFailures: 0,
};

const PRUNE_EVERY_POLLS = 50;

/** The database file inside a data folder. */
export function databasePath(dataDir: string): string {
  return join(dataDir, 'pipewatch.db');
}

/**
 * Builds the core for either shell: opens the store, creates one adapter per configured source,
 * starts the poller, and implements every operation of the contract.
 */
export function createCore(options: CoreOptions): Core {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  mkdirSync(options.dataDir, { recursive: true });
  const store = new Store(
    openDatabase(
      databasePath(options.dataDir),
      options.nativeBinding ? { nativeBinding: options.nativeBinding } : undefined,
    ),
  );

  const listeners = new Set<CoreEventListener>();
  const emit = (event: CoreEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        log(`An event listener failed: ${(error as Error).message}`);
      }
    }
  };

  const sources = new Map<string, ActiveSource>();
  for (const config of options.config.sources) {
    const id = store.upsertSource({
      key: config.id,
      kind: config.kind,
      name: config.name,
      baseUrl: config.baseUrl ?? null,
      isDemo: config.kind === 'demo',
    });
    const adapter = createSource({
      config,
      stateDirectory: join(options.dataDir, 'sources', config.id),
      now,
    });
    sources.set(config.id, { id, config, adapter });
  }

  const health = new Map<string, SourceHealth>();
  const describeSource = (entry: ActiveSource): Source => ({
    id: entry.id,
    key: entry.config.id,
    kind: entry.config.kind,
    name: entry.config.name,
    baseUrl: entry.config.baseUrl ?? null,
    isDemo: entry.config.kind === 'demo',
    enabled: entry.config.enabled,
    health: health.get(entry.config.id) ?? PENDING_HEALTH,
    capabilities: [...entry.adapter.capabilities],
    rateLimit: entry.adapter.rateLimit?.() ?? null,
    minimumIntervalSeconds: entry.adapter.minimumIntervalSeconds?.() ?? null,
  });

  const notificationSettings = createNotificationSettings(
    notificationSettingsPath(options.dataDir),
  );
  const notifier = createNotifier({
    store,
    emit: (payload) => emit({ name: 'notifications/show', payload }),
    preferences: () => notificationSettings.get(),
    log,
  });

  let pollCount = 0;
  const poller = new Poller({
    config: options.config.polling,
    runPoll: async (key, signal) => {
      const entry = sources.get(key);
      if (!entry) return { active: false };
      const snapshot = await entry.adapter.poll({
        signal,
        knownFinishedBuilds: store.finishedBuildIds(entry.id),
      });
      if (signal.aborted) return { active: false };
      pollCount += 1;
      const changes = store.applySnapshot(entry.id, snapshot, `${now()}-${pollCount}`);
      notifier.observe(changes);
      // Pruning is cheap but not free; once every so many polls keeps the history bounded.
      if (pollCount % PRUNE_EVERY_POLLS === 0)
        store.pruneBuilds(options.config.retention.buildsPerPipeline);
      if (changes.buildIds.length > 0) {
        emit({
          name: 'builds/changed',
          payload: { pipelineIds: changes.pipelineIds, buildIds: changes.buildIds },
        });
      }
      if (changes.gateIds.length > 0) {
        emit({ name: 'gates/changed', payload: { gateIds: changes.gateIds } });
      }
      return {
        active: store.anyActive(entry.id),
        minimumDelayMs: (entry.adapter.minimumIntervalSeconds?.() ?? 0) * 1000,
      };
    },
    onHealth: (key, next) => {
      health.set(key, next);
      const entry = sources.get(key);
      if (entry) emit({ name: 'sources/changed', payload: { source: describeSource(entry) } });
    },
  });

  const sourceFor = (key: string): CiSource | undefined => sources.get(key)?.adapter;
  const decider = createGateDecider({
    store,
    sourceFor,
    refresh: (key) => poller.pollNow(key),
    now: () => new Date(now()),
  });

  const logs = { store, sourceFor, now: () => new Date(now()) };
  const actions = createBuildActions({ store, sourceFor, refresh: (key) => poller.pollNow(key) });

  const api: ApiHandlers = {
    'sources/list': async () => [...sources.values()].map(describeSource),
    'sources/refresh': async ({ sourceId }) => {
      const entry = [...sources.values()].find((candidate) => candidate.id === sourceId);
      if (!entry) throw new ApiError('not-found', `There is no source ${sourceId}.`);
      return { queued: poller.pollNow(entry.config.id) };
    },
    'pipelines/list': async ({ builds }) => store.listPipelineSummaries(builds),
    'builds/list': async (input) => store.listBuilds(input),
    'builds/get': async ({ buildId }) => {
      const detail = store.getBuildDetail(buildId);
      if (!detail) throw new ApiError('not-found', `There is no build ${buildId}.`);
      return detail;
    },
    'logs/get': async ({ stepId }) => readStepLog(stepId, logs),
    'logs/stage': async ({ stageId }) => readStageLog(stageId, logs),
    'builds/rerun': async ({ buildId, scope }) => actions.rerunBuild(buildId, scope),
    'builds/cancel': async ({ buildId }) => actions.cancelBuild(buildId),
    'stages/retry': async ({ stageId }) => actions.retryStage(stageId),
    'gates/inbox': async () => store.listInbox(),
    'gates/decide': async (input) => decider.decide(input),
    'audit/list': async ({ limit }) => store.listAudit(limit),
    'notifications/settings': async () => notificationSettings.get(),
    'notifications/mute': async ({ pipelineId, muted }) =>
      notificationSettings.setMuted(pipelineId, muted),
    'notifications/only-authors': async ({ authors }) =>
      notificationSettings.setOnlyAuthors(authors),
  };

  for (const entry of sources.values()) {
    if (entry.config.enabled) poller.add(entry.config.id);
  }

  let stopping: Promise<void> | null = null;
  return {
    api,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setVisible(visible) {
      poller.setHidden(!visible);
    },
    stop() {
      stopping ??= (async () => {
        await poller.stop();
        for (const entry of sources.values()) await entry.adapter.close?.();
        store.close();
        listeners.clear();
      })();
      return stopping;
    },
  };
}
