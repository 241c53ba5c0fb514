import type {
  DraftIssue,
  OptionField,
  SourceDraft,
  SourceKindInfo,
  SourceSetting,
  TokenChange,
} from '../../../../shared/config';
import type { SourceKind } from '../../../../shared/model';

/**
 * What Settings' source form holds, and how it becomes the draft the core validates, tests and
 * saves. Pure: the form keeps text exactly as typed (a number field may hold "12a" until the
 * core says what is wrong with it), and this module turns that text into option values.
 */

/** No token, an environment variable of Pipewatch's, or a token kept in the secret store. */
export type TokenMode = 'none' | 'env' | 'secret';

export interface SourceForm {
  isNew: boolean;
  key: string;
  /** The id was typed by hand; otherwise it follows the name. */
  keyEdited: boolean;
  kind: SourceKind;
  name: string;
  baseUrl: string;
  enabled: boolean;
  /** Each option field's text as typed (lists one entry per line; booleans "true"/"false"). */
  fields: Record<string, string>;
  tokenMode: TokenMode;
  tokenVariable: string;
  /**
   * A token typed here; sent to the core only to test or save, never read back. Empty with mode
   * `secret` on an existing source keeps the stored token.
   */
  tokenValue: string;
}

/** A source id from a name: "Team GitHub (prod)" → "team-github-prod". */
export function keyFromName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

function fieldText(field: OptionField, value: unknown): string {
  if (value === undefined || value === null) return '';
  switch (field.type) {
    case 'string-list':
      return Array.isArray(value) ? value.map(String).join('\n') : String(value);
    case 'json':
      return JSON.stringify(value, null, 2);
    default:
      return String(value);
  }
}

/** A blank form for a new source of a kind. */
export function newSourceForm(kind: SourceKindInfo): SourceForm {
  return {
    isNew: true,
    key: '',
    keyEdited: false,
    kind: kind.kind,
    name: '',
    baseUrl: '',
    enabled: true,
    fields: {},
    tokenMode: kind.token === 'none' ? 'none' : 'secret',
    tokenVariable: '',
    tokenValue: '',
  };
}

/** The form for an existing source, its options as text. */
export function editSourceForm(
  setting: SourceSetting,
  kind: SourceKindInfo | undefined,
): SourceForm {
  const fields: Record<string, string> = {};
  for (const field of kind?.fields ?? []) {
    if (field.name in setting.options) {
      fields[field.name] = fieldText(field, setting.options[field.name]);
    }
  }
  const token = setting.token;
  return {
    isNew: false,
    key: setting.key,
    keyEdited: true,
    kind: setting.kind,
    name: setting.name,
    baseUrl: setting.baseUrl ?? '',
    enabled: setting.enabled,
    fields,
    tokenMode: token.kind === 'none' ? 'none' : token.kind === 'env' ? 'env' : 'secret',
    tokenVariable: token.kind === 'env' ? token.variable : '',
    tokenValue: '',
  };
}

/** The form after the name changed; the id follows it until it is edited by hand. */
export function withName(form: SourceForm, name: string): SourceForm {
  return form.isNew && !form.keyEdited
    ? { ...form, name, key: keyFromName(name) }
    : { ...form, name };
}

function optionValue(field: OptionField, text: string): unknown {
  const trimmed = text.trim();
  switch (field.type) {
    case 'string-list': {
      const items = text
        .split(/[\n,]/)
        .map((item) => item.trim())
        .filter((item) => item !== '');
      return items.length > 0 ? items : undefined;
    }
    case 'number':
    case 'integer':
      // Text that is not a number goes as is: the core's answer names the field and the problem.
      return trimmed === '' ? undefined : Number.isNaN(Number(trimmed)) ? trimmed : Number(trimmed);
    case 'boolean':
      return trimmed === '' ? undefined : trimmed === 'true';
    case 'json':
      if (trimmed === '') return undefined;
      try {
        return JSON.parse(trimmed) as unknown;
      } catch {
        return trimmed;
      }
    default:
      return trimmed === '' ? undefined : trimmed;
  }
}

/** The options the form's text stands for; empty fields are left out so defaults apply. */
export function optionsOf(
  form: SourceForm,
  fields: readonly OptionField[],
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const field of fields) {
    const text = form.fields[field.name];
    if (text === undefined) continue;
    const value = optionValue(field, text);
    if (value !== undefined) options[field.name] = value;
  }
  return options;
}

function tokenChange(form: SourceForm, purpose: 'validate' | 'send'): TokenChange {
  switch (form.tokenMode) {
    case 'none':
      return { kind: 'none' };
    case 'env':
      return { kind: 'env', variable: form.tokenVariable };
    case 'secret':
      if (form.tokenValue === '') return form.isNew ? { kind: 'none' } : { kind: 'keep' };
      // Validation only needs to know that a token was typed, so the token is not sent on
      // every keystroke; testing and saving need the token itself.
      return { kind: 'secret', value: purpose === 'send' ? form.tokenValue : 'typed' };
  }
}

/** The draft the core validates (as you type), tests, or saves. */
export function draftOf(
  form: SourceForm,
  fields: readonly OptionField[],
  purpose: 'validate' | 'send',
): SourceDraft {
  return {
    key: form.key,
    kind: form.kind,
    name: form.name,
    baseUrl: form.baseUrl,
    enabled: form.enabled,
    options: optionsOf(form, fields),
    token: tokenChange(form, purpose),
  };
}

/** The first problem of each field: `options.repositories[0]` counts for `options.repositories`. */
export function issuesByField(issues: readonly DraftIssue[]): Map<string, string> {
  const byField = new Map<string, string>();
  for (const issue of issues) {
    const field = issue.path.replace(/\[\d+\].*$/, '').replace(/^(options\.[^.]+)\..*$/, '$1');
    if (!byField.has(field)) byField.set(field, issue.message);
  }
  return byField;
}

/** "checkInEverySeconds" → "Check in every seconds": a label for fields without one of their own. */
export function labelOf(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The values picked for a list option (GitHub's `workflows`). */
export function pickedValues(form: SourceForm, option: string): string[] {
  return (form.fields[option] ?? '')
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** The form with a value picked or unpicked in a list option. */
export function withPicked(
  form: SourceForm,
  option: string,
  value: string,
  picked: boolean,
): SourceForm {
  const current = pickedValues(form, option).filter((item) => item !== value);
  const next = picked ? [...current, value] : current;
  return { ...form, fields: { ...form.fields, [option]: next.join('\n') } };
}
