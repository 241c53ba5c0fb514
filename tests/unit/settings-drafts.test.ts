import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  NO_APP_SOURCES,
  readAppSources,
  withAppSource,
  writeAppSources,
} from '../../src/main/settings/app-sources-file';
import { mergeConfiguredSources } from '../../src/main/settings/configured-sources';
import {
  describeSetting,
  validateDraft,
  type ParsedDraft,
} from '../../src/main/settings/source-drafts';
import { describeOptionFields, listSourceKinds } from '../../src/main/settings/source-kinds';
import type { SourceConfig } from '../../src/shared/config';

function draft(overrides: Partial<ParsedDraft> = {}): ParsedDraft {
  return {
    key: 'team-github',
    kind: 'github',
    name: 'Team GitHub',
    baseUrl: '',
    enabled: true,
    options: { repositories: ['acme/catalog'] },
    token: { kind: 'env', variable: 'GITHUB_TOKEN' },
    ...overrides,
  };
}

const fresh = { isNew: true, keysInUse: new Set<string>(), current: null };

describe('a source as typed in Settings', () => {
  it('becomes a config entry with its defaults filled in', () => {
    expect(validateDraft(draft(), fresh)).toEqual({
      ok: true,
      config: {
        id: 'team-github',
        kind: 'github',
        name: 'Team GitHub',
        token: { env: 'GITHUB_TOKEN' },
        enabled: true,
        options: { repositories: ['acme/catalog'], runsPerPoll: 20 },
      },
    });
  });

  it('references a typed token as a secret named after the source, never holding it', () => {
    const result = validateDraft(draft({ token: { kind: 'secret', value: 'ghp_x' } }), fresh);
    expect(result.ok && result.config.token).toEqual({ secret: 'team-github' });
    expect(JSON.stringify(result)).not.toContain('ghp_x');
  });

  it('names every problem at once', () => {
    const result = validateDraft(
      draft({
        key: '',
        name: ' ',
        baseUrl: 'ftp://example.com',
        options: { repositories: [], runsPerPoll: 500, colour: 'red' },
        token: { kind: 'env', variable: 'not a name' },
      }),
      fresh,
    );
    expect(result.ok).toBe(false);
    const paths = !result.ok ? result.issues.map((issue) => issue.path) : [];
    expect(paths).toEqual(
      expect.arrayContaining([
        'key',
        'name',
        'baseUrl',
        'token',
        'options.repositories',
        'options.runsPerPoll',
      ]),
    );
  });

  it('asks for the server of kinds that have no default one, and the token of those that need it', () => {
    const jenkins = validateDraft(
      draft({ kind: 'jenkins', options: { jobs: ['catalog'] }, token: { kind: 'none' } }),
      fresh,
    );
    expect(!jenkins.ok && jenkins.issues).toContainEqual({
      path: 'baseUrl',
      message: "Jenkins needs the server's address",
    });
  });

  it('refuses an id in use, and a change of kind', () => {
    const taken = validateDraft(draft(), { ...fresh, keysInUse: new Set(['team-github']) });
    expect(!taken.ok && taken.issues[0]).toEqual({
      path: 'key',
      message: 'a source with id "team-github" already exists',
    });
    const current: SourceConfig = {
      id: 'team-github',
      kind: 'gitlab',
      name: 'x',
      enabled: true,
      options: {},
    };
    const changed = validateDraft(draft(), { isNew: false, keysInUse: new Set(), current });
    expect(!changed.ok && changed.issues.map((issue) => issue.path)).toContain('kind');
  });

  it('keeps the configured token when the form leaves it alone', () => {
    const current: SourceConfig = {
      id: 'team-github',
      kind: 'github',
      name: 'x',
      enabled: true,
      options: {},
      token: { secret: 'team-github' },
    };
    const result = validateDraft(draft({ token: { kind: 'keep' } }), {
      isNew: false,
      keysInUse: new Set(),
      current,
    });
    expect(result.ok && result.config.token).toEqual({ secret: 'team-github' });
  });
});

describe('a stored token', () => {
  const current: SourceConfig = {
    id: 'team-github',
    kind: 'github',
    name: 'Team',
    enabled: true,
    options: {},
    token: { secret: 'team-github' },
  };
  const editing = { isNew: false, keysInUse: new Set<string>(), current };

  it('goes only to the server it was stored for', () => {
    const elsewhere = validateDraft(
      draft({ baseUrl: 'https://evil.example/api/v3', token: { kind: 'keep' } }),
      editing,
    );
    expect(!elsewhere.ok && elsewhere.issues).toContainEqual({
      path: 'token',
      message: 'enter the token again: a stored token is only sent to the server it was stored for',
    });
    // The default server spelled out is the same server.
    expect(
      validateDraft(draft({ baseUrl: 'https://api.github.com', token: { kind: 'keep' } }), editing)
        .ok,
    ).toBe(true);
    // Typed again, it may go to the new server.
    expect(
      validateDraft(
        draft({ baseUrl: 'https://ghe.example/api/v3', token: { kind: 'secret', value: 't' } }),
        editing,
      ).ok,
    ).toBe(true);
  });
});

describe('how Settings shows a source', () => {
  it('says how the token is given, never what it is', () => {
    const config: SourceConfig = {
      id: 'team-github',
      kind: 'github',
      name: 'Team GitHub',
      enabled: true,
      options: {},
      token: { env: 'GITHUB_TOKEN' },
    };
    const shown = describeSetting(config, 'app', 3, {
      hasSecret: () => false,
      env: { GITHUB_TOKEN: 'ghp_secret' },
    });
    expect(shown.token).toEqual({ kind: 'env', variable: 'GITHUB_TOKEN', isSet: true });
    expect(JSON.stringify(shown)).not.toContain('ghp_secret');
    expect(shown.editable).toBe(true);
    expect(
      describeSetting(config, 'config-file', 3, { hasSecret: () => false, env: {} }).editable,
    ).toBe(false);
  });
});

describe('the kinds Settings offers', () => {
  it('describes fields from the kind’s own schema', () => {
    const schema = z
      .object({
        jobs: z.array(z.string()).min(1),
        auth: z.enum(['token', 'password']).default('token'),
        depth: z.number().int().min(0).max(10).default(3),
        verbose: z.boolean().optional(),
        projects: z.array(z.union([z.number(), z.object({ project: z.number() })])).optional(),
      })
      .strict();
    expect(describeOptionFields(schema)).toEqual([
      expect.objectContaining({ name: 'jobs', type: 'string-list', required: true }),
      expect.objectContaining({ name: 'auth', type: 'choice', choices: ['token', 'password'] }),
      expect.objectContaining({
        name: 'depth',
        type: 'integer',
        minimum: 0,
        maximum: 10,
        defaultValue: 3,
      }),
      expect.objectContaining({ name: 'verbose', type: 'boolean', required: false }),
      expect.objectContaining({ name: 'projects', type: 'json' }),
    ]);
  });

  it('lists every kind, saying which this build can poll', () => {
    const kinds = listSourceKinds();
    expect(kinds.map((kind) => kind.kind)).toContain('cctray');
    expect(kinds.find((kind) => kind.kind === 'demo')).toMatchObject({
      supported: true,
      token: 'none',
    });
    expect(kinds.find((kind) => kind.kind === 'github')?.fields.length).toBeGreaterThan(0);
  });
});

describe('where sources come from', () => {
  const demo: SourceConfig = {
    id: 'catalog-demo',
    kind: 'demo',
    name: 'Catalog',
    enabled: true,
    options: {},
  };
  const mine: SourceConfig = {
    id: 'team-github',
    kind: 'github',
    name: 'Team',
    enabled: true,
    options: {},
  };

  it('puts the config file’s first, and it wins over an app source with its id', () => {
    const merged = mergeConfiguredSources([demo], true, {
      ...NO_APP_SOURCES,
      sources: [{ ...demo, name: 'Mine' }, mine],
    });
    expect(merged.sources.map((entry) => [entry.config.name, entry.origin])).toEqual([
      ['Catalog', 'config-file'],
      ['Team', 'app'],
    ]);
    expect(merged.shadowed).toEqual(['catalog-demo']);
  });

  it('drops the built-in demo once removed, but never a config file’s source', () => {
    const hidden = { ...NO_APP_SOURCES, hideBuiltInDemo: true };
    expect(mergeConfiguredSources([demo], false, hidden).sources).toEqual([]);
    expect(mergeConfiguredSources([demo], true, hidden).sources).toHaveLength(1);
  });

  it('keeps them in sources.json, and refuses a file it cannot understand', () => {
    const folder = mkdtempSync(join(tmpdir(), 'pipewatch-app-sources-'));
    try {
      const path = join(folder, 'sources.json');
      expect(readAppSources(path)).toEqual(NO_APP_SOURCES);
      writeAppSources(path, withAppSource(NO_APP_SOURCES, mine));
      expect(readAppSources(path).sources).toEqual([mine]);
      expect(JSON.parse(readFileSync(path, 'utf8')).version).toBe(1);

      writeFileSync(path, '{"version":1,"sources":[{"id":"Bad Id"}]}');
      expect(() => readAppSources(path)).toThrow(`Sources file ${path}: sources[0].id:`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
