import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Config, SourceConfig } from '../shared/config';
import { ApiError, type ApiHandlers } from '../shared/contract';
import type { Source, SourceHealth } from '../shared/model';
import { createGateDecider } from './approvals/decide';
import type { Core, CoreEvent, CoreEventListener } from './core-types';
import { compareWithLastGreen } from './logs/compare-log';
import { createEagerLogFetcher } from './logs/eager-fetch';
import { createLogIndexer } from './logs/log-indexer';
import { searchPipelineLogs } from './logs/log-search';
import { openLog, readLogBlock, readStageLog, readStepLog } from './logs/step-log';
import { createBuildActions } from './actions/build-actions';
import { createNotifier } from './notifications/notifier';
import {
  createNotificationSettings,
  notificationSettingsPath,
} from './notifications/notification-settings';
import { Poller } from './poller/poller';
import { healthAfterWaking, resumeDelayMs } from './power/resume';
import { createMemorySecretStore, type SecretStore } from './secrets/secret-store';
import { appSourcesPath, readAppSources } from './settings/app-sources-file';
import { mergeConfiguredSources } from './settings/configured-sources';
import { createSourceSettings, type DesktopIntegration } from './settings/source-settings';
import { createSource, type SecretLookup } from './sources/registry';
import { SourceError, type CiSource } from './sources/source';
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
  /**
   * Where `{secret: id}` token references are looked up and Settings stores typed tokens: the
   * desktop app's encrypted store or serve mode's secrets file. Memory only when absent.
   */
  secrets?: SecretStore;
  /** What the Electron shell offers Settings (start at login); absent in serve mode. */
  desktop?: DesktopIntegration;
  /** Environment for `{env: NAME}` token references; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
}

/** The core as the Electron shell drives it: also told when the machine sleeps. */
export interface DesktopCore extends Core {
  /**
   * Pauses polling while the machine sleeps (no request can succeed, and a poll cut off by the
   * sleep would count as a failure), then catches up with an immediate poll of every source.
   */
  setSuspended(suspended: boolean): void;
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
const MEBIBYTE = 1024 * 1024;

/** The database file inside a data folder. */
export function databasePath(dataDir: string): string {
  return join(dataDir, 'pipewatch.db');
}

/**
 * Builds the core for either shell: opens the store, creates one adapter per configured source,
 * starts the poller, and implements every operation of the contract.
 */
export function createCore(options: CoreOptions): DesktopCore {
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

  const secrets = options.secrets ?? createMemorySecretStore();
  // A secret store that cannot be read (a secrets file made readable by others) is an auth
  // problem of the source, shown as its health, never a crash.
  const lookUpSecret: SecretLookup = (id) => {
    try {
      return secrets.get(id);
    } catch (error) {
      throw new SourceError('auth', (error as Error).message);
    }
  };
  const stateDirectoryOf = (key: string): string => join(options.dataDir, 'sources', key);
  const appSourcesFile = appSourcesPath(options.dataDir);
  const appSources = readAppSources(appSourcesFile);
  const configured = mergeConfiguredSources(
    options.config.sources,
    options.configPath !== null,
    appSources,
  );
  for (const key of configured.shadowed) {
    log(`Settings' source "${key}" is ignored: the config file has a source with that id.`);
  }

  const sources = new Map<string, ActiveSource>();
  const activate = (config: SourceConfig): ActiveSource => {
    const id = store.upsertSource({
      key: config.id,
      kind: config.kind,
      name: config.name,
      baseUrl: config.baseUrl ?? null,
      isDemo: config.kind === 'demo',
    });
    const timeoutSeconds =
      config.requestTimeoutSeconds ?? options.config.polling.requestTimeoutSeconds;
    const adapter = createSource(
      {
        config,
        stateDirectory: stateDirectoryOf(config.id),
        now,
        timeoutMs: timeoutSeconds * 1000,
      },
      lookUpSecret,
      options.env,
    );
    const entry = { id, config, adapter };
    sources.set(config.id, entry);
    return entry;
  };
  for (const { config } of configured.sources) activate(config);

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
      eagerLogs.onChanges(changes);
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
    onHealth: (key, reported) => {
      const next = waking.has(key) ? healthAfterWaking(health.get(key), reported) : reported;
      waking.delete(key);
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

  const logIndexer = createLogIndexer({ store, log });
  // Settings' budget wins over the config file's; Settings may change it while running.
  let logStorageMegabytes =
    appSources.logStorageMegabytes ?? options.config.retention.logStorageMegabytes;
  const logs = {
    store,
    sourceFor,
    now: () => new Date(now()),
    indexer: logIndexer,
    logBudgetBytes: () => logStorageMegabytes * MEBIBYTE,
  };
  // Failed stages' logs are fetched as soon as the failure is seen, one at a time, off the poll.
  const eagerLogs = createEagerLogFetcher({ ...logs, log });
  logIndexer.resume();
  const actions = createBuildActions({ store, sourceFor, refresh: (key) => poller.pollNow(key) });

  let suspended = false;
  /** Sources added back after the machine woke, whose next health report keeps the last one. */
  const waking = new Set<string>();
  const wakeTimers = new Set<NodeJS.Timeout>();
  const settings = createSourceSettings({
    initial: configured.sources,
    appSources,
    appSourcesPath: appSourcesFile,
    secrets,
    dataDir: options.dataDir,
    ...(options.env ? { env: options.env } : {}),
    ...(options.desktop ? { desktop: options.desktop } : {}),
    logStorage: {
      budgetMegabytes: () => logStorageMegabytes,
      setBudgetMegabytes: (megabytes) => {
        logStorageMegabytes = megabytes;
        store.evictLogsOverBudget(megabytes * MEBIBYTE);
      },
      usedBytes: () => store.logStorageBytes(),
    },
    now,
    announce: (keys) => emit({ name: 'sources/configured', payload: { keys } }),
    runtime: {
      sourceIdOf: (key) => sources.get(key)?.id ?? null,
      start(config) {
        activate(config);
        if (config.enabled && !suspended) poller.add(config.id);
      },
      async stop(key, purge) {
        const entry = sources.get(key);
        poller.remove(key);
        sources.delete(key);
        health.delete(key);
        if (entry) await entry.adapter.close?.();
        if (purge) {
          store.removeSource(key);
          rmSync(stateDirectoryOf(key), { recursive: true, force: true });
        }
      },
    },
  });

  const api: ApiHandlers = {
    ...settings,
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
    'logs/open': async ({ stageId, stepId, refresh }) =>
      openLog({ stageId, stepId: stepId ?? null }, logs, refresh === true),
    'logs/block': async ({ stageId, stepId, block, fetchedAt }) =>
      readLogBlock({ stageId, stepId: stepId ?? null }, block, fetchedAt, store),
    'logs/search': async (input) => searchPipelineLogs(store, input),
    'logs/compare': async ({ stageId, stepId }) =>
      compareWithLastGreen({ stageId, stepId: stepId ?? null }, logs),
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
    setSuspended(next) {
      if (next === suspended) return;
      suspended = next;
      for (const timer of wakeTimers) clearTimeout(timer);
      wakeTimers.clear();
      for (const entry of sources.values()) {
        const key = entry.config.id;
        if (!entry.config.enabled) continue;
        // Removing aborts a poll the sleep would cut off; adding again polls within a second.
        if (suspended) {
          poller.remove(key);
          continue;
        }
        const wake = (): void => {
          if (suspended || sources.get(key) !== entry) return;
          waking.add(key);
          poller.add(key);
        };
        const delay = resumeDelayMs(health.get(key), now());
        if (delay === 0) wake();
        else {
          const timer = setTimeout(() => {
            wakeTimers.delete(timer);
            wake();
          }, delay);
          timer.unref?.();
          wakeTimers.add(timer);
        }
      }
    },
    stop() {
      stopping ??= (async () => {
        for (const timer of wakeTimers) clearTimeout(timer);
        await poller.stop();
        await eagerLogs.stop();
        await logIndexer.stop();
        for (const entry of sources.values()) await entry.adapter.close?.();
        store.close();
        listeners.clear();
      })();
      return stopping;
    },
  };
}
