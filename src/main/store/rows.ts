import { z } from 'zod';
import {
  AUDIT_OUTCOMES,
  DECISIONS,
  GATE_STATES,
  SOURCE_KINDS,
  gateFieldSchema,
  type AuditEntry,
  type AuditOutcome,
  type Build,
  type Decision,
  type Gate,
  type GateField,
  type GateState,
  type Pipeline,
  type SourceKind,
  type StageSummary,
  type Step,
} from '../../shared/model';
import { STATUSES, type Status } from '../../shared/status';

/**
 * Column lists (aliased to the model's camelCase names) and the pure mappers from rows to the
 * contract types. SQLite has no booleans and the status columns are free text, so every row
 * passes through here on its way out.
 */

export const pipelineColumns = (t: string): string =>
  `${t}.id, ${t}.source_id AS sourceId, ${t}.external_id AS externalId, ${t}.name, ${t}.web_url AS webUrl`;

export const buildColumns = (t: string): string =>
  `${t}.id, ${t}.pipeline_id AS pipelineId, ${t}.external_id AS externalId, ${t}.number, ` +
  `${t}.attempt, ${t}.status, ${t}.status_detail AS statusDetail, ${t}.branch, ${t}.commit_sha AS commitSha, ` +
  `${t}.commit_message AS commitMessage, ${t}.author, ${t}."trigger" AS "trigger", ` +
  `${t}.created_at AS createdAt, ${t}.started_at AS startedAt, ${t}.finished_at AS finishedAt, ` +
  `${t}.web_url AS webUrl`;

/** The columns of a stage without steps and needs (those come from their own tables). */
export const stageColumns = (t: string): string =>
  `${t}.id, ${t}.build_id AS buildId, ${t}.external_id AS externalId, ${t}.name, ${t}.position, ` +
  `${t}.status, ${t}.status_detail AS statusDetail, ${t}.started_at AS startedAt, ` +
  `${t}.finished_at AS finishedAt, ${t}.web_url AS webUrl, ${t}.is_gate AS isGate, ${t}.has_log AS hasLog`;

export const stepColumns = (t: string): string =>
  `${t}.id, ${t}.stage_id AS stageId, ${t}.external_id AS externalId, ${t}.number, ${t}.name, ` +
  `${t}.status, ${t}.status_detail AS statusDetail, ${t}.started_at AS startedAt, ` +
  `${t}.finished_at AS finishedAt, ${t}.has_log AS hasLog`;

export const gateColumns = (t: string): string =>
  `${t}.id, ${t}.build_id AS buildId, ${t}.stage_external_id AS stageExternalId, ` +
  `${t}.external_id AS externalId, ${t}.name, ${t}.environment, ${t}.state, ` +
  `${t}.can_decide AS canDecide, ${t}.approvers_json AS approversJson, ` +
  `${t}.waiting_since AS waitingSince, ${t}.expires_at AS expiresAt, ` +
  `${t}.decided_by AS decidedBy, ${t}.decided_at AS decidedAt, ${t}.comment, ` +
  `${t}.fields_json AS fieldsJson, ${t}.detail`;

export const auditColumns = (t: string): string =>
  `${t}.id, ${t}.at, ${t}.actor, ${t}.gate_id AS gateId, ${t}.build_id AS buildId, ` +
  `${t}.pipeline_name AS pipelineName, ${t}.build_number AS buildNumber, ` +
  `${t}.gate_name AS gateName, ${t}.decision, ${t}.comment, ${t}.outcome, ` +
  `${t}.server_answer AS serverAnswer, ${t}.request_id AS requestId`;

export type PipelineRow = Pipeline;
export type BuildRow = Omit<Build, 'status'> & { status: string };
export type StageRow = Omit<StageSummary, 'status' | 'isGate'> & {
  buildId: number;
  webUrl: string | null;
  status: string;
  isGate: number;
  hasLog: number;
};
export type StepRow = Omit<Step, 'status' | 'hasLog'> & { status: string; hasLog: number };
export type GateRow = Omit<Gate, 'state' | 'canDecide' | 'approvers' | 'fields'> & {
  state: string;
  canDecide: number | null;
  approversJson: string;
  fieldsJson: string;
};
export type AuditRow = Omit<AuditEntry, 'decision' | 'outcome'> & {
  decision: string;
  outcome: string;
};

function oneOf<T extends string>(values: readonly T[], value: string, fallback: T): T {
  return (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** A status word this build does not know (written by a newer adapter) reads as 'unknown'. */
export function toStatus(value: string): Status {
  return oneOf(STATUSES, value, 'unknown');
}

export function toSourceKind(value: string): SourceKind {
  return oneOf(SOURCE_KINDS, value, 'demo');
}

export function toPipeline(row: PipelineRow): Pipeline {
  return {
    id: row.id,
    sourceId: row.sourceId,
    externalId: row.externalId,
    name: row.name,
    webUrl: row.webUrl,
  };
}

export function toBuild(row: BuildRow): Build {
  return {
    id: row.id,
    pipelineId: row.pipelineId,
    externalId: row.externalId,
    number: row.number,
    attempt: row.attempt,
    status: toStatus(row.status),
    statusDetail: row.statusDetail,
    branch: row.branch,
    commitSha: row.commitSha,
    commitMessage: row.commitMessage,
    author: row.author,
    trigger: row.trigger,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    webUrl: row.webUrl,
  };
}

export function toStageSummary(row: StageRow): StageSummary {
  return {
    id: row.id,
    externalId: row.externalId,
    name: row.name,
    position: row.position,
    status: toStatus(row.status),
    statusDetail: row.statusDetail,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    isGate: row.isGate === 1,
  };
}

export function toStep(row: StepRow): Step {
  return {
    id: row.id,
    stageId: row.stageId,
    externalId: row.externalId,
    number: row.number,
    name: row.name,
    status: toStatus(row.status),
    statusDetail: row.statusDetail,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    hasLog: row.hasLog === 1,
  };
}

export function toGate(row: GateRow): Gate {
  return {
    id: row.id,
    buildId: row.buildId,
    stageExternalId: row.stageExternalId,
    externalId: row.externalId,
    name: row.name,
    environment: row.environment,
    state: oneOf<GateState>(GATE_STATES, row.state, 'waiting'),
    canDecide: row.canDecide === null ? null : row.canDecide === 1,
    approvers: parseApprovers(row.approversJson),
    waitingSince: row.waitingSince,
    expiresAt: row.expiresAt,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    comment: row.comment,
    fields: parseGateFields(row.fieldsJson),
    detail: row.detail,
  };
}

/** Fields were validated on the way in; anything unreadable is dropped rather than shown. */
function parseGateFields(json: string): GateField[] {
  try {
    const parsed = z.array(gateFieldSchema).safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    gateId: row.gateId,
    buildId: row.buildId,
    pipelineName: row.pipelineName,
    buildNumber: row.buildNumber,
    gateName: row.gateName,
    decision: oneOf<Decision>(DECISIONS, row.decision, 'approve'),
    comment: row.comment,
    outcome: oneOf<AuditOutcome>(AUDIT_OUTCOMES, row.outcome, 'error'),
    serverAnswer: row.serverAnswer,
    requestId: row.requestId,
  };
}

function parseApprovers(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

/** SQLite stores booleans as 0/1; NULL stays NULL (unknown). */
export function toFlag(value: boolean): number;
export function toFlag(value: boolean | null): number | null;
export function toFlag(value: boolean | null): number | null {
  return value === null ? null : value ? 1 : 0;
}
