import { join } from 'node:path';
import type { SourceConfig } from '../../shared/config';
import { ApiError, type ApiHandlers } from '../../shared/contract';
import type { SecretStore } from '../secrets/secret-store';
import type { SecretLookup } from '../sources/registry';
import {
  readAppSources,
  withAppSource,
  withoutAppSource,
  writeAppSources,
  type AppSources,
} from './app-sources-file';
import type { ConfiguredSource } from './configured-sources';
import { describeSetting, validateDraft, type ParsedDraft } from './source-drafts';
import { listSourceKinds } from './source-kinds';
import { offeredPipelines, testConnection } from './source-probe';

/**
 * Settings' operations on sources: list them with where they come from, validate, test, list
 * the pipelines a source offers, add, change, enable, disable and remove the ones added in the
 * app. Starting and stopping adapters is the core's (`SourceRuntime`); this module decides what
 * is allowed, keeps `sources.json` and the secret store in step, and tells clients.
 */

/** What Settings needs from the core to apply a change. */
export interface SourceRuntime {
  /** The running source's row id, or null when it was never started. */
  sourceIdOf(key: string): number | null;
  /** Starts a source, or restarts it with new settings (polling only if enabled). */
  start(config: SourceConfig): void;
  /** Stops a source; `purge` also deletes its stored builds and its state folder. */
  stop(key: string, purge: boolean): Promise<void>;
}

/** Desktop preferences the Electron shell offers; absent in serve mode. */
export interface DesktopIntegration {
  startAtLogin: { get(): boolean; set(enabled: boolean): void } | null;
}

/** The disk budget for stored logs, as the core applies it. */
export interface LogStorageControl {
  /** The budget in force, in MiB. */
  budgetMegabytes(): number;
  /** Applies a new budget at once (evicting the oldest logs past it). */
  setBudgetMegabytes(megabytes: number): void;
  /** What stored logs take now, in bytes. */
  usedBytes(): number;
}

export type SettingsOperation = Extract<keyof ApiHandlers, `settings/${string}`>;
export type SettingsHandlers = Pick<ApiHandlers, SettingsOperation>;

export interface SourceSettingsOptions {
  /** Every source started at launch, with its origin. */
  initial: readonly ConfiguredSource[];
  appSources: AppSources;
  appSourcesPath: string;
  secrets: SecretStore;
  runtime: SourceRuntime;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  desktop?: DesktopIntegration;
  logStorage: LogStorageControl;
  /** Tells every client the list of sources changed. */
  announce(keys: string[]): void;
  now?: () => number;
  /** For tests. */
  probeTimeoutMs?: number;
}

export function createSourceSettings(options: SourceSettingsOptions): SettingsHandlers {
  const env = options.env ?? process.env;
  const { secrets, runtime } = options;
  let configured: ConfiguredSource[] = [...options.initial];
  let appSources = options.appSources;

  // One change at a time: a save must not interleave with a remove of the same source.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(change: () => Promise<T>): Promise<T> => {
    const next = queue.then(change, change);
    queue = next.catch(() => undefined);
    return next;
  };

  const find = (key: string): ConfiguredSource | undefined =>
    configured.find((entry) => entry.config.id === key);
  const hasSecret = (id: string): boolean => {
    try {
      return secrets.get(id) !== null;
    } catch {
      return false;
    }
  };
  const describe = (entry: ConfiguredSource) =>
    describeSetting(entry.config, entry.origin, runtime.sourceIdOf(entry.config.id), {
      hasSecret,
      env,
    });
  const editable = (key: string): ConfiguredSource => {
    const entry = find(key);
    if (!entry) throw new ApiError('not-found', `There is no source "${key}".`);
    if (entry.origin === 'config-file') {
      throw new ApiError(
        'conflict',
        `"${entry.config.name}" comes from the config file; change it there.`,
      );
    }
    return entry;
  };
  // Callers build `next` from `readLatest()`, so a hand edit of the file is not overwritten.
  const saveAppSources = (next: AppSources): void => {
    writeAppSources(options.appSourcesPath, next);
    appSources = next;
  };

  /** Validates a draft for testing: an unsaved token is looked up before the stored ones. */
  const draftForProbe = (draft: ParsedDraft) => {
    const current = find(draft.key.trim())?.config ?? null;
    const result = validateDraft(draft, {
      isNew: current === null,
      keysInUse: new Set(),
      current,
    });
    const typed = draft.token.kind === 'secret' ? draft.token.value : null;
    const key = draft.key.trim();
    const lookup: SecretLookup = (id) => (typed !== null && id === key ? typed : secrets.get(id));
    return { result, lookup };
  };
  const probeContext = (lookup: SecretLookup) => ({
    scratchDirectory: join(options.dataDir, 'tmp'),
    secrets: lookup,
    env,
    ...(options.now ? { now: options.now } : {}),
    ...(options.probeTimeoutMs ? { timeoutMs: options.probeTimeoutMs } : {}),
  });

  return {
    'settings/source-kinds': async () => listSourceKinds(),
    'settings/sources': async () => configured.map(describe),
    'settings/validate-source': async ({ draft, isNew }) => {
      const current = isNew ? null : (find(draft.key.trim())?.config ?? null);
      const keysInUse = new Set(configured.map((entry) => entry.config.id));
      const result = validateDraft(draft, { isNew, keysInUse, current });
      return { issues: result.ok ? [] : result.issues };
    },
    'settings/test-source': async ({ draft }) => {
      const { result, lookup } = draftForProbe(draft);
      if (!result.ok) {
        return {
          ok: false,
          errorKind: 'invalid',
          message: 'Fix the highlighted fields first.',
          issues: result.issues,
        };
      }
      return testConnection(result.config, probeContext(lookup));
    },
    'settings/offered-pipelines': async ({ draft }) => {
      const { result, lookup } = draftForProbe(draft);
      if (!result.ok) {
        const issue = result.issues[0];
        throw new ApiError(
          'bad-request',
          `${issue?.path ?? 'draft'}: ${issue?.message ?? 'invalid'}`,
        );
      }
      return offeredPipelines(result.config, probeContext(lookup));
    },
    'settings/save-source': ({ draft, isNew }) =>
      serially(async () => {
        const key = draft.key.trim();
        const current = isNew ? null : editable(key);
        if (current !== null && current.origin !== 'app') {
          throw new ApiError('conflict', 'The built-in demo cannot be edited; remove it instead.');
        }
        const keysInUse = new Set(configured.map((entry) => entry.config.id));
        const result = validateDraft(draft, {
          isNew,
          keysInUse,
          current: current?.config ?? null,
        });
        if (!result.ok) {
          const issue = result.issues[0];
          throw new ApiError(
            'bad-request',
            `${issue?.path ?? 'draft'}: ${issue?.message ?? 'invalid'}`,
          );
        }
        // Fields the form does not show (a timeout set by hand in sources.json) survive an edit.
        const config =
          current?.config.requestTimeoutSeconds !== undefined &&
          result.config.requestTimeoutSeconds === undefined
            ? { ...result.config, requestTimeoutSeconds: current.config.requestTimeoutSeconds }
            : result.config;
        // The token first: a source must never reference a secret that was not stored.
        if (draft.token.kind === 'secret') {
          try {
            secrets.set(key, draft.token.value);
          } catch (error) {
            throw new ApiError('conflict', (error as Error).message);
          }
        }
        saveAppSources(withAppSource(readLatest(), config));
        const previous = current?.config.token;
        if (previous && 'secret' in previous && !(config.token && 'secret' in config.token)) {
          secrets.remove(previous.secret);
        }
        if (current !== null) await runtime.stop(key, false);
        runtime.start(config);
        const entry: ConfiguredSource = { config, origin: 'app' };
        configured = current
          ? configured.map((existing) => (existing.config.id === key ? entry : existing))
          : [...configured, entry];
        options.announce([key]);
        return describe(entry);
      }),
    'settings/enable-source': ({ key, enabled }) =>
      serially(async () => {
        const current = editable(key);
        if (current.origin !== 'app') {
          throw new ApiError(
            'conflict',
            'The built-in demo cannot be disabled; remove it instead.',
          );
        }
        const config = { ...current.config, enabled };
        saveAppSources(withAppSource(readLatest(), config));
        await runtime.stop(key, false);
        runtime.start(config);
        const entry: ConfiguredSource = { config, origin: 'app' };
        configured = configured.map((existing) => (existing.config.id === key ? entry : existing));
        options.announce([key]);
        return describe(entry);
      }),
    'settings/remove-source': ({ key }) =>
      serially(async () => {
        const current = editable(key);
        saveAppSources(
          current.origin === 'built-in'
            ? { ...readLatest(), hideBuiltInDemo: true }
            : withoutAppSource(readLatest(), key),
        );
        const reference = current.config.token;
        if (current.origin === 'app' && reference && 'secret' in reference) {
          secrets.remove(reference.secret);
        }
        await runtime.stop(key, true);
        configured = configured.filter((entry) => entry.config.id !== key);
        options.announce([key]);
        return { removed: true };
      }),
    'settings/app': async () => preferences(),
    'settings/app-update': ({ startAtLogin, logStorageMegabytes }) =>
      serially(async () => {
        if (startAtLogin !== undefined) {
          const setting = options.desktop?.startAtLogin;
          if (!setting) {
            throw new ApiError('conflict', 'Start at login is a setting of the desktop app.');
          }
          setting.set(startAtLogin);
        }
        if (logStorageMegabytes !== undefined) {
          // Saved first: a budget that applied but vanished at the next start would surprise.
          saveAppSources({ ...readLatest(), logStorageMegabytes });
          options.logStorage.setBudgetMegabytes(logStorageMegabytes);
        }
        return preferences();
      }),
  };

  function preferences() {
    const { logStorage } = options;
    return {
      startAtLogin: options.desktop?.startAtLogin?.get() ?? null,
      logStorage: {
        budgetMegabytes: logStorage.budgetMegabytes(),
        setIn:
          readLatest().logStorageMegabytes === undefined
            ? ('config' as const)
            : ('settings' as const),
        usedBytes: logStorage.usedBytes(),
      },
    };
  }

  function readLatest(): AppSources {
    try {
      return readAppSources(options.appSourcesPath);
    } catch {
      return appSources;
    }
  }
}
