import { useState } from 'react';
import type { ConnectionTest, SourceKindInfo, SourceSetting } from '../../../../shared/config';
import { errorWords } from '../../format/error-words';
import { useServices } from '../common/services';
import { ConnectionTestResult } from './connection-test';
import { DemoFields } from './demo-fields';
import { FormField, TextInput } from './form-controls';
import { GithubFields } from './github-fields';
import { GenericOptionFields, type OptionFieldsProps } from './option-fields';
import {
  draftOf,
  issuesByField,
  newSourceForm,
  withName,
  type SourceForm as FormState,
} from './source-form-state';
import { TokenFields } from './token-fields';
import { useDraftIssues } from './use-draft-issues';

/**
 * Adds or changes one source. Every change is checked by the core as you type (the kind's own
 * option schema) and problems show under their field once it was touched; "Test connection"
 * makes a real request with the settings as typed, before anything is saved.
 */
export function SourceForm({
  initial,
  kinds,
  current,
  onSaved,
  onCancel,
}: {
  initial: FormState;
  kinds: readonly SourceKindInfo[];
  /** The saved source being edited; null when adding. */
  current: SourceSetting | null;
  onSaved(saved: SourceSetting): void;
  onCancel(): void;
}) {
  const { api } = useServices();
  const [form, setForm] = useState(initial);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState<'testing' | 'saving' | null>(null);
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);

  const kind = kinds.find((candidate) => candidate.kind === form.kind);
  const fields = kind?.fields ?? [];
  const issues = issuesByField(useDraftIssues(draftOf(form, fields, 'validate'), form.isNew));
  const errorOf = (path: string): string | null =>
    submitted || touched.has(path) ? (issues.get(path) ?? null) : null;
  const touch = (path: string) =>
    setTouched((previous) => (previous.has(path) ? previous : new Set([...previous, path])));
  const change = (next: FormState, path: string) => {
    setForm(next);
    touch(path);
    // A test answers for the connection it tried; picking what to watch does not change that.
    if (path !== 'options.workflows' && path !== 'enabled') setTest(null);
  };
  const optionProps: OptionFieldsProps | null = kind
    ? {
        form,
        kind,
        setField: (name, text) =>
          change({ ...form, fields: { ...form.fields, [name]: text } }, `options.${name}`),
        errorOf,
      }
    : null;
  const sendDraft = () => draftOf(form, fields, 'send');

  const runTest = async () => {
    setBusy('testing');
    setTest(null);
    try {
      setTest(await api['settings/test-source']({ draft: sendDraft() }));
    } catch (caught) {
      setTest({ ok: false, errorKind: 'internal', message: errorWords(caught), issues: [] });
    } finally {
      setBusy(null);
    }
  };

  const save = async () => {
    setSubmitted(true);
    setBusy('saving');
    setSaveError(null);
    try {
      onSaved(await api['settings/save-source']({ draft: sendDraft(), isNew: form.isNew }));
    } catch (caught) {
      setSaveError(errorWords(caught));
    } finally {
      setBusy(null);
    }
  };

  return (
    <form
      className="settings-form"
      data-testid="source-form"
      aria-label={form.isNew ? 'Add a source' : `Change ${current?.name ?? form.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h2>{form.isNew ? 'Add a source' : `Change “${current?.name ?? form.name}”`}</h2>
      {form.isNew ? (
        <FormField label="Kind" hint={kind?.baseUrlHint}>
          {(props) => (
            <select
              {...props}
              value={form.kind}
              onChange={(event) => {
                const next = kinds.find((candidate) => candidate.kind === event.target.value);
                if (next) {
                  setForm({
                    ...newSourceForm(next),
                    name: form.name,
                    key: form.key,
                    keyEdited: form.keyEdited,
                  });
                  setTest(null);
                }
              }}
            >
              {kinds.map((candidate) => (
                <option key={candidate.kind} value={candidate.kind} disabled={!candidate.supported}>
                  {candidate.label}
                  {candidate.supported ? '' : ' (not in this version yet)'}
                </option>
              ))}
            </select>
          )}
        </FormField>
      ) : null}

      <div className="settings-form-row">
        <FormField label="Name" hint="What the dashboard shows." error={errorOf('name')}>
          {(props) => (
            <TextInput
              {...props}
              value={form.name}
              onChange={(name) => change(withName(form, name), 'name')}
            />
          )}
        </FormField>
        <FormField
          label="Id"
          hint={
            form.isNew
              ? 'Stable: builds stay attached to it. Lower-case letters, digits, dashes.'
              : 'Fixed once added.'
          }
          error={errorOf('key')}
        >
          {(props) => (
            <TextInput
              {...props}
              value={form.key}
              onChange={(key) => change({ ...form, key, keyEdited: true }, 'key')}
              placeholder="team-github"
              {...(form.isNew ? {} : { readOnly: true })}
            />
          )}
        </FormField>
      </div>

      {form.kind !== 'demo' ? (
        <FormField
          label="Server"
          hint={
            kind?.defaultBaseUrl
              ? `Empty for ${kind.defaultBaseUrl}. ${kind.baseUrlHint}`
              : kind?.baseUrlHint
          }
          error={errorOf('baseUrl')}
        >
          {(props) => (
            <TextInput
              {...props}
              type="url"
              value={form.baseUrl}
              placeholder={kind?.defaultBaseUrl ?? 'https://'}
              onChange={(baseUrl) => change({ ...form, baseUrl }, 'baseUrl')}
            />
          )}
        </FormField>
      ) : null}

      {kind ? (
        <TokenFields
          form={form}
          kind={kind}
          current={current}
          error={errorOf('token')}
          onChange={(next) => change(next, 'token')}
        />
      ) : null}

      {optionProps ? (
        <fieldset className="settings-options">
          <legend>Options</legend>
          {form.kind === 'github' ? (
            <GithubFields
              {...optionProps}
              draft={sendDraft}
              setForm={(next) => change(next, 'options.workflows')}
            />
          ) : form.kind === 'demo' ? (
            <DemoFields {...optionProps} />
          ) : (
            <GenericOptionFields {...optionProps} />
          )}
          {submitted && issues.get('options') ? (
            <p className="settings-field-error" role="alert">
              {issues.get('options')}
            </p>
          ) : null}
        </fieldset>
      ) : null}

      <div className="settings-field settings-field--checkbox">
        <label>
          <input
            type="checkbox"
            checked={form.enabled}
            onChange={(event) => change({ ...form, enabled: event.target.checked }, 'enabled')}
          />
          Poll this source
        </label>
      </div>

      <div className="settings-form-footer">
        {test ? <ConnectionTestResult test={test} /> : null}
        {saveError ? (
          <p className="notice notice--error" role="alert">
            {saveError}
          </p>
        ) : null}
        <div className="settings-form-actions">
          <button type="button" className="button" onClick={runTest} disabled={busy !== null}>
            {busy === 'testing' ? 'Testing…' : 'Test connection'}
          </button>
          <span className="settings-form-spacer" />
          <button type="button" className="button" onClick={onCancel} disabled={busy === 'saving'}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy !== null}>
            {busy === 'saving' ? 'Saving…' : form.isNew ? 'Add source' : 'Save changes'}
          </button>
        </div>
      </div>
    </form>
  );
}
