import { describe, expect, it } from 'vitest';
import {
  advanceHistory,
  nextLabel,
  numberFromLabel,
  type PipelineHistory,
} from '../../src/main/sources/cctray/build-history';
import { parseCctray } from '../../src/main/sources/cctray/cctray-parser';
import { toBuildSnapshot } from '../../src/main/sources/cctray/history-snapshot';
import { observePipelines } from '../../src/main/sources/cctray/map-cctray';
import type { BuildSnapshot } from '../../src/main/sources/source';
import type { Status } from '../../src/shared/status';
import { fixtureText } from '../support/provider-fixtures';

const SPEC_EXAMPLE = fixtureText('cctray', 'cctray.xml');

/** The spec example with one project's attributes changed, as a later poll would see it. */
function specExampleWith(project: string, changes: Record<string, string | null>): string {
  return SPEC_EXAMPLE.replace(new RegExp(`<Project\\s+name="${project}"[^>]*/>`), (element) => {
    let changed = element;
    for (const [attribute, value] of Object.entries(changes)) {
      changed =
        value === null
          ? changed.replace(new RegExp(`\\s+${attribute}="[^"]*"`), '')
          : changed.replace(new RegExp(`${attribute}="[^"]*"`), `${attribute}="${value}"`);
    }
    return changed;
  });
}

/** Polls a sequence of feeds through parse → observe → history, like the source does. */
function watch(groupGoCd = true) {
  const histories = new Map<string, PipelineHistory>();
  return {
    histories,
    poll(xml: string, at: string): Map<string, BuildSnapshot[]> {
      const reported = new Map<string, BuildSnapshot[]>();
      for (const observation of observePipelines(parseCctray(xml, 'test').projects, groupGoCd)) {
        const step = advanceHistory(histories.get(observation.externalId), observation, at);
        histories.set(observation.externalId, step.history);
        reported.set(
          observation.externalId,
          step.history.builds
            .filter((build) => step.touched.includes(build.externalId))
            .map((build) => toBuildSnapshot(observation, build)),
        );
      }
      return reported;
    },
    builds(xml: string, pipeline: string): BuildSnapshot[] {
      const observation = observePipelines(parseCctray(xml, 'test').projects, groupGoCd).find(
        (candidate) => candidate.externalId === pipeline,
      );
      if (!observation) throw new Error(`no pipeline ${pipeline}`);
      return (histories.get(pipeline)?.builds ?? []).map((build) =>
        toBuildSnapshot(observation, build),
      );
    },
  };
}

function summary(builds: readonly BuildSnapshot[] | undefined) {
  return (builds ?? []).map((build) => ({
    id: build.externalId,
    number: build.number,
    status: build.status,
  }));
}

function stageStatuses(build: BuildSnapshot | undefined): Record<string, Status> {
  return Object.fromEntries((build?.stages ?? []).map((stage) => [stage.name, stage.status]));
}

describe('the spec example as pipelines', () => {
  it('makes each project a one-stage pipeline whose last build comes from its label', () => {
    const watcher = watch();
    const reported = watcher.poll(SPEC_EXAMPLE, '2026-01-01T10:00:00.000Z');
    expect([...reported.keys()]).toEqual(['SvnTest', 'HelloWorld']);
    const svn = reported.get('SvnTest')?.[0];
    expect(svn).toMatchObject({
      externalId: '8',
      number: 8,
      // "Exception": the server could not build it; a person watching sees red.
      status: 'failed',
      finishedAt: '2005-09-28T09:30:34.636Z',
      webUrl: 'http://mrtickle/ccnet/',
    });
    expect(svn?.stages).toEqual([
      expect.objectContaining({ name: 'SvnTest', status: 'failed', needs: [], hasLog: false }),
    ]);
    expect(summary(reported.get('HelloWorld'))).toEqual([
      { id: '13', number: 13, status: 'success' },
    ]);
  });

  it('reports nothing new when the feed has not changed', () => {
    const watcher = watch();
    watcher.poll(SPEC_EXAMPLE, '2026-01-01T10:00:00.000Z');
    const again = watcher.poll(SPEC_EXAMPLE, '2026-01-01T10:01:00.000Z');
    expect(again.get('HelloWorld')).toEqual([]);
    expect(again.get('SvnTest')).toEqual([]);
  });
});

describe('builds inferred between polls', () => {
  it('shows a Building project as a new running build that later finishes under its label', () => {
    const watcher = watch();
    watcher.poll(SPEC_EXAMPLE, '2026-01-01T10:00:00.000Z');

    const building = watcher.poll(
      specExampleWith('HelloWorld', { activity: 'Building' }),
      '2026-01-01T10:01:00.000Z',
    );
    expect(summary(building.get('HelloWorld'))).toEqual([
      { id: '14', number: 14, status: 'running' },
    ]);
    expect(building.get('HelloWorld')?.[0]?.startedAt).toBe('2026-01-01T10:01:00.000Z');

    const finished = watcher.poll(
      specExampleWith('HelloWorld', {
        activity: 'Sleeping',
        lastBuildStatus: 'Failure',
        lastBuildLabel: '14',
        lastBuildTime: '2026-01-01T10:04:30Z',
      }),
      '2026-01-01T10:05:00.000Z',
    );
    const build14 = finished.get('HelloWorld')?.[0];
    expect(build14).toMatchObject({
      externalId: '14',
      status: 'failed',
      startedAt: '2026-01-01T10:01:00.000Z',
      finishedAt: '2026-01-01T10:04:30.000Z',
    });
    expect(summary(watcher.builds(SPEC_EXAMPLE, 'HelloWorld'))).toEqual([
      { id: '13', number: 13, status: 'success' },
      { id: '14', number: 14, status: 'failed' },
    ]);
  });

  it('keeps the running build when the label skips numbers, numbered by the real label', () => {
    const watcher = watch();
    watcher.poll(SPEC_EXAMPLE, '2026-01-01T10:00:00.000Z');
    watcher.poll(specExampleWith('HelloWorld', { activity: 'Building' }), '2026-01-01T10:01:00Z');
    const finished = watcher.poll(
      specExampleWith('HelloWorld', { lastBuildLabel: '17', lastBuildTime: '2026-01-01T10:03Z' }),
      '2026-01-01T10:05:00.000Z',
    );
    expect(summary(finished.get('HelloWorld'))).toEqual([
      { id: '14', number: 17, status: 'success' },
    ]);
    // The next poll shows label 17 again: it is the same build, not a new one.
    const again = watcher.poll(
      specExampleWith('HelloWorld', { lastBuildLabel: '17', lastBuildTime: '2026-01-01T10:03Z' }),
      '2026-01-01T10:06:00.000Z',
    );
    expect(again.get('HelloWorld')).toEqual([]);
  });

  it('ends a run as unknown when building stops and no new label says how it went', () => {
    const watcher = watch();
    watcher.poll(SPEC_EXAMPLE, '2026-01-01T10:00:00.000Z');
    watcher.poll(specExampleWith('HelloWorld', { activity: 'Building' }), '2026-01-01T10:01:00Z');
    const stopped = watcher.poll(SPEC_EXAMPLE, '2026-01-01T10:02:00.000Z');
    const build14 = stopped.get('HelloWorld')?.[0];
    expect(build14).toMatchObject({ externalId: '14', status: 'unknown' });
    expect(build14?.stages[0]?.finishedAt).toBe('2026-01-01T10:02:00.000Z');
  });

  it('accumulates history although the feed shows only the last build', () => {
    const watcher = watch();
    for (const [index, label] of ['13', '14', '15', '16'].entries()) {
      watcher.poll(
        specExampleWith('HelloWorld', {
          lastBuildLabel: label,
          lastBuildStatus: index % 2 === 0 ? 'Success' : 'Failure',
          lastBuildTime: `2026-01-0${index + 1}T10:00:00Z`,
        }),
        `2026-01-0${index + 1}T10:00:30.000Z`,
      );
    }
    expect(summary(watcher.builds(SPEC_EXAMPLE, 'HelloWorld'))).toEqual([
      { id: '13', number: 13, status: 'success' },
      { id: '14', number: 14, status: 'failed' },
      { id: '15', number: 15, status: 'success' },
      { id: '16', number: 16, status: 'failed' },
    ]);
  });

  it('keys a build by its time when the feed gives no label, numbering builds in order', () => {
    const watcher = watch();
    const first = watcher.poll(
      specExampleWith('SvnTest', { lastBuildLabel: null }),
      '2026-01-01T10:00:00Z',
    );
    expect(summary(first.get('SvnTest'))).toEqual([
      { id: '2005-09-28T10:30:34.6362160+01:00', number: 1, status: 'failed' },
    ]);
    const second = watcher.poll(
      specExampleWith('SvnTest', {
        lastBuildLabel: null,
        lastBuildTime: '2005-09-29T08:00:00+01:00',
        lastBuildStatus: 'Success',
      }),
      '2026-01-01T10:01:00Z',
    );
    expect(summary(second.get('SvnTest'))).toEqual([
      { id: '2005-09-29T08:00:00+01:00', number: 2, status: 'success' },
    ]);
  });

  it('reads numbers from labels only where a count is plain to see', () => {
    expect(numberFromLabel('13')).toBe(13);
    expect(numberFromLabel('build.45')).toBe(45);
    expect(numberFromLabel('1.2.45')).toBe(45);
    expect(numberFromLabel('abc123f')).toBeNull();
    expect(nextLabel('0099')).toBe('0100');
    expect(nextLabel('build.45')).toBe('build.46');
    expect(nextLabel('release')).toBeNull();
  });
});

/** A GoCD feed: stage entries "pipeline :: stage" and job entries "pipeline :: stage :: job". */
function goCdFeed(
  entries: Array<[name: string, activity: string, status: string, label: string]>,
): string {
  const projects = entries.map(
    ([name, activity, status, label]) =>
      `<Project name="${name}" activity="${activity}" lastBuildStatus="${status}" ` +
      `lastBuildLabel="${label}" lastBuildTime="2026-01-01T09:00:00Z" ` +
      `webUrl="http://go.example.com/go/pipelines/${name.split(' :: ').join('/')}/${label}"/>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>\n<Projects>\n${projects.join('\n')}\n</Projects>`;
}

describe('GoCD feeds', () => {
  const settled = goCdFeed([
    ['catalog :: build', 'Sleeping', 'Success', '12'],
    ['catalog :: build :: compile', 'Sleeping', 'Success', '12'],
    ['catalog :: build :: unit-tests', 'Sleeping', 'Success', '12'],
    ['catalog :: performance-tests', 'Sleeping', 'Failure', '12'],
    ['catalog :: production', 'Sleeping', 'Success', '10'],
  ]);

  it('groups stages into one pipeline per GoCD pipeline, jobs as steps, later stages blocked', () => {
    const watcher = watch();
    const reported = watcher.poll(settled, '2026-01-01T10:00:00.000Z');
    expect([...reported.keys()]).toEqual(['catalog']);
    const build12 = reported.get('catalog')?.find((build) => build.externalId === '12');
    expect(stageStatuses(build12)).toEqual({
      build: 'success',
      'performance-tests': 'failed',
      production: 'blocked',
    });
    expect(build12?.status).toBe('failed');
    expect(build12?.stages.map((stage) => stage.needs)).toEqual([
      [],
      ['build'],
      ['performance-tests'],
    ]);
    expect(build12?.stages[0]?.steps.map((step) => [step.name, step.status])).toEqual([
      ['compile', 'success'],
      ['unit-tests', 'success'],
    ]);
    // Build 10 is known only by its production stage: nothing is claimed about the others.
    const build10 = reported.get('catalog')?.find((build) => build.externalId === '10');
    expect(stageStatuses(build10)).toEqual({ production: 'success' });
  });

  it('starts a new running build when the first stage builds, later stages queued', () => {
    const watcher = watch();
    watcher.poll(settled, '2026-01-01T10:00:00.000Z');
    const reported = watcher.poll(
      goCdFeed([
        ['catalog :: build', 'Building', 'Success', '12'],
        ['catalog :: build :: compile', 'Building', 'Success', '12'],
        ['catalog :: build :: unit-tests', 'Sleeping', 'Success', '12'],
        ['catalog :: performance-tests', 'Sleeping', 'Failure', '12'],
        ['catalog :: production', 'Sleeping', 'Success', '10'],
      ]),
      '2026-01-01T10:01:00.000Z',
    );
    const build13 = reported.get('catalog')?.[0];
    expect(build13?.externalId).toBe('13');
    expect(build13?.status).toBe('running');
    expect(stageStatuses(build13)).toEqual({
      build: 'running',
      'performance-tests': 'queued',
      production: 'queued',
    });
    expect(build13?.stages[0]?.steps.map((step) => [step.name, step.status])).toEqual([
      ['compile', 'running'],
      ['unit-tests', 'queued'],
    ]);
  });

  it('puts a later stage that starts building into the build whose previous stage passed', () => {
    const watcher = watch();
    watcher.poll(settled, '2026-01-01T10:00:00.000Z');
    const reported = watcher.poll(
      goCdFeed([
        ['catalog :: build', 'Sleeping', 'Success', '13'],
        ['catalog :: performance-tests', 'Building', 'Failure', '12'],
        ['catalog :: production', 'Sleeping', 'Success', '10'],
      ]),
      '2026-01-01T10:05:00.000Z',
    );
    const build13 = reported.get('catalog')?.find((build) => build.externalId === '13');
    expect(stageStatuses(build13)).toEqual({
      build: 'success',
      'performance-tests': 'running',
      production: 'queued',
    });
  });

  it('counts a re-run stage ("12 :: 2") as a new attempt of the same build', () => {
    const watcher = watch();
    watcher.poll(settled, '2026-01-01T10:00:00.000Z');
    const reported = watcher.poll(
      goCdFeed([
        ['catalog :: build', 'Sleeping', 'Success', '12'],
        ['catalog :: performance-tests', 'Sleeping', 'Success', '12 :: 2'],
        ['catalog :: production', 'Sleeping', 'Success', '10'],
      ]),
      '2026-01-01T10:10:00.000Z',
    );
    expect(summary(reported.get('catalog'))).toEqual([{ id: '12', number: 12, status: 'success' }]);
    expect(reported.get('catalog')?.[0]?.attempt).toBe(2);
  });

  it('keeps GoCD names as separate pipelines when grouping is off', () => {
    const watcher = watch(false);
    const reported = watcher.poll(settled, '2026-01-01T10:00:00.000Z');
    expect([...reported.keys()]).toContain('catalog :: build :: compile');
    expect(reported.size).toBe(5);
  });
});
