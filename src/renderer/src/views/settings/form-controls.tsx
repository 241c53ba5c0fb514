import { useId, type ReactNode } from 'react';

/** One labelled field with its hint and, once touched, its problem in words. */
export function FormField({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  children: (props: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby': string;
  }) => ReactNode;
}) {
  const id = useId();
  const describedBy = `${id}-note`;
  return (
    <div className="settings-field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      <div id={describedBy} className="settings-field-note">
        {error ? (
          <span className="settings-field-error" role="alert">
            {error}
          </span>
        ) : hint ? (
          <span className="settings-field-hint">{hint}</span>
        ) : null}
      </div>
    </div>
  );
}

/** A text input bound to a string. */
export function TextInput({
  value,
  onChange,
  placeholder,
  type = 'text',
  ...props
}: {
  value: string;
  onChange(value: string): void;
  placeholder?: string;
  type?: 'text' | 'password' | 'url' | 'number';
  readOnly?: boolean;
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string;
}) {
  return (
    <input
      {...props}
      type={type}
      value={value}
      placeholder={placeholder}
      spellCheck={false}
      autoComplete="off"
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

/** A multi-line input: lists, one entry per line, or JSON. */
export function TextArea({
  value,
  onChange,
  rows = 3,
  placeholder,
  ...props
}: {
  value: string;
  onChange(value: string): void;
  rows?: number;
  placeholder?: string;
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string;
}) {
  return (
    <textarea
      {...props}
      value={value}
      rows={rows}
      placeholder={placeholder}
      spellCheck={false}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}
