import { describe, expect, it } from 'vitest';
import { parseHashRoute, hrefFor } from '../../src/renderer/src/routing/hash-route';
import {
  draftOf,
  editSourceForm,
  issuesByField,
  keyFromName,
  labelOf,
  newSourceForm,
  pickedValues,
  withName,
  withPicked,
} from '../../src/renderer/src/views/settings/source-form-state';
import type { OptionField, SourceKindInfo, SourceSetting } from '../../src/shared/config';

function field(
  name: string,
  type: OptionField['type'],
  extra: Partial<OptionField> = {},
): OptionField {
  return {
    name,
    type,
    required: false,
    defaultValue: null,
    minimum: null,
    maximum: null,
    choices: null,
    ...extra,
  };
}

const github: SourceKindInfo = {
  kind: 'github',
  label: 'GitHub Actions',
  supported: true,
  token: 'optional',
  baseUrlHint: '',
  defaultBaseUrl: 'https://api.github.com',
  docsPath: null,
  fields: [
    field('repositories', 'string-list', { required: true }),
    field('workflows', 'string-list'),
    field('branch', 'string'),
    field('runsPerPoll', 'integer', { defaultValue: 20, minimum: 1, maximum: 100 }),
  ],
};

describe('the Settings route', () => {
  it('is #/settings both ways', () => {
    expect(parseHashRoute('#/settings')).toEqual({ view: 'settings' });
    expect(hrefFor({ view: 'settings' })).toBe('#/settings');
  });
});

describe('the source form', () => {
  it('suggests an id from the name until the id is typed', () => {
    expect(keyFromName('Team GitHub (prod)')).toBe('team-github-prod');
    const form = withName(newSourceForm(github), 'Team GitHub');
    expect(form.key).toBe('team-github');
    expect(withName({ ...form, key: 'mine', keyEdited: true }, 'Other').key).toBe('mine');
  });

  it('turns the text typed into options, leaving empty fields to their defaults', () => {
    const form = {
      ...newSourceForm(github),
      key: 'team',
      name: 'Team',
      fields: {
        repositories: 'acme/catalog\n acme/shop ,acme/web\n',
        branch: '  ',
        runsPerPoll: '30',
      },
    };
    expect(draftOf(form, github.fields, 'send').options).toEqual({
      repositories: ['acme/catalog', 'acme/shop', 'acme/web'],
      runsPerPoll: 30,
    });
    // A number field holding something else is sent as typed, for the core to name the problem.
    expect(
      draftOf({ ...form, fields: { runsPerPoll: '30x' } }, github.fields, 'send').options,
    ).toEqual({ runsPerPoll: '30x' });
  });

  it('sends a typed token only to test or save, never to validate as you type', () => {
    const form = { ...newSourceForm(github), tokenValue: 'ghp_typed' };
    expect(draftOf(form, github.fields, 'send').token).toEqual({
      kind: 'secret',
      value: 'ghp_typed',
    });
    expect(JSON.stringify(draftOf(form, github.fields, 'validate'))).not.toContain('ghp_typed');
    expect(draftOf({ ...form, tokenValue: '' }, github.fields, 'send').token).toEqual({
      kind: 'none',
    });
  });

  it('keeps a stored token when editing unless a new one is typed', () => {
    const setting: SourceSetting = {
      key: 'team',
      sourceId: 3,
      kind: 'github',
      name: 'Team',
      baseUrl: null,
      enabled: true,
      options: { repositories: ['acme/catalog'], runsPerPoll: 20 },
      origin: 'app',
      editable: true,
      token: { kind: 'secret', id: 'team', isStored: true },
    };
    const form = editSourceForm(setting, github);
    expect(form.fields).toEqual({ repositories: 'acme/catalog', runsPerPoll: '20' });
    expect(draftOf(form, github.fields, 'send').token).toEqual({ kind: 'keep' });
  });

  it('picks and unpicks workflows', () => {
    let form = newSourceForm(github);
    form = withPicked(form, 'workflows', 'ci.yml', true);
    form = withPicked(form, 'workflows', 'deploy.yml', true);
    form = withPicked(form, 'workflows', 'ci.yml', false);
    expect(pickedValues(form, 'workflows')).toEqual(['deploy.yml']);
  });

  it('shows each field’s first problem under it', () => {
    const byField = issuesByField([
      { path: 'options.repositories[1]', message: 'a repository as owner/name' },
      { path: 'options.repositories', message: 'second' },
      { path: 'key', message: 'lower-case letters' },
    ]);
    expect(byField.get('options.repositories')).toBe('a repository as owner/name');
    expect(byField.get('key')).toBe('lower-case letters');
    expect(labelOf('checkInEverySeconds')).toBe('Check in every seconds');
  });
});
