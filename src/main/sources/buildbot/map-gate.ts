import type { GateField, GateState } from '../../../shared/model';
import type { Status } from '../../../shared/status';
import type { BuildbotGateOptions } from './buildbot-options';
import type { GateDecisionRecord } from './buildbot-state';
import type { BuildbotForceScheduler, ForceField } from './buildbot-wire';

/**
 * A force-only builder after a stage is a manual gate. Buildbot does not know the gate exists: it
 * opens when the stage succeeds, approving forces the builder (JSON-RPC `force` on its
 * ForceScheduler) and rejecting is remembered by Pipewatch. The forced buildset's reason carries a
 * marker naming the check-in, so every Pipewatch watching the same Buildbot sees the approval.
 */

const MARKER = /\[pipewatch (\S+) (\d+)\]/;
/** Buildbot stores a buildset's reason in 256 characters, after "A build was forced by '…': ". */
const MAX_REASON = 160;

/** The force reason for an approval: the marker first, so a cut-off reason keeps it. */
export function gateReason(
  pipeline: string,
  checkIn: number,
  buildNumber: number,
  gateBuilder: string,
): string {
  return `[pipewatch ${pipeline} ${checkIn}] approved ${pipeline} #${buildNumber} for ${gateBuilder}`.slice(
    0,
    MAX_REASON,
  );
}

/** The check-in a forced buildset was approved for, from its reason. */
export function parseGateMarker(
  reason: string | null | undefined,
): { pipeline: string; checkIn: number } | null {
  const match = reason ? MARKER.exec(reason) : null;
  return match?.[1] && match[2] ? { pipeline: match[1], checkIn: Number(match[2]) } : null;
}

/** Who forced a buildset, from the reason ForceScheduler writes ("A build was forced by 'x': …"). */
export function forcedBy(reason: string | null | undefined): string | null {
  const match = reason ? /forced by '([^']+)'/.exec(reason) : null;
  return match?.[1] ?? null;
}

/** Parameters every force already gets from the candidate (its source stamp) or from Pipewatch. */
const SET_BY_PIPEWATCH = new Set([
  'reason',
  'username',
  'branch',
  'revision',
  'repository',
  'project',
]);

function leaves(fields: readonly ForceField[]): ForceField[] {
  return fields.flatMap((field) => {
    if (field.fields) {
      const names = field.fields.map((child) => child.name).join(',');
      // AnyPropertyParameter: a free name/value pair, which a gate form cannot explain.
      return names === 'name,value' ? [] : leaves(field.fields);
    }
    return [field];
  });
}

function fieldKind(type: string): GateField['kind'] | null {
  switch (type) {
    case 'text':
    case 'int':
      return 'text';
    case 'textarea':
      return 'multiline';
    case 'bool':
      return 'boolean';
    case 'list':
      return 'select';
    case 'secret':
      return 'password';
    default:
      // username, fixed, file and plugin types: nothing a person types at a gate.
      return null;
  }
}

/** The ForceScheduler's own parameters, as inputs of the gate (the candidate's revision is fixed). */
export function gateFieldsOf(scheduler: BuildbotForceScheduler | null): GateField[] {
  if (!scheduler) return [];
  return leaves(scheduler.all_fields ?? []).flatMap((field): GateField[] => {
    const kind = fieldKind(field.type);
    if (!kind || SET_BY_PIPEWATCH.has(field.name)) return [];
    const fallback = field.default;
    return [
      {
        name: field.fullName || field.name,
        label: field.label?.replace(/:\s*$/, '') || field.name,
        kind,
        required: field.required ?? false,
        options: (field.choices ?? []).map(String),
        defaultValue:
          fallback === null || fallback === undefined || fallback === '' ? null : String(fallback),
        hint: field.type === 'int' ? 'a whole number' : null,
      },
    ];
  });
}

/**
 * The JSON-RPC `force` parameters: the gate builder, the marker reason, the candidate's source
 * stamp, and each field from the person's value, else (left empty) the candidate's property of
 * that name, else the field's default.
 */
export function forceParameters(input: {
  builderId: number;
  reason: string;
  candidateProperties: Readonly<Record<string, unknown>>;
  fields: readonly GateField[];
  values: Readonly<Record<string, string>>;
}): Record<string, unknown> {
  const parameters: Record<string, unknown> = {
    builderid: input.builderId,
    reason: input.reason,
  };
  for (const name of ['revision', 'branch', 'repository', 'project']) {
    const value = input.candidateProperties[name];
    if (typeof value === 'string' && value !== '') parameters[name] = value;
  }
  for (const field of input.fields) {
    const given = input.values[field.name];
    const inherited = input.candidateProperties[field.name];
    const value =
      given !== undefined && given !== ''
        ? given
        : typeof inherited === 'string' ||
            typeof inherited === 'number' ||
            typeof inherited === 'boolean'
          ? String(inherited)
          : field.defaultValue;
    if (value === null || value === undefined) continue;
    parameters[field.name] = field.kind === 'boolean' ? value === 'true' : value;
  }
  return parameters;
}

/** What the gate shows, and what its stage shows, for one check-in. */
export interface ResolvedGate {
  stageStatus: Status;
  /** Null while the gate is not open yet (or never will be). */
  state: GateState | null;
  decidedBy: string | null;
  /** Epoch milliseconds. */
  decidedAt: number | null;
  comment: string | null;
}

/**
 * The gate's state from what Buildbot shows (a forced build linked to the check-in) and what
 * Pipewatch remembers (a decision): a linked build means approved, whoever forced it.
 */
export function resolveGate(input: {
  afterStatus: Status | null;
  linked: { status: Status; forcedBy: string | null; submittedAt: number | null } | null;
  decision: GateDecisionRecord | null;
}): ResolvedGate {
  const { linked, decision } = input;
  if (linked) {
    const mine = decision?.decision === 'approve' ? decision : null;
    return {
      stageStatus: linked.status,
      state: 'approved',
      decidedBy: mine?.actor ?? linked.forcedBy,
      decidedAt: mine?.at ?? linked.submittedAt,
      comment: mine?.comment || null,
    };
  }
  if (decision) {
    return {
      // Approved but not listed by Buildbot yet: the forced request is on its way.
      stageStatus: decision.decision === 'approve' ? 'queued' : 'cancelled',
      state: decision.decision === 'approve' ? 'approved' : 'rejected',
      decidedBy: decision.actor,
      decidedAt: decision.at,
      comment: decision.comment || null,
    };
  }
  const closed = { state: null, decidedBy: null, decidedAt: null, comment: null };
  switch (input.afterStatus) {
    case 'success':
      return { ...closed, stageStatus: 'waiting', state: 'waiting' };
    case 'failed':
    case 'cancelled':
    case 'blocked':
      return { ...closed, stageStatus: 'blocked' };
    case 'skipped':
      return { ...closed, stageStatus: 'skipped' };
    default:
      return { ...closed, stageStatus: 'queued' };
  }
}

/** The gate's explanation in words, for the approvals inbox. */
export function gateDetail(
  gate: BuildbotGateOptions,
  state: GateState,
  scheduler: string | null,
  revision: string | null,
): string {
  if (state === 'rejected') {
    return `Rejected in Pipewatch: Buildbot has no rejection, so ${gate.builder} is simply never forced for this candidate.`;
  }
  if (state === 'approved') return `${gate.builder} was forced for this candidate.`;
  if (!scheduler) {
    return `No ForceScheduler of this Buildbot lists ${gate.builder}, so Pipewatch cannot start it.`;
  }
  const what = revision ? `revision ${revision.slice(0, 12)}` : "this candidate's source stamp";
  return `Approving forces ${gate.builder} (ForceScheduler "${scheduler}") with ${what}.`;
}
