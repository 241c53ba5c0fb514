import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { webRootOf } from '../../src/main/sources/buildbot/buildbot-client';
import { forcedBuildsetId } from '../../src/main/sources/buildbot/buildbot-gates';
import { buildbotOptionsSchema } from '../../src/main/sources/buildbot/buildbot-options';
import { sessionClaims, sessionCookie } from '../../src/main/sources/buildbot/buildbot-session';
import {
  buildbotStateFile,
  readBuildbotState,
  writeBuildbotState,
  type GateDecisionRecord,
} from '../../src/main/sources/buildbot/buildbot-state';
import {
  forceSchedulerSchema,
  parseCollection,
  type ForceField,
} from '../../src/main/sources/buildbot/buildbot-wire';
import { mergeLearnedEdges } from '../../src/main/sources/buildbot/chain-template';
import {
  forceParameters,
  forcedBy,
  gateFieldsOf,
  gateReason,
  parseGateMarker,
} from '../../src/main/sources/buildbot/map-gate';
import { formatIssuePath } from '../../src/shared/config';
import { SourceError } from '../../src/main/sources/source';
import { recordedMaster, recording } from '../support/buildbot-recordings';
import { fixtureJson } from '../support/provider-fixtures';
import { checkIns } from './buildbot-check-ins';

const stagesOf = (build: { stages: { name: string; status: string }[] } | undefined): string[] =>
  build?.stages.map((stage) => `${stage.name}:${stage.status}`) ?? [];

function recordedBody(file: string, url: RegExp): unknown {
  const exchange = recording(file).find((item) => url.test(item.url));
  if (!exchange) throw new Error(`${file} has no ${url}`);
  return exchange.body;
}

const decision = (overrides: Partial<GateDecisionRecord>): GateDecisionRecord => ({
  pipeline: 'catalog',
  checkIn: 1,
  gate: 'production',
  decision: 'reject',
  actor: 'release-manager',
  at: Date.parse('2026-11-30T01:00:00Z'),
  comment: 'not today',
  buildsetId: null,
  ...overrides,
});

describe('the production gate of a Buildbot check-in', () => {
  it('is approved once production was forced for the check-in, and shows production ran', async () => {
    const build = (
      await checkIns(recordedMaster('poll-gate-waiting.json', 'poll-approved.json'))
    ).get('1');
    expect(stagesOf(build)).toEqual([
      'compile:success',
      'fast-tests:success',
      'slow-tests:success',
      'production:success',
    ]);
    expect(build?.status).toBe('success');
    expect(build?.gates).toMatchObject([
      { state: 'approved', decidedBy: 'release-manager', decidedAt: '2026-11-30T00:47:20.000Z' },
    ]);
    expect(build?.finishedAt).toBe('2026-11-30T00:47:21.000Z');
  });

  it('links a forced build by the buildset Pipewatch remembers when its reason lost the marker', async () => {
    const master = recordedMaster('poll-gate-waiting.json', 'poll-approved.json');
    const forced = master.buildsets.find((set) => set.bsid === 6);
    if (!forced) throw new Error('no forced buildset');
    forced.reason = "A build was forced by 'release-manager': force build";
    expect((await checkIns(master)).get('1')?.gates[0]?.state).toBe('waiting');
    const remembered = decision({ decision: 'approve', buildsetId: 6, comment: 'ship it' });
    const build = (await checkIns(master, { decisions: [remembered] })).get('1');
    expect(build?.gates).toMatchObject([{ state: 'approved', comment: 'ship it' }]);
    expect(build?.stages[3]?.status).toBe('success');
  });

  it('does not count a production build forced for another check-in', async () => {
    const master = recordedMaster('poll-gate-waiting.json', 'poll-approved.json');
    const forced = master.buildsets.find((set) => set.bsid === 6);
    if (!forced) throw new Error('no forced buildset');
    forced.reason = gateReason('catalog', 2, 2, 'production');
    const builds = await checkIns(master);
    expect(builds.get('1')?.gates[0]?.state).toBe('waiting');
    expect(stagesOf(builds.get('2'))).toContain('production:blocked');
  });

  it('stays rejected as Pipewatch remembers it: the stage cancelled, production never forced', async () => {
    const build = (
      await checkIns(recordedMaster('poll-gate-waiting.json'), { decisions: [decision({})] })
    ).get('1');
    expect(build?.status).toBe('cancelled');
    expect(build?.stages[3]).toMatchObject({
      name: 'production',
      status: 'cancelled',
      isGate: true,
    });
    expect(build?.gates).toMatchObject([
      { state: 'rejected', decidedBy: 'release-manager', comment: 'not today' },
    ]);
    expect(build?.gates[0]?.detail).toMatch(/Buildbot has no rejection/);
    expect(build?.finishedAt).toBe('2026-11-30T01:00:00.000Z');
  });

  it('asks for the ForceScheduler parameters of its own, not for the candidate source stamp', () => {
    const [recorded] = parseCollection(
      '/builders/3/forceschedulers',
      'forceschedulers',
      forceSchedulerSchema,
      recordedBody('poll-gate-waiting.json', /forceschedulers$/),
    );
    if (!recorded) throw new Error('no force scheduler recorded');
    expect(gateFieldsOf(recorded)).toEqual([]);
    const group = recorded.all_fields?.[0] as ForceField;
    const text = group.fields?.[1] as ForceField;
    const extra: ForceField = {
      ...group,
      fields: [
        { ...text, name: 'ticket', fullName: 'ticket', label: 'Change ticket:', default: '' },
        {
          ...text,
          name: 'notify',
          fullName: 'notify',
          type: 'bool',
          label: 'Notify',
          default: true,
        },
        {
          ...text,
          name: 'region',
          fullName: 'region',
          type: 'list',
          label: 'Region',
          default: 'eu',
          choices: ['eu', 'us'],
          required: true,
        },
      ],
    };
    const fields = gateFieldsOf({
      ...recorded,
      all_fields: [...(recorded.all_fields ?? []), extra],
    });
    expect(fields).toEqual([
      {
        name: 'ticket',
        label: 'Change ticket',
        kind: 'text',
        required: false,
        options: [],
        defaultValue: null,
        hint: null,
      },
      {
        name: 'notify',
        label: 'Notify',
        kind: 'boolean',
        required: false,
        options: [],
        defaultValue: 'true',
        hint: null,
      },
      {
        name: 'region',
        label: 'Region',
        kind: 'select',
        required: true,
        options: ['eu', 'us'],
        defaultValue: 'eu',
        hint: null,
      },
    ]);
    expect(
      forceParameters({
        builderId: 3,
        reason: gateReason('catalog', 1, 1, 'production'),
        candidateProperties: { revision: 'c0ffee1', branch: 'main', repository: '', region: 'us' },
        fields,
        values: { ticket: 'CHG-7', notify: 'false' },
      }),
    ).toEqual({
      builderid: 3,
      reason: '[pipewatch catalog 1] approved catalog #1 for production',
      revision: 'c0ffee1',
      branch: 'main',
      ticket: 'CHG-7',
      notify: false,
      region: 'us',
    });
  });

  it('forces with the JSON-RPC shape of the docs and reads both answers Buildbot gives', () => {
    const documented = fixtureJson<Record<string, unknown>>(
      'buildbot',
      'force-jsonrpc-request.json',
    );
    const sent = recording('approve.json').at(-1)?.requestBody as Record<string, unknown>;
    expect(Object.keys(sent).sort()).toEqual(Object.keys(documented).sort());
    expect(sent).toMatchObject({ jsonrpc: '2.0', method: 'force' });
    expect(
      forcedBuildsetId(
        (fixtureJson('buildbot', 'force-jsonrpc-response.json') as { result: unknown }).result,
      ),
    ).toBe(44);
    expect(
      forcedBuildsetId((recording('approve.json').at(-1)?.body as { result: unknown }).result),
    ).toBe(6);
    expect(forcedBuildsetId({ unexpected: true })).toBeNull();
  });

  it('reads the check-in from the marker in a forced buildset reason, and who forced it', () => {
    const reason = `A build was forced by 'release-manager': ${gateReason('catalog', 12, 7, 'production')}`;
    expect(parseGateMarker(reason)).toEqual({ pipeline: 'catalog', checkIn: 12 });
    expect(forcedBy(reason)).toBe('release-manager');
    expect(parseGateMarker('A build was forced by x: force build')).toBeNull();
    expect(gateReason('catalog', 1, 1, 'p'.repeat(400)).length).toBeLessThanOrEqual(160);
  });
});

describe('the session Buildbot hands out at /auth/login', () => {
  it('keeps the user session of the two cookies a login sets, and reads who it is for', () => {
    const login = recording('poll-gate-waiting.json')[0];
    const headers = new Headers();
    for (const cookie of login?.headers['set-cookie'] ?? []) headers.append('set-cookie', cookie);
    const cookie = sessionCookie(headers);
    expect(cookie).toMatch(/^TWISTED_SESSION=eyJ/);
    expect(sessionClaims(cookie ?? '')).toEqual({
      user: 'release-manager',
      anonymous: false,
      expiresAt: 1796604438000,
    });
    const anonymous = login?.headers['set-cookie']?.[0]?.split(';')[0] ?? '';
    expect(sessionClaims(anonymous)).toMatchObject({ anonymous: true, user: null });
  });
});

describe('what a Buildbot source remembers', () => {
  const folders: string[] = [];
  afterEach(() =>
    folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })),
  );

  it('keeps decisions and learned triggers in its state folder, and says so when the file is damaged', () => {
    const folder = mkdtempSync(join(tmpdir(), 'pipewatch-buildbot-state-'));
    folders.push(folder);
    const file = buildbotStateFile(folder);
    expect(readBuildbotState(file)).toEqual({ version: 1, decisions: [], edges: {} });
    const state = {
      version: 1 as const,
      decisions: [decision({})],
      edges: { catalog: [{ from: 'compile', to: 'fast-tests', seenAt: 1 }] },
    };
    writeBuildbotState(file, state);
    expect(readBuildbotState(file)).toEqual(state);
    writeFileSync(file, '{ "version": 1, "decis');
    expect(() => readBuildbotState(file)).toThrow(SourceError);
    expect(() => readBuildbotState(file)).toThrow(/damaged/);
  });

  it('learns a new trigger, ignores one it knows, and forgets one unseen for a month', () => {
    const day = 24 * 3600 * 1000;
    const now = 100 * day;
    const learned = mergeLearnedEdges(
      [],
      [{ from: 'compile', to: 'fast-tests', seenAt: now }],
      now,
    );
    expect(learned).toEqual([{ from: 'compile', to: 'fast-tests', seenAt: now }]);
    expect(
      mergeLearnedEdges(learned ?? [], [{ from: 'compile', to: 'fast-tests', seenAt: now }], now),
    ).toBeNull();
    expect(mergeLearnedEdges(learned ?? [], [], now + 31 * day)).toEqual([]);
    expect(mergeLearnedEdges([], [{ from: 'a', to: 'b', seenAt: now - 40 * day }], now)).toBeNull();
  });
});

describe('Buildbot source options', () => {
  const issue = (options: unknown): string => {
    const result = buildbotOptionsSchema.safeParse(options);
    const first = result.success ? null : result.error.issues[0];
    return first ? `${formatIssuePath(first.path)}: ${first.message}` : 'valid';
  };

  it('names the bad field', () => {
    const catalog = { name: 'catalog', rootBuilder: 'compile' };
    expect(issue({ pipelines: [catalog] })).toBe('valid');
    expect(buildbotOptionsSchema.parse({ pipelines: [catalog] }).checkInsPerPoll).toBe(20);
    expect(issue({ pipelines: [{ ...catalog, rootbuilder: 'x' }] })).toMatch(
      /^pipelines\[0\]: .*rootbuilder/,
    );
    expect(issue({ pipelines: [catalog, catalog] })).toMatch(/^pipelines\[1\]\.name: duplicate/);
    expect(
      issue({ pipelines: [{ ...catalog, gates: [{ builder: 'slow', after: 'slow' }] }] }),
    ).toMatch(/^pipelines\[0\]\.gates\[0\]\.builder/);
    expect(issue({ pipelines: [] })).toMatch(/^pipelines/);
  });

  it('takes the web root, also when given as the API URL', () => {
    expect(webRootOf('https://ci.example.org/buildbot/api/v2')).toBe(
      'https://ci.example.org/buildbot/',
    );
    expect(webRootOf('https://ci.example.org')).toBe('https://ci.example.org/');
  });
});
