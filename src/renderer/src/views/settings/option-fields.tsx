import type { OptionField, SourceKindInfo } from '../../../../shared/config';
import { FormField, TextArea, TextInput } from './form-controls';
import { labelOf, type SourceForm } from './source-form-state';

/** What every kind's option fields get from the form. */
export interface OptionFieldsProps {
  form: SourceForm;
  kind: SourceKindInfo;
  setField(name: string, text: string): void;
  /** The problem to show for a field path (`options.speed`), or null. */
  errorOf(path: string): string | null;
}

function defaultWords(field: OptionField): string | undefined {
  if (field.defaultValue === null || field.defaultValue === undefined) return undefined;
  return Array.isArray(field.defaultValue)
    ? field.defaultValue.join(', ')
    : String(field.defaultValue);
}

function rangeWords(field: OptionField): string | null {
  if (field.minimum !== null && field.maximum !== null) {
    return `from ${field.minimum} to ${field.maximum}`;
  }
  if (field.minimum !== null) return `at least ${field.minimum}`;
  if (field.maximum !== null) return `at most ${field.maximum}`;
  return null;
}

/** One option, drawn from its description: the form of kinds without a dedicated one. */
export function OptionInput({
  field,
  label,
  hint,
  placeholder,
  form,
  setField,
  errorOf,
}: {
  field: OptionField;
  label?: string;
  hint?: string;
  placeholder?: string;
} & Omit<OptionFieldsProps, 'kind'>) {
  const text = form.fields[field.name] ?? '';
  const fallback = defaultWords(field);
  const generatedHint = [
    field.required ? 'Required.' : null,
    field.type === 'string-list' ? 'One per line.' : null,
    field.type === 'json' ? 'JSON.' : null,
    rangeWords(field) ? `A number ${rangeWords(field)}.` : null,
    fallback !== undefined ? `Default: ${fallback}.` : null,
  ]
    .filter(Boolean)
    .join(' ');
  const error = errorOf(`options.${field.name}`);
  const set = (value: string) => setField(field.name, value);
  if (field.type === 'boolean') {
    const checked = text === '' ? field.defaultValue === true : text === 'true';
    return (
      <div className="settings-field settings-field--checkbox">
        <label>
          <input
            type="checkbox"
            checked={checked}
            onChange={(event) => set(String(event.target.checked))}
          />
          {label ?? labelOf(field.name)}
        </label>
        <div className="settings-field-note">
          {error ? (
            <span className="settings-field-error" role="alert">
              {error}
            </span>
          ) : (
            <span className="settings-field-hint">{hint}</span>
          )}
        </div>
      </div>
    );
  }
  return (
    <FormField label={label ?? labelOf(field.name)} hint={hint ?? generatedHint} error={error}>
      {(props) =>
        field.type === 'choice' ? (
          <select {...props} value={text} onChange={(event) => set(event.target.value)}>
            <option value="">{fallback ? `Default (${fallback})` : 'Choose…'}</option>
            {(field.choices ?? []).map((choice) => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </select>
        ) : field.type === 'string-list' || field.type === 'json' ? (
          <TextArea
            {...props}
            value={text}
            onChange={set}
            rows={field.type === 'json' ? 5 : 3}
            placeholder={placeholder}
          />
        ) : (
          <TextInput {...props} value={text} onChange={set} placeholder={placeholder ?? fallback} />
        )
      }
    </FormField>
  );
}

/** Every option of a kind, in the schema's order. */
export function GenericOptionFields(props: OptionFieldsProps) {
  if (props.kind.fields.length === 0) {
    return <p className="muted">This kind has no options.</p>;
  }
  return (
    <>
      {props.kind.fields.map((field) => (
        <OptionInput key={field.name} field={field} {...props} />
      ))}
    </>
  );
}

/** A kind's field by name (the dedicated forms place the fields they know). */
export function fieldNamed(kind: SourceKindInfo, name: string): OptionField | null {
  return kind.fields.find((field) => field.name === name) ?? null;
}
