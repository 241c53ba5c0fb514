import type { AuditOutcome, Decision, GateField } from '../../../shared/model';
import { assertNever } from '../../../shared/status';

/**
 * The decision dialog's form as pure functions: the fields' starting values, what is missing,
 * and what is sent. Fields belong to approving (Jenkins input parameters, Buildkite block
 * fields); a rejection sends none.
 */

export type FieldValues = Readonly<Record<string, string>>;

/** Problems by input: `comment` and each field's name; empty when the form may be sent. */
export type FormErrors = Readonly<Record<string, string>>;

/** Starting values: each field's default, `false` for an unset checkbox, a select's first option. */
export function initialFieldValues(fields: readonly GateField[]): FieldValues {
  return Object.fromEntries(
    fields.map((field) => {
      if (field.defaultValue !== null) return [field.name, field.defaultValue];
      if (field.kind === 'boolean') return [field.name, 'false'];
      if (field.kind === 'select' && field.required) return [field.name, field.options[0] ?? ''];
      return [field.name, ''];
    }),
  );
}

/** What is still missing or wrong, checked on every keystroke. */
export function validateDecisionForm(input: {
  decision: Decision;
  fields: readonly GateField[];
  values: FieldValues;
  comment: string;
  commentRequired: boolean;
}): FormErrors {
  const errors: Record<string, string> = {};
  if (input.commentRequired && input.comment.trim() === '') {
    errors['comment'] = 'A comment is required.';
  }
  if (input.decision === 'approve') {
    for (const field of input.fields) {
      const value = input.values[field.name] ?? '';
      if (field.required && field.kind !== 'boolean' && value.trim() === '') {
        errors[field.name] = `${field.label || field.name} is required.`;
      } else if (field.kind === 'select' && value !== '' && !field.options.includes(value)) {
        errors[field.name] = `Choose one of ${field.options.join(', ')}.`;
      }
    }
  }
  return errors;
}

/** The values to send: every field's when approving, none when rejecting. */
export function fieldsToSend(
  decision: Decision,
  fields: readonly GateField[],
  values: FieldValues,
): Record<string, string> {
  if (decision === 'reject') return {};
  return Object.fromEntries(fields.map((field) => [field.name, values[field.name] ?? '']));
}

/** A plain explanation under the server's answer, for every outcome but success. */
export function outcomeExplanation(outcome: AuditOutcome): string | null {
  switch (outcome) {
    case 'done':
      return null;
    case 'already-decided':
      return 'Nothing was changed: someone else decided this gate before you. Pipewatch re-read it from the CI server and did not act.';
    case 'expired':
      return 'Nothing was changed: the gate stopped waiting (it expired) before your decision reached the CI server.';
    case 'forbidden':
      return 'Nothing was changed: the CI server does not let the identity of your token decide this gate. Ask one of its approvers, or use a token of someone who is one.';
    case 'error':
      return 'The CI server did not carry out the decision. Try again; retrying the same decision never acts twice.';
    default:
      return assertNever(outcome);
  }
}
