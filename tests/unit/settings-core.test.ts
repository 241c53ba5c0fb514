import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/main/config/load-config';
import { createCore, type DesktopCore } from '../../src/main/core';
import type { CoreEvent } from '../../src/main/core-types';
import { openFileSecretStore } from '../../src/main/secrets/file-secret-store';
import type { SecretStore } from '../../src/main/secrets/secret-store';
import type { ParsedDraft } from '../../src/main/settings/source-drafts';
import { ApiError } from '../../src/shared/contract';
import type { FakeProvider } from '../support/fake-provider';
import { startFakeGithubAccount } from '../support/fake-github-account';

const TOKEN = 'ghp_settingsCoreToken0123456789ABCDEF';

const fileConfig = parseConfig(
  {
    sources: [
      {
        id: 'catalog-demo',
        kind: 'demo',
        name: 'Catalog (demo)',
        options: { checkInEverySeconds: 3600 },
      },
    ],
    polling: { activeIntervalSeconds: 1, idleIntervalSeconds: 5 },
  },
  'test',
);

let dataDir: string;
let fake: FakeProvider;
let secrets: SecretStore;
let core: DesktopCore;
let events: CoreEvent[];

function start(): DesktopCore {
  const created = createCore({
    config: fileConfig,
    configPath: join(dataDir, 'config.json'),
    dataDir,
    secrets,
    env: {},
  });
  created.subscribe((event) => events.push(event));
  return created;
}

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pipewatch-settings-'));
  fake = await startFakeGithubAccount(TOKEN);
  secrets = openFileSecretStore(join(dataDir, 'secrets.json'));
  events = [];
  core = start();
});

afterEach(async () => {
  await core.stop();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A draft as the core receives it (the contract's schema has filled the defaults). */
function githubDraft(overrides: Partial<ParsedDraft> = {}): ParsedDraft {
  return {
    key: 'octo-github',
    kind: 'github',
    name: 'Octo GitHub',
    baseUrl: `${fake.url}/api/v3`,
    enabled: true,
    options: { repositories: ['octo-org/octo-repo'] },
    token: { kind: 'secret', value: TOKEN },
    ...overrides,
  };
}

async function until<T>(read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to be refused');
}

describe('sources in Settings', () => {
  it('shows the config file’s sources read-only, and every kind with its fields', async () => {
    const [demo] = await core.api['settings/sources']({});
    expect(demo).toMatchObject({ key: 'catalog-demo', origin: 'config-file', editable: false });

    const kinds = await core.api['settings/source-kinds']({});
    const github = kinds.find((kind) => kind.kind === 'github');
    expect(github?.supported).toBe(true);
    expect(github?.fields.find((field) => field.name === 'repositories')).toMatchObject({
      type: 'string-list',
      required: true,
    });
    expect(github?.fields.find((field) => field.name === 'runsPerPoll')).toMatchObject({
      type: 'integer',
      defaultValue: 20,
      minimum: 1,
      maximum: 100,
    });
  });

  it('names every bad field of a draft as you type', async () => {
    const { issues } = await core.api['settings/validate-source']({
      draft: githubDraft({
        key: 'Octo GitHub',
        baseUrl: 'file:///etc/passwd',
        options: { repositories: ['not a repo'] },
        token: { kind: 'keep' },
      }),
      isNew: true,
    });
    const paths = issues.map((issue) => issue.path);
    expect(paths).toContain('key');
    expect(paths).toContain('baseUrl');
    expect(paths).toContain('options.repositories[0]');

    const taken = await core.api['settings/validate-source']({
      draft: githubDraft({ key: 'catalog-demo', token: { kind: 'keep' } }),
      isNew: true,
    });
    expect(taken.issues).toContainEqual({
      path: 'key',
      message: 'a source with id "catalog-demo" already exists',
    });
  });

  it('tests a connection: who the token is, how many workflows, the rate-limit budget', async () => {
    const answer = await core.api['settings/test-source']({ draft: githubDraft() });
    expect(answer).toMatchObject({ ok: true, identity: 'octocat', pipelines: 2 });
    expect(answer.ok && answer.rateLimit?.limit).toBe(5000);
    // Nothing was saved by a test.
    expect(secrets.ids()).toEqual([]);
    expect(existsSync(join(dataDir, 'sources.json'))).toBe(false);
  });

  it('reports a wrong token precisely, without the token', async () => {
    const wrong = `${TOKEN}-wrong`;
    const answer = await core.api['settings/test-source']({
      draft: githubDraft({ token: { kind: 'secret', value: wrong } }),
    });
    expect(answer.ok).toBe(false);
    expect(answer.ok === false && answer.errorKind).toBe('auth');
    expect(JSON.stringify(answer)).not.toContain(wrong);
    expect(JSON.stringify(answer)).not.toContain('ghp_');
  });

  it('offers the repository’s workflows to pick from', async () => {
    const offer = await core.api['settings/offered-pipelines']({ draft: githubDraft() });
    expect(offer.option).toBe('workflows');
    expect(offer.pipelines.map((pipeline) => [pipeline.value, pipeline.name])).toEqual([
      ['blank.yaml', 'CI'],
      ['linter.yaml', 'Linter'],
    ]);
  });

  it('adds a GitHub source whose token is stored as a secret, and polls it', async () => {
    const saved = await core.api['settings/save-source']({
      draft: githubDraft({
        options: { repositories: ['octo-org/octo-repo'], workflows: ['blank.yaml'] },
      }),
      isNew: true,
    });
    expect(saved).toMatchObject({
      origin: 'app',
      editable: true,
      token: { kind: 'secret', id: 'octo-github', isStored: true },
    });
    expect(secrets.get('octo-github')).toBe(TOKEN);
    const file = readFileSync(join(dataDir, 'sources.json'), 'utf8');
    expect(JSON.parse(file).sources[0].token).toEqual({ secret: 'octo-github' });
    expect(file).not.toContain(TOKEN);
    expect(events).toContainEqual({
      name: 'sources/configured',
      payload: { keys: ['octo-github'] },
    });

    const source = await until(async () =>
      (await core.api['sources/list']({})).find(
        (candidate) => candidate.key === 'octo-github' && candidate.health.state === 'ok',
      ),
    );
    expect(source.kind).toBe('github');
    // Only the picked workflow's runs are read.
    const paths = fake.requests.map((request) => request.path);
    expect(paths).toContain('/api/v3/repos/octo-org/octo-repo/actions/workflows/161335/runs');
    expect(paths).not.toContain('/api/v3/repos/octo-org/octo-repo/actions/runs');
  });

  it('keeps app sources across a restart, and refuses to edit the config file’s', async () => {
    await core.api['settings/save-source']({ draft: githubDraft(), isNew: true });
    await core.stop();
    core = start();

    const keys = (await core.api['settings/sources']({})).map((entry) => [entry.key, entry.origin]);
    expect(keys).toEqual([
      ['catalog-demo', 'config-file'],
      ['octo-github', 'app'],
    ]);
    const refused = await rejection(core.api['settings/remove-source']({ key: 'catalog-demo' }));
    expect(refused.code).toBe('conflict');
    expect(refused.message).toContain('config file');
  });

  it('keeps a request timeout set by hand in sources.json when the source is edited in Settings', async () => {
    await core.api['settings/save-source']({ draft: githubDraft(), isNew: true });
    await core.stop();
    const file = join(dataDir, 'sources.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as {
      sources: Array<Record<string, unknown>>;
    };
    stored.sources[0]!.requestTimeoutSeconds = 90;
    writeFileSync(file, JSON.stringify(stored));
    core = start();

    await core.api['settings/save-source']({
      draft: githubDraft({ name: 'Octo GitHub (renamed)', token: { kind: 'keep' } }),
      isNew: false,
    });
    const saved = JSON.parse(readFileSync(file, 'utf8')) as {
      sources: Array<Record<string, unknown>>;
    };
    expect(saved.sources[0]).toMatchObject({
      name: 'Octo GitHub (renamed)',
      requestTimeoutSeconds: 90,
    });
  });

  it('disables, re-enables and removes a source with its token and builds', async () => {
    await core.api['settings/save-source']({ draft: githubDraft(), isNew: true });
    await until(async () =>
      (await core.api['pipelines/list']({ builds: 1 })).find(
        (pipeline) => pipeline.sourceKind === 'github',
      ),
    );

    const disabled = await core.api['settings/enable-source']({
      key: 'octo-github',
      enabled: false,
    });
    expect(disabled.enabled).toBe(false);
    const requestsWhenDisabled = fake.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fake.requests.length).toBe(requestsWhenDisabled);

    await core.api['settings/enable-source']({ key: 'octo-github', enabled: true });
    await until(async () => (fake.requests.length > requestsWhenDisabled ? true : undefined));

    expect(await core.api['settings/remove-source']({ key: 'octo-github' })).toEqual({
      removed: true,
    });
    expect(secrets.get('octo-github')).toBeNull();
    expect((await core.api['sources/list']({})).map((source) => source.key)).toEqual([
      'catalog-demo',
    ]);
    const pipelines = await core.api['pipelines/list']({ builds: 1 });
    expect(pipelines.some((pipeline) => pipeline.sourceKind === 'github')).toBe(false);
    expect(existsSync(join(dataDir, 'sources', 'octo-github'))).toBe(false);
  });

  it('never puts the token in an API answer, an event, the database or any other file', async () => {
    await core.api['settings/save-source']({ draft: githubDraft(), isNew: true });
    const pipeline = await until(async () =>
      (await core.api['pipelines/list']({ builds: 5 })).find(
        (candidate) => candidate.sourceKind === 'github' && candidate.recentBuilds.length > 0,
      ),
    );
    const build = pipeline.recentBuilds[0];
    const answers = [
      await core.api['sources/list']({}),
      await core.api['settings/sources']({}),
      await core.api['settings/source-kinds']({}),
      await core.api['pipelines/list']({ builds: 5 }),
      await core.api['builds/list']({ pipelineId: pipeline.id, limit: 50 }),
      build ? await core.api['builds/get']({ buildId: build.id }) : null,
      await core.api['gates/inbox']({}),
      await core.api['audit/list']({ limit: 100 }),
      await core.api['settings/test-source']({ draft: githubDraft({ token: { kind: 'keep' } }) }),
      await core.api['settings/offered-pipelines']({
        draft: githubDraft({ token: { kind: 'keep' } }),
      }),
      events,
    ];
    expect(JSON.stringify(answers)).not.toContain(TOKEN);
    await core.stop();

    // Every file but the secrets file itself: the database (and its WAL), sources.json, caches.
    const leaks: string[] = [];
    const walk = (folder: string): void => {
      for (const name of readdirSync(folder)) {
        const path = join(folder, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path !== join(dataDir, 'secrets.json') && readFileSync(path).includes(TOKEN)) {
          leaks.push(path);
        }
      }
    };
    walk(dataDir);
    expect(leaks).toEqual([]);
  });

  it('will not send a stored token to another server, even to test', async () => {
    await core.api['settings/save-source']({ draft: githubDraft(), isNew: true });
    const elsewhere = await core.api['settings/test-source']({
      draft: githubDraft({ baseUrl: 'http://127.0.0.1:9/api/v3', token: { kind: 'keep' } }),
    });
    expect(elsewhere).toMatchObject({ ok: false, errorKind: 'invalid' });
    expect(elsewhere.ok === false && elsewhere.issues.map((issue) => issue.path)).toEqual([
      'token',
    ]);
  });

  it('removes the built-in demo for good when there is no config file', async () => {
    await core.stop();
    core = createCore({ config: fileConfig, configPath: null, dataDir, secrets, env: {} });
    const [demo] = await core.api['settings/sources']({});
    expect(demo).toMatchObject({ key: 'catalog-demo', origin: 'built-in', editable: false });

    await core.api['settings/remove-source']({ key: 'catalog-demo' });
    await core.stop();
    core = createCore({ config: fileConfig, configPath: null, dataDir, secrets, env: {} });
    expect(await core.api['settings/sources']({})).toEqual([]);
    expect(await core.api['pipelines/list']({ builds: 1 })).toEqual([]);
  });

  it('pauses polling while the machine sleeps and polls at once on waking', async () => {
    await core.api['settings/save-source']({ draft: githubDraft(), isNew: true });
    await until(async () => (fake.requests.length > 0 ? true : undefined));
    core.setSuspended(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const asleep = fake.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fake.requests.length).toBe(asleep);

    core.setSuspended(false);
    await until(async () => (fake.requests.length > asleep ? true : undefined), 3000);
  });
});
