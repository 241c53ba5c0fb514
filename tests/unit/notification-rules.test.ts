import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_MEMORY,
  planNotifications,
  seedMemory,
  type NotificationMemory,
  type NotificationPreferences,
  type Observation,
  type ObservedBuild,
  type ObservedGate,
} from '../../src/main/notifications/notification-rules';
import type { Status } from '../../src/shared/status';

const CATALOG = 1;
const INVENTORY = 2;

function build(number: number, status: Status, overrides: Partial<ObservedBuild> = {}) {
  return {
    buildId: 1000 + number,
    pipelineId: CATALOG,
    pipelineName: 'Catalog',
    number,
    author: 'ana',
    status,
    failedStage: status === 'failed' ? 'performance-tests' : null,
    ...overrides,
  } satisfies ObservedBuild;
}

function gate(gateId: number, buildNumber: number, state: ObservedGate['state'] = 'waiting') {
  return {
    gateId,
    state,
    buildId: 1000 + buildNumber,
    pipelineId: CATALOG,
    pipelineName: 'Catalog',
    buildNumber,
    gateName: 'Deploy to production',
    environment: 'production',
    author: 'ana',
    commitSha: 'a1b2c3d4e5f6',
  } satisfies ObservedGate;
}

/** Memory after Catalog was seen green at build 120 with no gate waiting. */
const catalogGreen = seedMemory(
  [{ pipelineId: CATALOG, latestFinished: { number: 120, status: 'success' } }],
  [],
);

/** Runs polls one after another, collecting every notification. */
function runPolls(
  start: NotificationMemory,
  polls: Observation[],
  preferences?: NotificationPreferences,
) {
  let memory = start;
  const shown = [];
  for (const poll of polls) {
    const plan = planNotifications(memory, poll, preferences);
    memory = plan.memory;
    shown.push(...plan.notifications);
  }
  return { shown, memory };
}

describe('notifications on state changes only', () => {
  it('says once that Catalog turned red when build 121 fails performance tests', () => {
    const { shown } = runPolls(catalogGreen, [
      { builds: [build(121, 'running')], gates: [] },
      { builds: [build(121, 'failed')], gates: [] },
      { builds: [build(121, 'failed')], gates: [] },
      { builds: [], gates: [] },
    ]);
    expect(shown).toEqual([
      {
        kind: 'pipeline-failed',
        title: 'Catalog is red',
        body: 'Build 121 failed at performance-tests (ana).',
        pipelineId: CATALOG,
        buildId: 1121,
        gateId: null,
        tag: 'pipeline-1-health',
      },
    ]);
  });

  it('says an unstable build is unstable rather than failed, and still turns the pipeline red', () => {
    const { shown } = runPolls(catalogGreen, [
      { builds: [{ ...build(121, 'failed'), statusDetail: 'Unstable' }], gates: [] },
    ]);
    expect(shown.map((notification) => [notification.title, notification.body])).toEqual([
      ['Catalog is red', 'Build 121 is unstable at performance-tests (ana).'],
    ]);
  });

  it('stays quiet while the pipeline keeps failing, and says it recovered once', () => {
    const { shown } = runPolls(catalogGreen, [
      { builds: [build(121, 'failed')], gates: [] },
      { builds: [build(122, 'failed')], gates: [] },
      { builds: [build(123, 'success')], gates: [] },
      { builds: [build(124, 'success')], gates: [] },
    ]);
    expect(shown.map((notification) => [notification.kind, notification.body])).toEqual([
      ['pipeline-failed', 'Build 121 failed at performance-tests (ana).'],
      ['pipeline-recovered', 'Build 123 passed.'],
    ]);
  });

  it('never says "recovered" for a pipeline that was not red', () => {
    const { shown } = runPolls(catalogGreen, [
      { builds: [build(121, 'success')], gates: [] },
      { builds: [build(122, 'cancelled')], gates: [] },
      { builds: [build(123, 'success')], gates: [] },
    ]);
    expect(shown).toEqual([]);
  });

  it('ignores an older build finishing after a newer one (a re-run of build 119)', () => {
    const { shown, memory } = runPolls(catalogGreen, [
      { builds: [build(119, 'failed', { buildId: 5119 })], gates: [] },
    ]);
    expect(shown).toEqual([]);
    expect(memory.pipelines.get(CATALOG)).toEqual({ health: 'green', buildNumber: 120 });
  });

  it('judges a poll with several finished builds by the newest one', () => {
    const { shown } = runPolls(catalogGreen, [
      { builds: [build(122, 'success'), build(121, 'failed')], gates: [] },
    ]);
    expect(shown).toEqual([]);
  });

  it('announces a gate when it starts waiting, once, and again after a re-run waits anew', () => {
    const { shown } = runPolls(catalogGreen, [
      { builds: [], gates: [gate(7, 122)] },
      { builds: [], gates: [gate(7, 122)] },
      { builds: [], gates: [gate(7, 122, 'rejected')] },
      { builds: [], gates: [gate(7, 122)] },
    ]);
    expect(shown.map((notification) => notification.kind)).toEqual([
      'gate-waiting',
      'gate-waiting',
    ]);
    expect(shown[0]).toMatchObject({
      title: 'Catalog build 122 is waiting for you',
      body: 'Approve or reject: deploy to production (a1b2c3d).',
      gateId: 7,
      buildId: 1122,
      tag: 'gate-7',
    });
  });

  it('forgets gates that vanished, so a new gate reusing the id is announced', () => {
    const { shown } = runPolls(catalogGreen, [
      { builds: [], gates: [gate(7, 122)] },
      { builds: [], gates: [], goneGateIds: [7] },
      { builds: [], gates: [gate(7, 125)] },
    ]);
    expect(shown.map((notification) => notification.body)).toHaveLength(2);
  });

  it('sets a baseline silently the first time a pipeline is seen', () => {
    const { shown, memory } = runPolls(EMPTY_MEMORY, [
      { builds: [build(120, 'failed'), build(121, 'failed')], gates: [gate(7, 122)] },
    ]);
    expect(shown).toEqual([]);
    expect(memory.pipelines.get(CATALOG)?.health).toBe('red');
    // ...and reports the changes after it.
    const next = planNotifications(memory, {
      builds: [build(123, 'success')],
      gates: [gate(8, 124)],
    });
    expect(next.notifications.map((notification) => notification.kind)).toEqual([
      'pipeline-recovered',
      'gate-waiting',
    ]);
  });

  it('does not re-announce gates that were already waiting when Pipewatch started', () => {
    const seeded = seedMemory(
      [{ pipelineId: CATALOG, latestFinished: { number: 121, status: 'failed' } }],
      [7],
    );
    expect(planNotifications(seeded, { builds: [], gates: [gate(7, 122)] }).notifications).toEqual(
      [],
    );
  });

  it('tells a first failure of a known pipeline that never finished a build before', () => {
    const seeded = seedMemory([{ pipelineId: CATALOG, latestFinished: null }], []);
    const plan = planNotifications(seeded, { builds: [build(1, 'failed')], gates: [] });
    expect(plan.notifications.map((notification) => notification.kind)).toEqual([
      'pipeline-failed',
    ]);
  });
});

describe('notification preferences', () => {
  const inventory = (number: number, status: Status) =>
    build(number, status, { pipelineId: INVENTORY, pipelineName: 'Inventory' });
  const bothGreen = seedMemory(
    [
      { pipelineId: CATALOG, latestFinished: { number: 120, status: 'success' } },
      { pipelineId: INVENTORY, latestFinished: { number: 40, status: 'success' } },
    ],
    [],
  );

  it('keeps a muted pipeline silent but still follows its state', () => {
    const muted = { mutedPipelineIds: [CATALOG], onlyAuthors: [] };
    const { shown, memory } = runPolls(
      bothGreen,
      [
        { builds: [build(121, 'failed'), inventory(41, 'failed')], gates: [gate(7, 122)] },
        { builds: [build(123, 'success')], gates: [] },
      ],
      muted,
    );
    expect(shown.map((notification) => notification.title)).toEqual(['Inventory is red']);
    // Unmuting later does not replay what happened while muted.
    expect(memory.pipelines.get(CATALOG)?.health).toBe('green');
    expect(memory.announcedGates.has(7)).toBe(true);
  });

  it('"only my builds" keeps other people\'s failures and gates quiet', () => {
    const mine = { mutedPipelineIds: [], onlyAuthors: ['Ana '] };
    const { shown } = runPolls(
      bothGreen,
      [
        {
          builds: [build(121, 'failed', { author: 'bob' }), inventory(41, 'failed')],
          gates: [{ ...gate(7, 122), author: 'bob' }, gate(8, 123)],
        },
      ],
      mine,
    );
    expect(shown.map((notification) => notification.title)).toEqual([
      'Inventory is red',
      'Catalog build 123 is waiting for you',
    ]);
  });
});

describe('the rules as a property', () => {
  const statuses: Status[] = ['success', 'failed', 'running', 'cancelled', 'waiting'];

  it('repeating any poll verbatim never notifies again', () => {
    const poll = fc.record({
      builds: fc.array(
        fc.record({
          number: fc.integer({ min: 118, max: 130 }),
          status: fc.constantFrom(...statuses),
          pipelineId: fc.constantFrom(CATALOG, INVENTORY),
        }),
        { maxLength: 4 },
      ),
      gates: fc.array(
        fc.record({
          gateId: fc.integer({ min: 1, max: 6 }),
          state: fc.constantFrom('waiting', 'approved', 'rejected', 'expired' as const),
        }),
        { maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(fc.array(poll, { minLength: 1, maxLength: 8 }), (polls) => {
        let memory: NotificationMemory = catalogGreen;
        for (const raw of polls) {
          const observation: Observation = {
            builds: raw.builds.map((entry) =>
              build(entry.number, entry.status, { pipelineId: entry.pipelineId }),
            ),
            gates: raw.gates.map((entry) => gate(entry.gateId, 122, entry.state)),
          };
          memory = planNotifications(memory, observation).memory;
          const again = planNotifications(memory, observation);
          expect(again.notifications).toEqual([]);
          memory = again.memory;
        }
      }),
    );
  });
});
