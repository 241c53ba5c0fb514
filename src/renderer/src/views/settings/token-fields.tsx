import type { SourceKindInfo, SourceSetting } from '../../../../shared/config';
import { FormField, TextInput } from './form-controls';
import type { SourceForm, TokenMode } from './source-form-state';

/**
 * How the source's token is given: none, an environment variable of the Pipewatch process, or
 * typed here and kept in the secret store (encrypted in the desktop app; serve mode's owner-only
 * secrets file). A stored token is never shown; typing a new one replaces it.
 */
export function TokenFields({
  form,
  kind,
  current,
  onChange,
  error,
}: {
  form: SourceForm;
  kind: SourceKindInfo;
  /** The saved source being edited, to say whether a token is stored. */
  current: SourceSetting | null;
  onChange(form: SourceForm): void;
  error: string | null;
}) {
  if (kind.token === 'none') return null;
  const stored = current?.token.kind === 'secret' && current.token.isStored;
  const modes: Array<[TokenMode, string]> = [
    ['secret', 'Enter it here'],
    ['env', 'Environment variable'],
    ...(kind.token === 'optional' ? [['none', 'No token'] as [TokenMode, string]] : []),
  ];
  return (
    <fieldset className="settings-token">
      <legend>
        Token{' '}
        <span className="settings-field-hint">
          {kind.token === 'required' ? '(required)' : '(optional for public projects)'}
        </span>
      </legend>
      <div className="settings-token-modes" role="radiogroup" aria-label="How the token is given">
        {modes.map(([mode, label]) => (
          <label key={mode}>
            <input
              type="radio"
              name="token-mode"
              checked={form.tokenMode === mode}
              onChange={() => onChange({ ...form, tokenMode: mode })}
            />
            {label}
          </label>
        ))}
      </div>
      {form.tokenMode === 'secret' ? (
        <FormField
          label="Token"
          error={error}
          hint={
            stored
              ? 'A token is stored. Type a new one to replace it; leave empty to keep it.'
              : 'Kept in the secret store, never shown again and never sent back to this page.'
          }
        >
          {(props) => (
            <TextInput
              {...props}
              type="password"
              value={form.tokenValue}
              placeholder={stored ? '•••••••• (stored)' : undefined}
              onChange={(tokenValue) => onChange({ ...form, tokenValue })}
            />
          )}
        </FormField>
      ) : null}
      {form.tokenMode === 'env' ? (
        <FormField
          label="Variable name"
          error={error}
          hint={
            current?.token.kind === 'env' && current.token.variable === form.tokenVariable
              ? current.token.isSet
                ? 'Set in Pipewatch’s environment.'
                : 'Not set in Pipewatch’s environment: set it and restart Pipewatch.'
              : 'Read from Pipewatch’s environment at each request.'
          }
        >
          {(props) => (
            <TextInput
              {...props}
              value={form.tokenVariable}
              placeholder="GITHUB_TOKEN"
              onChange={(tokenVariable) => onChange({ ...form, tokenVariable })}
            />
          )}
        </FormField>
      ) : null}
      {form.tokenMode === 'none' && error ? (
        <p className="settings-field-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
