import { describe, expect, it } from 'vitest';
import { autostartEntry, autostartFolder } from '../../src/main/desktop/autostart';
import { deepLinkInArguments, hashRouteOfDeepLink } from '../../src/main/desktop/deep-link';
import {
  summarizeForTray,
  trayIconBitmap,
  trayState,
  TRAY_COLOURS,
} from '../../src/main/desktop/tray-summary';
import {
  DEFAULT_WINDOW_STATE,
  fitWindowState,
  formatWindowState,
  parseWindowState,
} from '../../src/main/desktop/window-state';
import { healthAfterWaking, resumeDelayMs } from '../../src/main/power/resume';
import type { InboxItem, PipelineSummary, SourceHealth } from '../../src/shared/model';
import type { Status } from '../../src/shared/status';

describe('pipewatch:// links', () => {
  it.each([
    ['pipewatch://', '#/'],
    ['pipewatch://inbox', '#/inbox'],
    ['pipewatch://settings/', '#/settings'],
    ['pipewatch://pipelines/7', '#/pipelines/7'],
    ['pipewatch:///pipelines/7/matrix', '#/pipelines/7/matrix'],
    ['pipewatch://pipelines/7/builds/121', '#/pipelines/7/builds/121'],
    ['pipewatch://pipelines/7/builds/121/stages/3', '#/pipelines/7/builds/121/stages/3'],
    ['pipewatch://pipelines/7/builds/121/stages/3/log', '#/pipelines/7/builds/121/stages/3/log'],
    [
      'pipewatch://pipelines/7/builds/121/stages/3/steps/9/log',
      '#/pipelines/7/builds/121/stages/3/steps/9/log',
    ],
  ])('opens %s at %s', (link, route) => {
    expect(hashRouteOfDeepLink(link)).toBe(route);
  });

  it.each([
    'https://pipewatch.example/pipelines/7',
    'pipewatch://pipelines/seven',
    'pipewatch://pipelines/0',
    'pipewatch://pipelines/7/builds/121/stages/3/delete',
    'pipewatch://pipelines/7"onload="alert(1)',
    'pipewatch://pipelines/7/builds/1e3',
    'pipewatch://user:pass@pipelines/7',
    'pipewatch://javascript:alert(1)',
    `pipewatch://pipelines/${'7'.repeat(3000)}`,
    'not a link',
  ])('ignores %s', (link) => {
    expect(hashRouteOfDeepLink(link)).toBeNull();
  });

  it('finds the link a second launch was given on Windows and Linux', () => {
    expect(
      deepLinkInArguments(['/opt/Pipewatch/pipewatch', '--no-sandbox', 'pipewatch://inbox']),
    ).toBe('pipewatch://inbox');
    expect(deepLinkInArguments(['/opt/Pipewatch/pipewatch'])).toBeNull();
  });
});

describe('the remembered window', () => {
  const laptop = { x: 0, y: 0, width: 1440, height: 900 };
  const monitor = { x: 1440, y: 0, width: 2560, height: 1440 };

  it('opens where it was closed', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1800, height: 1000 }, maximized: true };
    const state = parseWindowState(formatWindowState(saved));
    expect(fitWindowState(state, [laptop, monitor])).toEqual(saved);
  });

  it('opens at the default place when its monitor was unplugged', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1800, height: 1000 }, maximized: false };
    expect(fitWindowState(saved, [laptop]).bounds).toBeNull();
  });

  it('shrinks to a smaller display, but never below the minimum size', () => {
    const saved = { bounds: { x: 10, y: 10, width: 3000, height: 300 }, maximized: false };
    expect(fitWindowState(saved, [laptop]).bounds).toEqual({
      x: 10,
      y: 10,
      width: 1440,
      height: 500,
    });
  });

  it('ignores a corrupt or foreign file', () => {
    expect(parseWindowState(null)).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState('{not json')).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState('{"bounds":{"x":"1"},"maximized":"yes"}')).toEqual(
      DEFAULT_WINDOW_STATE,
    );
  });
});

function pipeline(
  id: number,
  name: string,
  latest: Status | null,
  waitingGates = 0,
): PipelineSummary {
  return {
    id,
    sourceId: 1,
    externalId: name,
    name,
    webUrl: null,
    sourceName: 'CI',
    sourceKind: 'demo',
    isDemo: true,
    waitingGates,
    recentBuilds:
      latest === null
        ? []
        : [
            {
              id: id * 100,
              pipelineId: id,
              externalId: `${name}-1`,
              number: 120 + id,
              attempt: 1,
              status: latest,
              statusDetail: null,
              branch: 'main',
              commitSha: null,
              commitMessage: null,
              author: null,
              trigger: null,
              createdAt: '2024-05-01T10:00:00Z',
              startedAt: null,
              finishedAt: null,
              webUrl: null,
              stages: [],
            },
          ],
  };
}

function inboxItem(from: PipelineSummary, environment: string): InboxItem {
  const build = from.recentBuilds[0];
  if (!build) throw new Error('needs a build');
  const { stages: _stages, ...buildOnly } = build;
  return {
    gate: {
      id: 1,
      buildId: build.id,
      stageExternalId: null,
      externalId: 'g',
      name: 'deploy',
      environment,
      state: 'waiting',
      canDecide: true,
      approvers: [],
      waitingSince: null,
      expiresAt: null,
      decidedBy: null,
      decidedAt: null,
      comment: null,
      fields: [],
      detail: null,
    },
    pipeline: {
      id: from.id,
      sourceId: 1,
      externalId: from.externalId,
      name: from.name,
      webUrl: null,
    },
    sourceName: 'CI',
    isDemo: true,
    build: buildOnly,
    passedStages: [],
  };
}

describe('the tray icon and menu', () => {
  it('is amber while a gate waits, red while a pipeline fails, blue while one runs, else green', () => {
    expect(trayState([pipeline(1, 'Catalog', 'failed')], 1)).toBe('waiting');
    expect(trayState([pipeline(1, 'Catalog', 'success'), pipeline(2, 'Shop', 'failed')], 0)).toBe(
      'failed',
    );
    expect(trayState([pipeline(1, 'Catalog', 'running')], 0)).toBe('running');
    expect(trayState([pipeline(1, 'Catalog', 'success')], 0)).toBe('success');
    expect(trayState([], 0)).toBe('idle');
  });

  it('lists the pipelines and the waiting gates, each opening its build', () => {
    const catalog = pipeline(1, 'Catalog', 'waiting', 1);
    const shop = pipeline(2, 'Shop', 'failed');
    const summary = summarizeForTray([catalog, shop], [inboxItem(catalog, 'production')]);
    expect(summary.state).toBe('waiting');
    expect(summary.title).toBe('1');
    expect(summary.tooltip).toBe('Pipewatch — 1 gate waiting for approval · 1 pipeline failing');
    expect(summary.gates).toEqual([
      { label: 'Catalog #121 — production', route: '#/pipelines/1/builds/100' },
    ]);
    expect(summary.pipelines).toEqual([
      { label: 'Catalog — #121 waiting for approval', route: '#/pipelines/1/builds/100' },
      { label: 'Shop — #122 failed', route: '#/pipelines/2/builds/200' },
    ]);
  });

  it('draws the icon in the state’s colour', () => {
    const bitmap = trayIconBitmap(16, 'failed');
    const [red, green, blue] = TRAY_COLOURS.failed;
    // A pixel of the square away from the dots and the rounded corners, in BGRA.
    const offset = (3 * 16 + 8) * 4;
    expect([...bitmap.subarray(offset, offset + 4)]).toEqual([blue, green, red, 0xff]);
    expect(bitmap[3]).toBe(0); // the corner is transparent
  });
});

describe('start at login on Linux', () => {
  it('writes an XDG autostart entry that starts Pipewatch hidden', () => {
    expect(autostartFolder({}, '/home/ada')).toBe('/home/ada/.config/autostart');
    expect(autostartFolder({ XDG_CONFIG_HOME: '/cfg' }, '/home/ada')).toBe('/cfg/autostart');
    const entry = autostartEntry(['/opt/Pipe Watch/pipewatch', '--hidden']);
    expect(entry).toContain('Exec="/opt/Pipe Watch/pipewatch" --hidden\n');
    expect(entry).toContain('Type=Application\n');
  });
});

describe('polling around sleep', () => {
  const health: SourceHealth = {
    state: 'backing-off',
    message: 'GitHub rate limit',
    lastPollAt: '2024-05-01T10:00:00Z',
    lastSuccessAt: '2024-05-01T09:00:00Z',
    nextPollAt: '2024-05-01T10:30:00Z',
    backoffUntil: '2024-05-01T10:30:00Z',
    consecutiveFailures: 2,
  };
  const pending: SourceHealth = {
    state: 'pending',
    message: null,
    lastPollAt: null,
    lastSuccessAt: null,
    nextPollAt: '2024-05-01T10:20:01Z',
    backoffUntil: null,
    consecutiveFailures: 0,
  };

  it('polls at once on waking, unless a server said to wait longer', () => {
    expect(resumeDelayMs(undefined, Date.parse('2024-05-01T10:20:00Z'))).toBe(0);
    expect(resumeDelayMs(health, Date.parse('2024-05-01T10:20:00Z'))).toBe(10 * 60_000);
    expect(resumeDelayMs(health, Date.parse('2024-05-01T11:00:00Z'))).toBe(0);
  });

  it('keeps the last health on waking instead of showing the source as new', () => {
    expect(healthAfterWaking(health, pending)).toEqual({
      ...health,
      nextPollAt: '2024-05-01T10:20:01Z',
    });
    expect(healthAfterWaking(undefined, pending)).toEqual(pending);
  });
});
