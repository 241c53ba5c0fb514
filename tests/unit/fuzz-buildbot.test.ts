import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildbotOptionsSchema } from '../../src/main/sources/buildbot/buildbot-options';
import { createBuildbotSource } from '../../src/main/sources/buildbot/buildbot-source';
import type { BuildbotStep } from '../../src/main/sources/buildbot/buildbot-wire';
import { serveBuildbot } from '../support/buildbot-fake-master';
import { RECORDED_AT, recordedMaster, type RecordedMaster } from '../support/buildbot-recordings';
import {
  asyncOutcomeOf,
  describeFailure,
  FUZZ_RUNS,
  inMemoryProvider,
  snapshotProblem,
  temporaryStore,
} from '../support/fuzz-kit';
import { oneMutated } from '../support/json-mutation';

/**
 * Buildbot fuzzed at its adapter's edge: the fake master answers from a master recorded off a
 * real Buildbot 3.7 (tests/fixtures/buildbot-recorded) with one of its collections mutated —
 * builders, buildsets, build requests, builds or steps — and a poll must answer a snapshot the
 * store accepts, or a typed SourceError.
 */

const BUILDBOT_FIELDS = new Set(
  (
    'builderid name masterids tags bsid external_idstring reason submitted_at complete ' +
    'complete_at results parent_buildid parent_relationship sourcestamps revision branch ' +
    'author comments buildrequestid buildsetid claimed claimed_at priority waited_for buildid ' +
    'number workerid started_at state_string properties stepid hidden urls logs'
  ).split(' '),
);

const BUILDBOT_RUNS = Math.ceil(FUZZ_RUNS / 2);

const OPTIONS = buildbotOptionsSchema.parse({
  pipelines: [
    {
      name: 'catalog',
      rootBuilder: 'compile',
      gates: [{ builder: 'production', after: 'slow-tests' }],
    },
  ],
});

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A mutated collection as the fake master can serve it: a list of objects. */
function objects<T>(value: unknown): T[] {
  return (Array.isArray(value) ? value : []).filter(isObject) as T[];
}

const recorded = recordedMaster('poll-gate-waiting.json');
const payloads = {
  builders: recorded.builders,
  buildsets: recorded.buildsets,
  requests: recorded.requests,
  builds: recorded.builds,
  steps: Object.fromEntries(recorded.steps),
};

function masterOf(mutated: typeof payloads): RecordedMaster {
  const steps = isObject(mutated.steps) ? mutated.steps : {};
  return {
    builders: objects(mutated.builders),
    buildsets: objects(mutated.buildsets),
    requests: objects(mutated.requests),
    builds: objects(mutated.builds),
    steps: new Map(
      Object.entries(steps).map(([id, list]) => [Number(id), objects<BuildbotStep>(list)]),
    ),
  };
}

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('a Buildbot master recorded, then mutated', () => {
  it('polls into a snapshot the store accepts, or fails the poll with a typed error', async () => {
    const scratch = temporaryStore();
    let withBuilds = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          oneMutated(payloads, { focus: BUILDBOT_FIELDS }),
          async ({ payloads: mutated }) => {
            const server = inMemoryProvider();
            const stateDirectory = mkdtempSync(join(tmpdir(), 'pipewatch-fuzz-buildbot-'));
            folders.push(stateDirectory);
            try {
              serveBuildbot(server, masterOf(mutated));
              const source = createBuildbotSource({
                options: OPTIONS,
                baseUrl: `${server.url}/`,
                token: () => null,
                stateDirectory,
                now: () => RECORDED_AT,
                timeoutMs: 3000,
                fetch: server.fetch,
              });
              const outcome = await asyncOutcomeOf(() =>
                source.poll({
                  signal: new AbortController().signal,
                  knownFinishedBuilds: new Set(),
                }),
              );
              if (outcome.kind === 'untyped-error') throw new Error(describeFailure(outcome.error));
              if (outcome.kind === 'value') {
                expect(snapshotProblem(outcome.value)).toBeNull();
                scratch.store.applySnapshot(scratch.sourceId, outcome.value, 'fuzz');
                if (outcome.value.builds.length > 0) withBuilds += 1;
              }
            } finally {
              await server.close();
            }
          },
        ),
        // A Buildbot poll walks a chain of builds in ~20 requests (some 100 ms here): half the
        // usual runs keep this file as quick as the others.
        { numRuns: BUILDBOT_RUNS },
      );
      // Most mutations leave something readable: a harness that only ever fails proves nothing.
      expect(withBuilds).toBeGreaterThan(BUILDBOT_RUNS / 10);
    } finally {
      scratch.close();
    }
  }, 120_000);
});

describe('Buildbot regressions found by fuzzing', () => {
  it('a step that started past the year 275760 shows no time instead of failing the poll', async () => {
    const master = recordedMaster('poll-gate-waiting.json');
    for (const steps of master.steps.values()) {
      for (const step of steps) step.started_at = 1e308;
    }
    const server = inMemoryProvider();
    serveBuildbot(server, master);
    const stateDirectory = mkdtempSync(join(tmpdir(), 'pipewatch-fuzz-buildbot-'));
    folders.push(stateDirectory);
    const snapshot = await createBuildbotSource({
      options: OPTIONS,
      baseUrl: `${server.url}/`,
      token: () => null,
      stateDirectory,
      now: () => RECORDED_AT,
      fetch: server.fetch,
    }).poll({ signal: new AbortController().signal, knownFinishedBuilds: new Set() });
    const steps = snapshot.builds.flatMap((build) => build.stages.flatMap((stage) => stage.steps));
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((step) => step.startedAt === null)).toBe(true);
  });
});
