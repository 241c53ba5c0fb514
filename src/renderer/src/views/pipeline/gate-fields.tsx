import type { GateField } from '../../../../shared/model';
import type { FieldValues, FormErrors } from '../../format/decision-form';

type GateFieldsProps = {
  fields: readonly GateField[];
  values: FieldValues;
  /** Errors to show now (of inputs the person touched, or all after a send attempt). */
  errors: FormErrors;
  disabled: boolean;
  onChange(name: string, value: string): void;
  onTouch(name: string): void;
};

/**
 * The inputs a provider asks for with an approval (Jenkins input parameters, Buildkite block
 * fields) as a form: text, multiline, select, boolean and password, required ones marked.
 */
export function GateFields({
  fields,
  values,
  errors,
  disabled,
  onChange,
  onTouch,
}: GateFieldsProps) {
  if (fields.length === 0) return null;
  return (
    <fieldset className="gate-fields" disabled={disabled}>
      <legend>The CI server asks for</legend>
      {fields.map((field) => (
        <GateFieldInput
          key={field.name}
          field={field}
          value={values[field.name] ?? ''}
          error={errors[field.name] ?? null}
          onChange={(value) => onChange(field.name, value)}
          onTouch={() => onTouch(field.name)}
        />
      ))}
    </fieldset>
  );
}

function GateFieldInput({
  field,
  value,
  error,
  onChange,
  onTouch,
}: {
  field: GateField;
  value: string;
  error: string | null;
  onChange(value: string): void;
  onTouch(): void;
}) {
  const id = `gate-field-${field.name}`;
  const hintId = field.hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const described = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: field.name,
    'data-testid': 'gate-field',
    'data-field': field.name,
    'aria-invalid': error !== null,
    'aria-describedby': described,
    'aria-required': field.required,
    onBlur: onTouch,
  };
  const label = (
    <span>
      {field.label || field.name}
      {field.required ? <span className="required-mark"> (required)</span> : null}
    </span>
  );

  if (field.kind === 'boolean') {
    return (
      <div className="field field--checkbox">
        <label htmlFor={id}>
          <input
            {...common}
            type="checkbox"
            checked={value === 'true'}
            onChange={(event) => onChange(event.target.checked ? 'true' : 'false')}
          />
          {label}
        </label>
        <FieldNotes hint={field.hint} hintId={hintId} error={error} errorId={errorId} />
      </div>
    );
  }

  let input;
  switch (field.kind) {
    case 'multiline':
      input = (
        <textarea
          {...common}
          rows={3}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      );
      break;
    case 'select':
      input = (
        <select {...common} value={value} onChange={(event) => onChange(event.target.value)}>
          {field.required ? null : <option value="">—</option>}
          {field.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
      break;
    case 'password':
    case 'text':
      input = (
        <input
          {...common}
          type={field.kind === 'password' ? 'password' : 'text'}
          autoComplete={field.kind === 'password' ? 'off' : undefined}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      );
      break;
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {input}
      <FieldNotes hint={field.hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
  );
}

function FieldNotes(props: {
  hint: string | null;
  hintId: string | undefined;
  error: string | null;
  errorId: string | undefined;
}) {
  return (
    <>
      {props.hint ? (
        <span className="field-hint" id={props.hintId}>
          {props.hint}
        </span>
      ) : null}
      {props.error ? (
        <span className="field-error" id={props.errorId} role="alert">
          {props.error}
        </span>
      ) : null}
    </>
  );
}
