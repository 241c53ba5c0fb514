import type { GateField, GateState } from '../../../shared/model';
import type { Status } from '../../../shared/status';
import { SourceError, type GateSnapshot, type StageSnapshot } from '../source';
import type { InputParameter, PendingInput } from './jenkins-wire';

/** The display name of the `input` step in wfapi's step lists (InputStep's descriptor). */
export const INPUT_STEP_NAME = 'Wait for interactive input';

/** External ids of gates keyed by their input step's node (`input-node-7`), see `historyGates`. */
export const HISTORY_GATE_PREFIX = 'input-node-';

/** Jenkins' default caption of an input's OK button. */
const DEFAULT_OK = 'Proceed';

/** The Java class name of a parameter definition without its package (older servers send it). */
function parameterType(parameter: InputParameter): string {
  return (parameter.type ?? '').split('.').pop() ?? '';
}

function defaultText(parameter: InputParameter): string | null {
  const value = parameter.definition?.defaultVal;
  return value === null || value === undefined ? null : String(value);
}

/**
 * An input's parameters as form fields. The types are the classes the stage view plugin sends
 * (`InputParameterDefExt`); a password's default is never shown, and any other type (file,
 * credentials, run) is offered as text with a hint rather than hidden.
 */
export function mapInputFields(inputs: readonly InputParameter[]): GateField[] {
  return inputs.map((parameter) => {
    const base = {
      name: parameter.name,
      label: parameter.name,
      required: false,
      options: [] as string[],
      defaultValue: defaultText(parameter),
      hint: parameter.description ?? null,
    };
    const type = parameterType(parameter);
    switch (type) {
      case 'StringParameterDefinition':
        return { ...base, kind: 'text' };
      case 'TextParameterDefinition':
        return { ...base, kind: 'multiline' };
      case 'BooleanParameterDefinition':
        return {
          ...base,
          kind: 'boolean',
          defaultValue: base.defaultValue === 'true' ? 'true' : 'false',
        };
      case 'PasswordParameterDefinition':
        return { ...base, kind: 'password', defaultValue: null };
      case 'ChoiceParameterDefinition': {
        const options = parameter.definition?.choices ?? [];
        return {
          ...base,
          kind: 'select',
          options,
          defaultValue: base.defaultValue ?? options[0] ?? null,
        };
      }
      default: {
        const what = type === '' ? 'a parameter of unknown type' : `a ${type}`;
        const hint = [parameter.description, `Jenkins asks for ${what}; entered as text.`];
        return { ...base, kind: 'text', hint: hint.filter(Boolean).join(' ') };
      }
    }
  });
}

/** Who may decide an input, when the server says. */
export function inputSubmitters(input: PendingInput): string[] {
  const raw = input.submitter;
  const list = Array.isArray(raw) ? raw : (raw ?? '').split(',');
  return list.map((name) => name.trim()).filter((name) => name !== '');
}

/**
 * Whether the token's user may decide: true when the submitter list names them. A list that does
 * not name them may still admit them through a group Jenkins does not show us, so that is
 * unknown (null), as is an input with no list at all.
 */
export function canDecideInput(
  approvers: readonly string[],
  identity: string | null,
): boolean | null {
  if (identity !== null && approvers.includes(identity)) return true;
  return null;
}

/** Where and since when an input waits, found by the mapper in the build's stages. */
export interface PendingPlace {
  stageExternalId: string | null;
  stageName: string | null;
  waitingSince: string | null;
}

/** A waiting `input` step as a gate. Its external id is Jenkins' input id, which decides it. */
export function mapPendingGate(
  input: PendingInput,
  place: PendingPlace,
  buildNumber: number,
  identity: string | null,
): GateSnapshot {
  const approvers = inputSubmitters(input);
  const ok = input.proceedText ?? DEFAULT_OK;
  const where = place.stageName ? ` in stage ${place.stageName}` : '';
  const who = approvers.length > 0 ? ` Only ${approvers.join(', ')} may decide.` : '';
  return {
    externalId: input.id,
    stageExternalId: place.stageExternalId,
    name: input.message?.trim() || `Input ${input.id}`,
    environment: null,
    state: 'waiting',
    canDecide: canDecideInput(approvers, identity),
    approvers,
    waitingSince: place.waitingSince,
    expiresAt: null,
    decidedBy: null,
    decidedAt: null,
    comment: null,
    fields: mapInputFields(input.inputs ?? []),
    detail: `Jenkins input${where}: approving answers "${ok}", rejecting aborts build #${buildNumber}.${who}`,
  };
}

/**
 * How a gate that no longer waits was decided, read from its stage: the input step ended
 * successfully (approved) or was aborted (rejected, which also covers an input's time-out).
 */
export function settledState(stage: StageSnapshot | undefined, buildStatus: Status): GateState {
  const inputSteps = stage?.steps.filter((step) => step.name.startsWith(INPUT_STEP_NAME)) ?? [];
  const last = inputSteps[inputSteps.length - 1];
  const status = last?.status ?? stage?.status ?? buildStatus;
  return status === 'cancelled' || status === 'failed' || buildStatus === 'cancelled'
    ? 'rejected'
    : 'approved';
}

/**
 * Gates of inputs decided before Pipewatch saw them wait (history, or a restart): Jenkins no
 * longer names the input, so the gate is keyed by its step and told by the step's outcome.
 */
export function historyGates(
  stages: readonly StageSnapshot[],
  covered: ReadonlySet<string>,
): GateSnapshot[] {
  const gates: GateSnapshot[] = [];
  for (const stage of stages) {
    if (covered.has(stage.externalId)) continue;
    for (const step of stage.steps) {
      if (!step.name.startsWith(INPUT_STEP_NAME)) continue;
      if (step.status !== 'success' && step.status !== 'cancelled' && step.status !== 'failed')
        continue;
      gates.push({
        externalId: `${HISTORY_GATE_PREFIX}${step.externalId}`,
        stageExternalId: stage.externalId,
        name: `Input in ${stage.name}`,
        environment: null,
        state: step.status === 'success' ? 'approved' : 'rejected',
        canDecide: false,
        approvers: [],
        waitingSince: step.startedAt,
        expiresAt: null,
        decidedBy: null,
        decidedAt: step.finishedAt,
        comment: null,
        fields: [],
        detail: 'Decided in Jenkins before Pipewatch watched this build.',
      });
    }
  }
  return gates;
}

function parameterValue(field: GateField, given: string | undefined): string | boolean {
  const value = given ?? field.defaultValue ?? '';
  if (field.kind === 'boolean') return value === 'true';
  if (field.kind === 'select' && !field.options.includes(value)) {
    throw new SourceError(
      'bad-response',
      `"${value}" is not one of the choices for ${field.name} (${field.options.join(', ')}); nothing was sent to Jenkins.`,
    );
  }
  return value;
}

/**
 * The form body of an input submission: `json={"parameter":[{name,value},...]}` as the input
 * page posts it, plus `proceed=<OK caption>` (the submit endpoint tells proceed from abort by
 * it). Every parameter gets a value — the given one, else its default — in definition order.
 */
export function inputSubmitForm(
  input: PendingInput,
  values: Readonly<Record<string, string>>,
): string {
  const fields = mapInputFields(input.inputs ?? []);
  const parameter = fields.map((field) => ({
    name: field.name,
    value: parameterValue(field, values[field.name]),
  }));
  const form = new URLSearchParams();
  form.set('json', JSON.stringify({ parameter }));
  form.set('proceed', input.proceedText ?? DEFAULT_OK);
  return form.toString();
}
