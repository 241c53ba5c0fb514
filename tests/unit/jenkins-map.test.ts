import { describe, expect, it } from 'vitest';
import {
  jenkinsOptionsSchema,
  type JenkinsOptions,
} from '../../src/main/sources/jenkins/jenkins-options';
import {
  pendingInputsSchema,
  wfapiNodeLogSchema,
  wfapiRunSchema,
  wfapiRunsSchema,
  wfapiStageDetailSchema,
  parseWire,
  type CoreBuild,
  type PendingInput,
  type WfapiRun,
  type WfapiStageDetail,
} from '../../src/main/sources/jenkins/jenkins-wire';
import { jobDisplayName, jobPath, webUrl } from '../../src/main/sources/jenkins/job-path';
import { htmlToText, readProgressive } from '../../src/main/sources/jenkins/log-text';
import {
  buildOrigin,
  CONSOLE_STAGE_ID,
  mapBuild,
  runNumber,
  type JenkinsBuildInput,
} from '../../src/main/sources/jenkins/map-build';
import { inputSubmitForm, mapInputFields } from '../../src/main/sources/jenkins/map-gate';
import {
  JENKINS_STATUSES,
  mapNodeStatus,
  mapRunStatus,
  statusWord,
} from '../../src/main/sources/jenkins/map-status';
import { SourceError, type GateSnapshot } from '../../src/main/sources/source';
import { fixtureJson } from '../support/provider-fixtures';

const BASE = 'https://ci.example.com/jenkins/';
const JOB = 'Test Workflow';

const runs = (): WfapiRun[] =>
  parseWire(wfapiRunsSchema, fixtureJson('jenkins', 'wfapi-runs.json'), 'runs');
const describeRun = (): WfapiRun =>
  parseWire(wfapiRunSchema, fixtureJson('jenkins', 'wfapi-describe.json'), 'describe');
const stageDetail = (file: string): WfapiStageDetail =>
  parseWire(wfapiStageDetailSchema, fixtureJson('jenkins', file), file);
const pendingInputs = (): PendingInput[] =>
  parseWire(pendingInputsSchema, fixtureJson('jenkins', 'pending-input-actions.json'), 'inputs');

function input(run: WfapiRun, overrides: Partial<JenkinsBuildInput> = {}): JenkinsBuildInput {
  return {
    baseUrl: BASE,
    job: JOB,
    number: runNumber(run) ?? 0,
    run,
    core: null,
    stageDetails: new Map(),
    pendingInputs: [],
    earlierGates: [],
    decisions: new Map(),
    identity: null,
    now: Date.parse('2014-10-16T12:10:00Z'),
    ...overrides,
  };
}

/** Run #15 of the fixture, turned into a build that failed its tests. */
function failedRun(): WfapiRun {
  const run = structuredClone(runs()[1]!);
  run.status = 'FAILED';
  run.stages![1]!.status = 'FAILED';
  run.stages![2]!.status = 'NOT_EXECUTED';
  return run;
}

/** The fixture's input, asking for the parameters the stage view plugin describes. */
function inputWithParameters(): PendingInput {
  return {
    ...pendingInputs()[0]!,
    proceedText: 'Deploy',
    inputs: [
      {
        type: 'ChoiceParameterDefinition',
        name: 'TARGET',
        description: 'Where to deploy',
        definition: { choices: ['staging', 'production'] },
      },
      { type: 'BooleanParameterDefinition', name: 'MIGRATE', definition: { defaultVal: true } },
      { type: 'StringParameterDefinition', name: 'TICKET', definition: { defaultVal: 'OPS-1' } },
      { type: 'TextParameterDefinition', name: 'NOTES', definition: { defaultVal: '' } },
      { type: 'PasswordParameterDefinition', name: 'PIN', definition: { defaultVal: 'secret' } },
      { type: 'FileParameterDefinition', name: 'BUNDLE' },
    ],
  };
}

describe('Jenkins statuses', () => {
  it('maps every stage view status into the one vocabulary', () => {
    const table = Object.fromEntries(JENKINS_STATUSES.map((raw) => [raw, mapRunStatus(raw)]));
    expect(table).toEqual({
      NOT_EXECUTED: 'queued',
      ABORTED: 'cancelled',
      SUCCESS: 'success',
      IN_PROGRESS: 'running',
      PAUSED_PENDING_INPUT: 'waiting',
      FAILED: 'failed',
      SKIPPED: 'skipped',
      UNSTABLE: 'failed',
    });
    expect(mapRunStatus('SOMETHING_NEW')).toBe('unknown');
    expect(mapRunStatus(null)).toBe('unknown');
  });

  it('shows an unstable build as failed, never as success, and keeps the word', () => {
    expect(mapRunStatus('UNSTABLE')).toBe('failed');
    expect(statusWord('UNSTABLE')).toBe('Unstable');
    expect(statusWord('FAILED')).toBeNull();
  });

  it('calls a stage that never ran blocked once the build is over, queued while it runs', () => {
    expect(mapNodeStatus('NOT_EXECUTED', false)).toBe('blocked');
    expect(mapNodeStatus('NOT_EXECUTED', true)).toBe('queued');
  });
});

describe('Jenkins builds from wfapi', () => {
  it('build 16 waits at Deploy for "Is the build okay?"', () => {
    const run = runs()[0]!;
    const build = mapBuild(
      input(run, {
        stageDetails: new Map([['5', stageDetail('wfapi-node-describe-success.json')]]),
        pendingInputs: pendingInputs(),
      }),
    );
    expect(build).toMatchObject({
      pipelineExternalId: JOB,
      externalId: '16',
      number: 16,
      status: 'waiting',
      startedAt: '2014-10-16T12:07:55.770Z',
      finishedAt: null,
      webUrl: 'https://ci.example.com/jenkins/job/Test%20Workflow/16/',
    });
    expect(
      build.stages.map((stage) => [stage.name, stage.status, stage.needs, stage.isGate]),
    ).toEqual([
      ['Build', 'success', [], false],
      ['Test', 'success', ['5'], false],
      ['Deploy', 'waiting', ['8'], true],
    ]);
    expect(build.stages[0]!.steps.map((step) => [step.name, step.status, step.hasLog])).toEqual([
      ['Git', 'success', true],
      ['Shell Script', 'success', true],
    ]);
    expect(build.gates).toEqual([
      expect.objectContaining({
        externalId: 'Ef95dd500ae6ed3b27b89fb852296d12',
        stageExternalId: '10',
        name: 'Is the build okay?',
        state: 'waiting',
        canDecide: null,
        approvers: [],
        waitingSince: '2014-10-16T12:08:05.992Z',
        fields: [],
      }),
    ]);
  });

  it('an unstable build 15 (tests failed, the build went on) is failed with the word "Unstable"', () => {
    const run = structuredClone(runs()[1]!);
    run.status = 'UNSTABLE';
    run.stages![1]!.status = 'UNSTABLE';
    const detail = structuredClone(stageDetail('wfapi-node-describe-success.json'));
    detail.stageFlowNodes![1]!.status = 'UNSTABLE';
    const build = mapBuild(input(run, { stageDetails: new Map([['8', detail]]) }));
    expect([build.status, build.statusDetail]).toEqual(['failed', 'Unstable']);
    expect(build.stages.map((stage) => [stage.name, stage.status, stage.statusDetail])).toEqual([
      ['Build', 'success', null],
      ['Test', 'failed', 'Unstable'],
      ['Deploy', 'success', null],
    ]);
    expect(build.stages[1]!.steps.map((step) => [step.status, step.statusDetail])).toEqual([
      ['success', null],
      ['failed', 'Unstable'],
    ]);
  });

  it('build 15 passed every stage and finished when wfapi says', () => {
    const build = mapBuild(input(runs()[1]!));
    expect(build.status).toBe('success');
    expect(build.finishedAt).toBe('2014-10-16T11:45:37.070Z');
    expect(build.stages.every((stage) => stage.status === 'success')).toBe(true);
    expect(build.stages[2]!.finishedAt).toBe('2014-10-16T11:45:37.070Z');
    expect(build.gates).toEqual([]);
  });

  it('reads the build number of an old timestamp id from its link, and of a new id directly', () => {
    expect(runNumber(describeRun())).toBe(16);
    expect(runNumber({ ...describeRun(), id: '42' })).toBe(42);
    expect(runNumber({ name: '#7' })).toBe(7);
    expect(runNumber({ name: 'release 1.2' })).toBeNull();
  });

  it('a build that failed its tests shows Test failed and Deploy blocked', () => {
    const build = mapBuild(
      input(failedRun(), {
        stageDetails: new Map([['8', stageDetail('wfapi-node-describe-failed.json')]]),
      }),
    );
    expect(build.status).toBe('failed');
    expect(build.stages.map((stage) => stage.status)).toEqual(['success', 'failed', 'blocked']);
    expect(build.stages[1]!.steps).toEqual([
      expect.objectContaining({ externalId: '9', name: 'Shell Script', status: 'failed' }),
    ]);
  });

  it('gives a build without stages one Console stage that holds the whole log', () => {
    const run = { ...runs()[1]!, stages: [] };
    const build = mapBuild(input(run));
    expect(build.stages).toEqual([
      expect.objectContaining({ externalId: CONSOLE_STAGE_ID, status: 'success', hasLog: true }),
    ]);
  });

  it('reports a gate seen waiting as approved once Jenkins moved past it', () => {
    const waiting = mapBuild(input(runs()[0]!, { pendingInputs: pendingInputs() })).gates[0]!;
    const run = structuredClone(runs()[0]!);
    run.status = 'IN_PROGRESS';
    run.stages![2]!.status = 'IN_PROGRESS';
    const later = mapBuild(input(run, { earlierGates: [waiting] }));
    expect(later.gates).toEqual([
      expect.objectContaining({
        externalId: waiting.externalId,
        state: 'approved',
        decidedBy: null,
      }),
    ]);
    const aborted = { ...run, status: 'ABORTED' };
    expect(mapBuild(input(aborted, { earlierGates: [waiting] })).gates[0]!.state).toBe('rejected');
    const decided = mapBuild(
      input(run, {
        earlierGates: [waiting],
        decisions: new Map([
          [
            waiting.externalId,
            { actor: 'Ada', at: '2014-10-16T12:09:00.000Z', decision: 'approve' },
          ],
        ]),
      }),
    );
    expect(decided.gates[0]).toMatchObject({ state: 'approved', decidedBy: 'Ada' });
  });

  it('shows an input decided before Pipewatch looked as a decided gate of its stage', () => {
    const detail = stageDetail('wfapi-node-describe-success.json');
    detail.stageFlowNodes![1]!.name = 'Wait for interactive input';
    const build = mapBuild(input(runs()[1]!, { stageDetails: new Map([['5', detail]]) }));
    expect(build.gates).toEqual([
      expect.objectContaining({
        externalId: 'input-node-7',
        stageExternalId: '5',
        state: 'approved',
      }),
    ]);
    expect(build.stages[0]!.isGate).toBe(true);
  });

  it('takes commit, branch, author and trigger from the core API row', () => {
    const core: CoreBuild = {
      number: 16,
      timestamp: 1413461275000,
      actions: [
        null,
        { causes: [{ shortDescription: 'Started by user Ada', userName: 'Ada' }] },
        { lastBuiltRevision: { SHA1: 'abc123', branch: [{ name: 'refs/remotes/origin/main' }] } },
      ],
      changeSets: [
        { items: [{ commitId: 'a1', msg: 'Older', author: { fullName: 'Bob' } }] },
        { items: [{ commitId: 'abc123', msg: 'Fix the catalog ', author: { fullName: 'Cy' } }] },
      ],
    };
    expect(buildOrigin(core)).toEqual({
      branch: 'main',
      commitSha: 'abc123',
      commitMessage: 'Fix the catalog',
      author: 'Cy',
      trigger: 'Started by user Ada',
    });
    expect(mapBuild(input(runs()[0]!, { core })).createdAt).toBe('2014-10-16T12:07:55.000Z');
  });

  it('names the endpoint and field of an answer it cannot read', () => {
    const error = (() => {
      try {
        parseWire(wfapiRunsSchema, [{ stages: 'many' }], 'the runs of shop');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).kind).toBe('bad-response');
    expect((error as Error).message).toContain('the runs of shop: 0.stages');
  });
});

describe('Jenkins inputs as gates', () => {
  it('offers each input parameter as a form field of the matching kind', () => {
    const fields = mapInputFields(inputWithParameters().inputs ?? []);
    expect(fields.map((field) => [field.name, field.kind, field.defaultValue])).toEqual([
      ['TARGET', 'select', 'staging'],
      ['MIGRATE', 'boolean', 'true'],
      ['TICKET', 'text', 'OPS-1'],
      ['NOTES', 'multiline', ''],
      ['PIN', 'password', null],
      ['BUNDLE', 'text', null],
    ]);
    expect(fields[0]).toMatchObject({
      options: ['staging', 'production'],
      hint: 'Where to deploy',
    });
    expect(fields[5]!.hint).toContain('FileParameterDefinition');
  });

  it('submits the parameters as the input page does, defaults filling the gaps', () => {
    const body = inputSubmitForm(inputWithParameters(), {
      TARGET: 'production',
      MIGRATE: 'false',
      PIN: '1234',
    });
    const form = new URLSearchParams(body);
    expect(JSON.parse(form.get('json')!)).toEqual({
      parameter: [
        { name: 'TARGET', value: 'production' },
        { name: 'MIGRATE', value: false },
        { name: 'TICKET', value: 'OPS-1' },
        { name: 'NOTES', value: '' },
        { name: 'PIN', value: '1234' },
        { name: 'BUNDLE', value: '' },
      ],
    });
    expect(form.get('proceed')).toBe('Deploy');
  });

  it('refuses a value that is not one of the choices instead of sending it', () => {
    expect(() => inputSubmitForm(inputWithParameters(), { TARGET: 'moon' })).toThrow(
      /not one of the choices for TARGET/,
    );
  });

  it('names the approvers and knows the token user may decide when the server lists them', () => {
    const restricted = { ...pendingInputs()[0]!, submitter: 'ada, release-managers' };
    const gate: GateSnapshot = mapBuild(
      input(runs()[0]!, { pendingInputs: [restricted], identity: 'ada' }),
    ).gates[0]!;
    expect(gate).toMatchObject({ approvers: ['ada', 'release-managers'], canDecide: true });
    expect(gate.detail).toContain('Only ada, release-managers may decide');
  });
});

describe('Jenkins logs and names', () => {
  it('turns wfapi node log HTML into the plain text it stands for', () => {
    const log = parseWire(wfapiNodeLogSchema, fixtureJson('jenkins', 'wfapi-node-log.json'), 'log');
    expect(htmlToText(log.text ?? '')).toContain(' > git rev-parse --is-inside-work-tree\n');
    expect(
      htmlToText(
        '<span class="x">a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;</span><br>\u001b[8mha:AAA\u001b[0mnext',
      ),
    ).toBe('a <b> & "c" \'d\'\nnext');
  });

  it('continues a progressive log at X-Text-Size and knows when it stops growing', () => {
    const running = readProgressive(
      'line\n',
      new Headers({ 'X-Text-Size': '105', 'X-More-Data': 'true' }),
      100,
    );
    expect(running).toEqual({ text: 'line\n', next: 105, more: true });
    expect(readProgressive('end\n', new Headers(), 10)).toEqual({
      text: 'end\n',
      next: 14,
      more: false,
    });
  });

  it('addresses jobs in folders and multibranch projects the way Jenkins links them', () => {
    expect(jobPath('Test Workflow')).toBe('job/Test%20Workflow');
    expect(jobPath('team/shop/feature%2Flogin')).toBe('job/team/job/shop/job/feature%252Flogin');
    expect(jobDisplayName('team/shop/feature%2Flogin')).toBe('team » shop » feature/login');
    expect(webUrl(BASE, jobPath('team/api'))).toBe(
      'https://ci.example.com/jenkins/job/team/job/api/',
    );
  });
});

describe('Jenkins options', () => {
  const parse = (options: unknown) => jenkinsOptionsSchema.safeParse(options);

  it('fills defaults around the jobs to watch', () => {
    const parsed = parse({ jobs: ['team/api'], user: 'ada' });
    expect(parsed.success && parsed.data).toEqual<JenkinsOptions>({
      jobs: ['team/api'],
      user: 'ada',
      auth: 'token',
      historyBuilds: 50,
      historyBuildsPerPoll: 5,
    });
  });

  it('names the bad field: a URL path for a job, an empty part, a typo', () => {
    const issues = (options: unknown) =>
      parse(options).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(issues({ jobs: ['job/team/job/api'] })?.[0]).toMatch(
      /^jobs\.0: write the job's full name/,
    );
    expect(issues({ jobs: ['team//api'] })?.[0]).toMatch(/^jobs\.0: a job name has an empty part/);
    expect(issues({ jobs: ['a'], auht: 'password' })?.[0]).toMatch(/auht/);
    expect(issues({ jobs: [] })?.[0]).toMatch(/^jobs:/);
    expect(issues({ jobs: ['a', 'a'] })?.[0]).toBe('jobs: a job is listed twice');
  });
});
