import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  forwardNotifications,
  notificationHash,
  type NotificationPresenter,
} from '../../src/main/notifications/notification-presenter';
import type { DesktopNotification } from '../../src/main/notifications/notification-rules';
import {
  createNotificationSettings,
  notificationSettingsPath,
} from '../../src/main/notifications/notification-settings';
import { createNotifier } from '../../src/main/notifications/notifier';
import { openStore, type Store } from '../../src/main/store/store';
import {
  ALL_PASSED,
  FAILED_PERFORMANCE,
  WAITING_FOR_PRODUCTION,
  catalogBuild,
  catalogSnapshot,
  temporaryFolder,
} from './fixtures/store-factories';

let folder: ReturnType<typeof temporaryFolder>;
let store: Store;
let sourceId: number;
let polls = 0;

beforeEach(() => {
  folder = temporaryFolder();
  store = openStore(join(folder.path, 'pipewatch.db'));
  sourceId = store.upsertSource({
    key: 'catalog-ci',
    kind: 'demo',
    name: 'Catalog CI',
    baseUrl: null,
    isDemo: true,
  });
});

afterEach(() => {
  store.close();
  folder.cleanup();
});

function poll(...builds: ReturnType<typeof catalogBuild>[]) {
  polls += 1;
  return store.applySnapshot(sourceId, catalogSnapshot(builds), `poll-${polls}`);
}

function notifierOverStore(settings = createNotificationSettings(null)) {
  const shown: DesktopNotification[] = [];
  const notifier = createNotifier({
    store,
    emit: (notification) => shown.push(notification),
    preferences: () => settings.get(),
  });
  return { notifier, shown, settings };
}

describe('the notifier over the real store', () => {
  it('starts quiet on a fresh database, then announces build 122 waiting for production', () => {
    const { notifier, shown } = notifierOverStore();
    notifier.observe(poll(catalogBuild(120, ALL_PASSED)));
    expect(shown).toEqual([]);
    notifier.observe(poll(catalogBuild(121, FAILED_PERFORMANCE)));
    notifier.observe(poll(catalogBuild(122, WAITING_FOR_PRODUCTION)));
    notifier.observe(poll(catalogBuild(122, WAITING_FOR_PRODUCTION)));
    expect(shown.map((notification) => notification.title)).toEqual([
      'Catalog is red',
      'Catalog build 122 is waiting for you',
    ]);
    expect(shown[0]?.body).toBe('Build 121 failed at performance-tests (ana).');
    const item = store.listInbox()[0];
    expect(shown[1]).toMatchObject({ gateId: item?.gate.id, buildId: item?.build.id });
  });

  it('does not repeat after a restart what it already saw before', () => {
    poll(catalogBuild(121, FAILED_PERFORMANCE), catalogBuild(122, WAITING_FOR_PRODUCTION));
    const { notifier, shown } = notifierOverStore();
    notifier.observe(poll(catalogBuild(122, WAITING_FOR_PRODUCTION)));
    notifier.observe(poll(catalogBuild(123, ALL_PASSED)));
    expect(shown.map((notification) => notification.kind)).toEqual(['pipeline-recovered']);
  });

  it('keeps a muted pipeline quiet, and the mute survives a restart', () => {
    poll(catalogBuild(120, ALL_PASSED));
    const file = notificationSettingsPath(folder.path);
    const settings = createNotificationSettings(file);
    const pipelineId = store.listPipelineSummaries(1)[0]!.id;
    settings.setMuted(pipelineId, true);
    const { notifier, shown } = notifierOverStore(createNotificationSettings(file));
    notifier.observe(poll(catalogBuild(121, FAILED_PERFORMANCE)));
    expect(shown).toEqual([]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      mutedPipelineIds: [pipelineId],
      onlyAuthors: [],
    });
  });
});

describe('notification settings', () => {
  it('mutes and unmutes a pipeline, keeping ids unique and sorted', () => {
    const settings = createNotificationSettings(null);
    settings.setMuted(3, true);
    settings.setMuted(1, true);
    settings.setMuted(3, true);
    expect(settings.get().mutedPipelineIds).toEqual([1, 3]);
    expect(settings.setMuted(3, false).mutedPipelineIds).toEqual([1]);
    expect(settings.setOnlyAuthors([' ana ', '', 'ana', 'bob']).onlyAuthors).toEqual([
      'ana',
      'bob',
    ]);
  });

  it('starts from the defaults when the file is broken, and does not write until a change', () => {
    const file = notificationSettingsPath(folder.path);
    writeFileSync(file, '{ not json');
    expect(createNotificationSettings(file).get()).toEqual({
      mutedPipelineIds: [],
      onlyAuthors: [],
    });
    const other = join(folder.path, 'elsewhere', 'settings.json');
    createNotificationSettings(other);
    expect(existsSync(other)).toBe(false);
  });
});

describe("the Electron shell's notifier, behind its interface", () => {
  const failed: DesktopNotification = {
    kind: 'pipeline-failed',
    title: 'Catalog is red',
    body: 'Build 121 failed at performance-tests.',
    pipelineId: 1,
    buildId: 121,
    gateId: null,
    tag: 'pipeline-1-health',
  };

  function fakeCore() {
    const listeners = new Set<(event: { name: string; payload: unknown }) => void>();
    return {
      subscribe(listener: (event: { name: string; payload: unknown }) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      push: (name: string, payload: unknown) =>
        listeners.forEach((listener) => listener({ name, payload })),
    };
  }

  function fakePresenter(supported = true) {
    const shown: Array<{ notification: DesktopNotification; click: () => void }> = [];
    const presenter: NotificationPresenter = {
      isSupported: () => supported,
      show: (notification, click) => shown.push({ notification, click }),
    };
    return { presenter, shown };
  }

  it('shows notifications the core emits and opens the failed build when clicked', () => {
    const core = fakeCore();
    const { presenter, shown } = fakePresenter();
    const opened: string[] = [];
    const stop = forwardNotifications(core, presenter, (notification) =>
      opened.push(notificationHash(notification)),
    );
    core.push('builds/changed', { pipelineIds: [1], buildIds: [121] });
    core.push('notifications/show', failed);
    core.push('notifications/show', { title: 'half a notification' });
    expect(shown.map((entry) => entry.notification)).toEqual([failed]);
    shown[0]?.click();
    expect(opened).toEqual(['#/pipelines/1/builds/121']);
    stop();
    core.push('notifications/show', failed);
    expect(shown).toHaveLength(1);
  });

  it('shows nothing where the desktop has no notification service', () => {
    const core = fakeCore();
    const { presenter, shown } = fakePresenter(false);
    forwardNotifications(core, presenter, () => undefined);
    core.push('notifications/show', failed);
    expect(shown).toEqual([]);
  });
});

describe('the notifier never fails a poll', () => {
  it('reports a store failure and carries on', () => {
    const lines: string[] = [];
    const notifier = createNotifier({
      store: {
        listPipelineSummaries: () => [],
        listInbox: () => [],
        getBuildDetail: () => {
          throw new Error('database is locked');
        },
        getGateContext: () => null,
      },
      emit: () => undefined,
      preferences: () => ({ mutedPipelineIds: [], onlyAuthors: [] }),
      log: (line) => lines.push(line),
    });
    const change = { buildId: 1, pipelineId: 1, previousStatus: null, status: 'failed' as const };
    expect(() =>
      notifier.observe({ pipelineIds: [1], buildIds: [1], gateIds: [], changes: [change] }),
    ).not.toThrow();
    expect(lines).toEqual(['Working out notifications failed: database is locked']);
  });
});
