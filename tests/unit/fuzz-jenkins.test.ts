import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  coreBuildsPageSchema,
  parseWire,
  pendingInputsSchema,
  wfapiRunsSchema,
  wfapiStageDetailSchema,
} from '../../src/main/sources/jenkins/jenkins-wire';
import { createJenkinsSource } from '../../src/main/sources/jenkins/jenkins-source';
import { jenkinsOptionsSchema } from '../../src/main/sources/jenkins/jenkins-options';
import {
  htmlToText,
  readProgressive,
  stripConsoleNotes,
} from '../../src/main/sources/jenkins/log-text';
import { mapBuild, runNumber } from '../../src/main/sources/jenkins/map-build';
import { inputSubmitForm, mapInputFields } from '../../src/main/sources/jenkins/map-gate';
import {
  JENKINS_STATUSES,
  mapNodeStatus,
  mapRunStatus,
} from '../../src/main/sources/jenkins/map-status';
import {
  asyncOutcomeOf,
  buildProblem,
  describeFailure,
  FUZZ_RUNS,
  outcomeOf,
  payloadFetch,
  snapshotProblem,
  temporaryStore,
} from '../support/fuzz-kit';
import { oneMutated } from '../support/json-mutation';
import { fixtureJson } from '../support/provider-fixtures';

/** Every field name Jenkins' wire schemas read (`jenkins-wire.ts`): where mutations are aimed. */
const JENKINS_FIELDS = new Set(
  (
    'id name status startTimeMillis endTimeMillis durationMillis pauseDurationMillis ' +
    'parameterDescription error message type _links self log href stages stageFlowNodes ' +
    'pendingInputActions proceedText inputs description definition defaultVal choices ' +
    'proceedUrl abortUrl submitter builds number result building timestamp duration actions ' +
    'causes shortDescription userId userName lastBuiltRevision SHA1 branch changeSets items ' +
    'commitId msg author fullName'
  ).split(' '),
);

const BASE_URL = 'http://127.0.0.1:9/jenkins/';
const JOB = 'Test Workflow';

/** The plugin's examples: runs 16 (waiting for input) and 15, stage details, the input. */
function payloads(): Record<string, unknown> {
  return {
    runs: fixtureJson('jenkins', 'wfapi-runs.json'),
    describe: fixtureJson('jenkins', 'wfapi-describe.json'),
    node: fixtureJson('jenkins', 'wfapi-node-describe-success.json'),
    failedNode: fixtureJson('jenkins', 'wfapi-node-describe-failed.json'),
    inputs: fixtureJson('jenkins', 'pending-input-actions.json'),
    core: {
      builds: [16, 15].map((number) => ({
        number,
        result: number === 16 ? null : 'SUCCESS',
        building: number === 16,
        timestamp: 1413459900000,
        actions: [{ causes: [{ shortDescription: 'Started by user ada', userName: 'ada' }] }],
      })),
    },
  };
}

const mutatedPayloads = oneMutated(payloads(), { focus: JENKINS_FIELDS });

describe('Jenkins payloads mutated from the plugin examples', () => {
  it('map to builds the model allows, or to a typed error', () => {
    fc.assert(
      fc.property(mutatedPayloads, ({ payloads: mutated }) => {
        const outcome = outcomeOf(() => {
          const runs = parseWire(wfapiRunsSchema, mutated.runs, 'runs');
          const node = parseWire(wfapiStageDetailSchema, mutated.node, 'node');
          const failedNode = parseWire(wfapiStageDetailSchema, mutated.failedNode, 'node');
          const inputs = parseWire(pendingInputsSchema, mutated.inputs, 'inputs');
          const core = parseWire(coreBuildsPageSchema, mutated.core, 'core').builds ?? [];
          return runs.flatMap((run) => {
            const number = runNumber(run);
            if (number === null) return [];
            return [
              mapBuild({
                baseUrl: BASE_URL,
                job: JOB,
                number,
                run,
                core: core.find((build) => build.number === number) ?? null,
                stageDetails: new Map([
                  [node.id, node],
                  [failedNode.id, failedNode],
                ]),
                pendingInputs: run.status === 'PAUSED_PENDING_INPUT' ? inputs : [],
                earlierGates: [],
                decisions: new Map(),
                identity: 'ada',
                now: Date.parse('2026-03-01T12:00:00Z'),
              }),
            ];
          });
        });
        if (outcome.kind === 'untyped-error') throw new Error(describeFailure(outcome.error));
        if (outcome.kind === 'typed-error') expect(outcome.error.kind).toBe('bad-response');
        else for (const build of outcome.value) expect(buildProblem(build)).toBeNull();
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('poll into a snapshot the store accepts, or fail the poll with a typed error', async () => {
    const scratch = temporaryStore();
    let withBuilds = 0;
    try {
      await fc.assert(
        fc.asyncProperty(mutatedPayloads, async ({ payloads: mutated }) => {
          const fetch = payloadFetch((url) => {
            const rest = url.pathname.replace('/jenkins/job/Test%20Workflow', '');
            if (rest === '/wfapi/runs') return mutated.runs;
            if (rest === '/api/json') return mutated.core;
            if (/^\/\d+\/wfapi\/describe$/.test(rest)) return mutated.describe;
            if (/^\/\d+\/execution\/node\/[^/]+\/wfapi\/describe$/.test(rest)) {
              return rest.includes('/node/10/') ? mutated.failedNode : mutated.node;
            }
            if (/^\/\d+\/wfapi\/pendingInputActions$/.test(rest)) return mutated.inputs;
            return undefined;
          });
          const source = createJenkinsSource({
            baseUrl: BASE_URL,
            options: jenkinsOptionsSchema.parse({ jobs: [JOB], user: 'ada' }),
            token: () => 'jenkins-fuzz-token',
            fetch,
          });
          const outcome = await asyncOutcomeOf(() =>
            source.poll({ signal: new AbortController().signal, knownFinishedBuilds: new Set() }),
          );
          if (outcome.kind === 'untyped-error') throw new Error(describeFailure(outcome.error));
          if (outcome.kind === 'value') {
            expect(snapshotProblem(outcome.value)).toBeNull();
            scratch.store.applySnapshot(scratch.sourceId, outcome.value, 'fuzz');
            if (outcome.value.builds.length > 0) withBuilds += 1;
          }
        }),
        { numRuns: FUZZ_RUNS },
      );
      // Most mutations leave something readable: a harness that only ever fails proves nothing.
      expect(withBuilds).toBeGreaterThan(FUZZ_RUNS / 10);
    } finally {
      scratch.close();
    }
  });

  it('a run names its build number as a whole number Jenkins could mean, or not at all', () => {
    // Up to 25 digits: past 2^53 a number no longer says which build it was.
    const digits = fc.bigInt({ min: 0n, max: 10n ** 25n }).map(String);
    fc.assert(
      fc.property(
        fc.record(
          {
            id: fc.oneof(digits, fc.string()),
            name: fc.oneof(
              digits.map((number) => `#${number}`),
              fc.string(),
            ),
            _links: fc.record({
              self: fc.record({
                href: fc.oneof(
                  digits.map((number) => `/jenkins/job/x/${number}/wfapi/describe`),
                  fc.string(),
                ),
              }),
            }),
          },
          { requiredKeys: [] },
        ),
        (run) => {
          const number = runNumber(run);
          if (number !== null) expect(Number.isSafeInteger(number)).toBe(true);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('Jenkins status words', () => {
  it('a status the stage view plugin does not send is unknown, for runs and nodes', () => {
    const unknownWord = fc
      .oneof(fc.string(), fc.constantFrom('success', 'NOT_BUILT', 'PAUSED', 'FAILURE', 'null'))
      .filter((word) => !(JENKINS_STATUSES as readonly string[]).includes(word));
    fc.assert(
      fc.property(unknownWord, fc.boolean(), (word, buildActive) => {
        expect(mapRunStatus(word)).toBe('unknown');
        expect(mapNodeStatus(word, buildActive)).toBe('unknown');
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

/** A console note as Jenkins hides it in its logs. */
const NOTE = '\u001b[8mha:AAAA\u001b[0m';

describe('Jenkins log text and input forms', () => {
  const entity = fc.oneof(
    fc.integer({ min: 0, max: 0x7fffffff }).map((code) => `&#${code};`),
    fc.integer({ min: 0, max: 0x7fffffff }).map((code) => `&#x${code.toString(16)};`),
    fc.constantFrom('&amp;', '&lt;', '&nbsp;', '&bogus;', '&#;', '&#xZZ;', '&#55296;'),
  );
  const html = fc
    .array(
      fc.oneof(
        fc.string(),
        entity,
        fc.constantFrom(
          '<br>',
          '<br/>',
          '<a href="x">',
          '</span>',
          '<',
          '\u001b[8mha:AAAA\u001b[0m',
        ),
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join(''));

  it('any HTML from wfapi turns into text, its console notes gone, without throwing', () => {
    fc.assert(
      fc.property(html, (text) => {
        const plain = htmlToText(text);
        expect(plain.includes(NOTE)).toBe(false);
        expect(stripConsoleNotes(text).includes(NOTE)).toBe(false);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('a progressive-text answer always says where to continue, never before where it started', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.record(
          {
            'x-text-size': fc.oneof(fc.stringMatching(/^[\x20-\x7e]{0,12}$/), fc.nat().map(String)),
            'x-more-data': fc.constantFrom('true', 'TRUE', 'false', ''),
          },
          { requiredKeys: [] },
        ),
        fc.nat(),
        (text, headers, start) => {
          const chunk = readProgressive(text, new Headers(headers), start);
          expect(Number.isInteger(chunk.next)).toBe(true);
          expect(chunk.next).toBeGreaterThanOrEqual(start);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('any input definition becomes form fields, and a submission is a form or a typed error', () => {
    const input = fc.record(
      {
        type: fc.oneof(
          fc.constantFrom(
            'StringParameterDefinition',
            'hudson.model.ChoiceParameterDefinition',
            'BooleanParameterDefinition',
            'PasswordParameterDefinition',
            'TextParameterDefinition',
          ),
          fc.string(),
        ),
        name: fc.string(),
        description: fc.option(fc.string()),
        definition: fc.option(
          fc.record(
            {
              defaultVal: fc.option(fc.oneof(fc.string(), fc.boolean(), fc.double())),
              choices: fc.option(fc.array(fc.string(), { maxLength: 4 })),
            },
            { requiredKeys: [] },
          ),
        ),
      },
      { requiredKeys: ['name'] },
    );
    fc.assert(
      fc.property(
        fc.array(input, { maxLength: 4 }),
        fc.dictionary(fc.string(), fc.string()),
        (inputs, values) => {
          const fields = mapInputFields(inputs);
          for (const field of fields) {
            expect(['text', 'multiline', 'select', 'boolean', 'password']).toContain(field.kind);
            if (field.kind === 'password') expect(field.defaultValue).toBeNull();
          }
          const outcome = outcomeOf(() =>
            inputSubmitForm({ id: 'input-1', inputs, proceedText: null }, values),
          );
          if (outcome.kind === 'untyped-error') throw new Error(describeFailure(outcome.error));
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('Jenkins regressions found by fuzzing', () => {
  const run15 = (overrides: Record<string, unknown>) => ({
    ...(fixtureJson<Array<Record<string, unknown>>>('jenkins', 'wfapi-runs.json')[1] ?? {}),
    ...overrides,
  });

  it('a start time past the year 275760 shows no time instead of failing the poll', () => {
    const [run] = parseWire(wfapiRunsSchema, [run15({ startTimeMillis: 1e308 })], 'runs');
    const build = mapBuild({
      baseUrl: BASE_URL,
      job: JOB,
      number: 15,
      run: run!,
      core: null,
      stageDetails: new Map(),
      pendingInputs: [],
      earlierGates: [],
      decisions: new Map(),
      identity: null,
      now: Date.parse('2026-03-01T12:00:00Z'),
    });
    expect(build.startedAt).toBeNull();
    expect(build.status).toBe('success');
  });

  it('a build id of twenty digits is no build number', () => {
    expect(runNumber({ id: '99999999999999999999' })).toBeNull();
    expect(runNumber({ id: '16' })).toBe(16);
  });

  it('a numeric entity beyond Unicode stays as written instead of throwing', () => {
    expect(htmlToText('a &#x110000; b &#65;')).toBe('a &#x110000; b A');
  });
});
