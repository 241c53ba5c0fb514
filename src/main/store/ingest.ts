import type { Database, Statement, Transaction } from 'better-sqlite3';
import {
  finishedBuildKey,
  type BuildSnapshot,
  type GateSnapshot,
  type PollSnapshot,
  type StageSnapshot,
} from '../sources/source';
import { STATUSES, isFinished, type Status } from '../../shared/status';
import { buildContentHash } from './content-hash';
import { toFlag, toStatus } from './rows';

/** One build the ingest wrote, with its status before (null when new) and after. */
export interface BuildChange {
  buildId: number;
  pipelineId: number;
  previousStatus: Status | null;
  status: Status;
}

/** What one `applySnapshot` changed; every list is empty when the poll brought nothing new. */
export interface ChangeSet {
  /** Pipelines that are new, renamed, or have a new or changed build. */
  pipelineIds: number[];
  /** Builds that are new or changed. */
  buildIds: number[];
  /**
   * Gates that are new or whose state changed, and gates that vanished from a changed build
   * (those ids no longer resolve; they are listed so an inbox showing them refreshes).
   */
  gateIds: number[];
  changes: BuildChange[];
}

const FINISHED_STATUSES = STATUSES.filter(isFinished);

/** The poll's writes, collected while the transaction runs. */
interface Collector {
  pipelineIds: Set<number>;
  gateIds: Set<number>;
  changes: BuildChange[];
}

/**
 * The write side of polling: a snapshot goes in as ONE transaction, so a reader (or a crash)
 * sees either the whole poll or none of it, and every stored build reflects exactly one poll.
 */
export class IngestRepository {
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly applyTransaction: Transaction<
    (sourceId: number, snapshot: PollSnapshot, pollId: string) => ChangeSet
  >;

  constructor(db: Database) {
    this.statements = prepareStatements(db);
    this.applyTransaction = db.transaction((sourceId, snapshot, pollId) =>
      this.write(sourceId, snapshot, pollId),
    );
  }

  /**
   * Upserts a poll's pipelines and builds keyed by (source, external id). A build whose content
   * hash is unchanged is skipped without a write; a changed build is rewritten whole, and its
   * stages, steps and gates that the snapshot no longer lists are deleted.
   */
  applySnapshot(sourceId: number, snapshot: PollSnapshot, pollId: string): ChangeSet {
    // IMMEDIATE takes the write lock up front: a deferred transaction that upgrades from read to
    // write can fail with SQLITE_BUSY halfway through when another connection writes.
    return this.applyTransaction.immediate(sourceId, snapshot, pollId);
  }

  /** `${pipelineExternalId}/${buildExternalId}` of the source's finished builds. */
  finishedBuildIds(sourceId: number): Set<string> {
    const rows = this.statements.finishedBuilds.all(sourceId) as Array<{
      pipelineExternalId: string;
      buildExternalId: string;
    }>;
    return new Set(
      rows.map((row) => finishedBuildKey(row.pipelineExternalId, row.buildExternalId)),
    );
  }

  /** Deletes each pipeline's builds beyond the newest `keepPerPipeline`; returns how many. */
  pruneBuilds(keepPerPipeline: number): number {
    return this.statements.prune.run(Math.max(0, Math.floor(keepPerPipeline))).changes;
  }

  private write(sourceId: number, snapshot: PollSnapshot, pollId: string): ChangeSet {
    const collector: Collector = { pipelineIds: new Set(), gateIds: new Set(), changes: [] };
    const pipelineIds = new Map<string, number>();
    for (const pipeline of snapshot.pipelines) {
      pipelineIds.set(
        pipeline.externalId,
        this.upsertPipeline(
          sourceId,
          pipeline.externalId,
          pipeline.name,
          pipeline.webUrl,
          collector,
        ),
      );
    }
    for (const build of snapshot.builds) {
      let pipelineId = pipelineIds.get(build.pipelineExternalId);
      if (pipelineId === undefined) {
        // A build of a pipeline the poll did not list: keep it under a placeholder name that the
        // next poll listing the pipeline corrects.
        pipelineId = this.findOrCreatePipeline(sourceId, build.pipelineExternalId, collector);
        pipelineIds.set(build.pipelineExternalId, pipelineId);
      }
      this.writeBuild(pipelineId, build, pollId, collector);
    }
    const sorted = (ids: Set<number>): number[] => [...ids].sort((a, b) => a - b);
    return {
      pipelineIds: sorted(collector.pipelineIds),
      buildIds: collector.changes.map((change) => change.buildId),
      gateIds: sorted(collector.gateIds),
      changes: collector.changes,
    };
  }

  private upsertPipeline(
    sourceId: number,
    externalId: string,
    name: string,
    webUrl: string | null,
    collector: Collector,
  ): number {
    const existing = this.statements.selectPipeline.get(sourceId, externalId) as
      { id: number; name: string; webUrl: string | null } | undefined;
    if (existing === undefined) {
      const id = Number(
        this.statements.insertPipeline.run(sourceId, externalId, name, webUrl).lastInsertRowid,
      );
      collector.pipelineIds.add(id);
      return id;
    }
    if (existing.name !== name || existing.webUrl !== webUrl) {
      this.statements.updatePipeline.run(name, webUrl, existing.id);
      collector.pipelineIds.add(existing.id);
    }
    return existing.id;
  }

  private findOrCreatePipeline(sourceId: number, externalId: string, collector: Collector): number {
    const existing = this.statements.selectPipeline.get(sourceId, externalId) as
      { id: number } | undefined;
    return existing?.id ?? this.upsertPipeline(sourceId, externalId, externalId, null, collector);
  }

  private writeBuild(
    pipelineId: number,
    build: BuildSnapshot,
    pollId: string,
    collector: Collector,
  ): void {
    const contentHash = buildContentHash(build);
    const existing = this.statements.selectBuild.get(pipelineId, build.externalId) as
      { id: number; status: string; contentHash: string } | undefined;
    if (existing?.contentHash === contentHash) return;

    const { id: buildId } = this.statements.upsertBuild.get({
      pipelineId,
      externalId: build.externalId,
      number: build.number,
      attempt: build.attempt,
      status: build.status,
      statusDetail: build.statusDetail ?? null,
      branch: build.branch,
      commitSha: build.commitSha,
      commitMessage: build.commitMessage,
      author: build.author,
      trigger: build.trigger,
      createdAt: build.createdAt,
      startedAt: build.startedAt,
      finishedAt: build.finishedAt,
      webUrl: build.webUrl,
      contentHash,
      pollId,
    }) as { id: number };

    this.statements.deleteStagesNotIn.run(buildId, externalIds(build.stages));
    for (const stage of build.stages) this.writeStage(buildId, stage);
    this.writeGates(buildId, build.gates, collector);

    collector.pipelineIds.add(pipelineId);
    collector.changes.push({
      buildId,
      pipelineId,
      previousStatus: existing === undefined ? null : toStatus(existing.status),
      status: build.status,
    });
  }

  private writeStage(buildId: number, stage: StageSnapshot): void {
    const { id: stageId } = this.statements.upsertStage.get({
      buildId,
      externalId: stage.externalId,
      name: stage.name,
      position: stage.position,
      status: stage.status,
      statusDetail: stage.statusDetail ?? null,
      startedAt: stage.startedAt,
      finishedAt: stage.finishedAt,
      webUrl: stage.webUrl,
      isGate: toFlag(stage.isGate),
      hasLog: toFlag(stage.hasLog),
    }) as { id: number };

    this.statements.deleteNeeds.run(stageId);
    stage.needs.forEach((needed, position) =>
      this.statements.insertNeed.run(stageId, needed, position),
    );

    this.statements.deleteStepsNotIn.run(stageId, externalIds(stage.steps));
    for (const step of stage.steps) {
      this.statements.upsertStep.run({
        stageId,
        externalId: step.externalId,
        number: step.number,
        name: step.name,
        status: step.status,
        statusDetail: step.statusDetail ?? null,
        startedAt: step.startedAt,
        finishedAt: step.finishedAt,
        hasLog: toFlag(step.hasLog),
      });
    }
  }

  private writeGates(buildId: number, gates: GateSnapshot[], collector: Collector): void {
    const stored = new Map(
      (
        this.statements.selectGates.all(buildId) as Array<{
          id: number;
          externalId: string;
          state: string;
        }>
      ).map((row) => [row.externalId, row]),
    );
    for (const gate of gates) {
      const { id } = this.statements.upsertGate.get({
        buildId,
        stageExternalId: gate.stageExternalId,
        externalId: gate.externalId,
        name: gate.name,
        environment: gate.environment,
        state: gate.state,
        canDecide: toFlag(gate.canDecide),
        approversJson: JSON.stringify(gate.approvers),
        waitingSince: gate.waitingSince,
        expiresAt: gate.expiresAt,
        decidedBy: gate.decidedBy,
        decidedAt: gate.decidedAt,
        comment: gate.comment,
        fieldsJson: JSON.stringify(gate.fields),
        detail: gate.detail,
      }) as { id: number };
      const before = stored.get(gate.externalId);
      if (before === undefined || before.state !== gate.state) collector.gateIds.add(id);
      stored.delete(gate.externalId);
    }
    for (const vanished of stored.values()) {
      this.statements.deleteGate.run(vanished.id);
      collector.gateIds.add(vanished.id);
    }
  }
}

function externalIds(items: ReadonlyArray<{ externalId: string }>): string {
  return JSON.stringify(items.map((item) => item.externalId));
}

/** Our own constant words as an SQL list literal, so the planner sees a plain IN list. */
function sqlList(words: readonly string[]): string {
  return words.map((word) => `'${word.replaceAll("'", "''")}'`).join(', ');
}

function prepareStatements(db: Database) {
  const statement = (sql: string): Statement => db.prepare(sql);
  return {
    selectPipeline: statement(
      'SELECT id, name, web_url AS webUrl FROM pipelines WHERE source_id = ? AND external_id = ?',
    ),
    insertPipeline: statement(
      'INSERT INTO pipelines (source_id, external_id, name, web_url) VALUES (?, ?, ?, ?)',
    ),
    updatePipeline: statement('UPDATE pipelines SET name = ?, web_url = ? WHERE id = ?'),
    selectBuild: statement(
      `SELECT id, status, content_hash AS contentHash
         FROM builds WHERE pipeline_id = ? AND external_id = ?`,
    ),
    upsertBuild: statement(
      `INSERT INTO builds (pipeline_id, external_id, number, attempt, status, status_detail,
         branch, commit_sha, commit_message, author, "trigger", created_at, started_at,
         finished_at, web_url, content_hash, poll_id)
       VALUES (@pipelineId, @externalId, @number, @attempt, @status, @statusDetail, @branch, @commitSha,
         @commitMessage, @author, @trigger, @createdAt, @startedAt, @finishedAt, @webUrl,
         @contentHash, @pollId)
       ON CONFLICT (pipeline_id, external_id) DO UPDATE SET
         number = excluded.number, attempt = excluded.attempt, status = excluded.status,
         status_detail = excluded.status_detail, branch = excluded.branch, commit_sha = excluded.commit_sha,
         commit_message = excluded.commit_message, author = excluded.author,
         "trigger" = excluded."trigger", created_at = excluded.created_at,
         started_at = excluded.started_at, finished_at = excluded.finished_at,
         web_url = excluded.web_url, content_hash = excluded.content_hash,
         poll_id = excluded.poll_id
       RETURNING id`,
    ),
    deleteStagesNotIn: statement(
      `DELETE FROM stages
        WHERE build_id = ? AND external_id NOT IN (SELECT value FROM json_each(?))`,
    ),
    upsertStage: statement(
      `INSERT INTO stages (build_id, external_id, name, position, status, status_detail,
         started_at, finished_at, web_url, is_gate, has_log)
       VALUES (@buildId, @externalId, @name, @position, @status, @statusDetail, @startedAt,
         @finishedAt, @webUrl, @isGate, @hasLog)
       ON CONFLICT (build_id, external_id) DO UPDATE SET
         name = excluded.name, position = excluded.position, status = excluded.status,
         status_detail = excluded.status_detail,
         started_at = excluded.started_at, finished_at = excluded.finished_at,
         web_url = excluded.web_url, is_gate = excluded.is_gate, has_log = excluded.has_log
       RETURNING id`,
    ),
    deleteNeeds: statement('DELETE FROM stage_needs WHERE stage_id = ?'),
    insertNeed: statement(
      'INSERT OR IGNORE INTO stage_needs (stage_id, needs_external_id, position) VALUES (?, ?, ?)',
    ),
    deleteStepsNotIn: statement(
      `DELETE FROM steps
        WHERE stage_id = ? AND external_id NOT IN (SELECT value FROM json_each(?))`,
    ),
    upsertStep: statement(
      `INSERT INTO steps (stage_id, external_id, number, name, status, status_detail,
         started_at, finished_at, has_log)
       VALUES (@stageId, @externalId, @number, @name, @status, @statusDetail, @startedAt,
         @finishedAt, @hasLog)
       ON CONFLICT (stage_id, external_id) DO UPDATE SET
         number = excluded.number, name = excluded.name, status = excluded.status,
         status_detail = excluded.status_detail,
         started_at = excluded.started_at, finished_at = excluded.finished_at,
         has_log = excluded.has_log`,
    ),
    selectGates: statement(
      'SELECT id, external_id AS externalId, state FROM gates WHERE build_id = ?',
    ),
    upsertGate: statement(
      `INSERT INTO gates (build_id, stage_external_id, external_id, name, environment, state,
         can_decide, approvers_json, waiting_since, expires_at, decided_by, decided_at, comment,
         fields_json, detail)
       VALUES (@buildId, @stageExternalId, @externalId, @name, @environment, @state,
         @canDecide, @approversJson, @waitingSince, @expiresAt, @decidedBy, @decidedAt, @comment,
         @fieldsJson, @detail)
       ON CONFLICT (build_id, external_id) DO UPDATE SET
         stage_external_id = excluded.stage_external_id, name = excluded.name,
         environment = excluded.environment, state = excluded.state,
         can_decide = excluded.can_decide, approvers_json = excluded.approvers_json,
         waiting_since = excluded.waiting_since, expires_at = excluded.expires_at,
         decided_by = excluded.decided_by, decided_at = excluded.decided_at,
         comment = excluded.comment, fields_json = excluded.fields_json, detail = excluded.detail
       RETURNING id`,
    ),
    deleteGate: statement('DELETE FROM gates WHERE id = ?'),
    finishedBuilds: statement(
      `SELECT p.external_id AS pipelineExternalId, b.external_id AS buildExternalId
         FROM pipelines p JOIN builds b ON b.pipeline_id = p.id
        WHERE p.source_id = ? AND b.status IN (${sqlList(FINISHED_STATUSES)})`,
    ),
    prune: statement(
      `DELETE FROM builds WHERE id IN (
         SELECT id FROM (
           SELECT id, ROW_NUMBER() OVER (
             PARTITION BY pipeline_id ORDER BY number DESC, id DESC) AS newness
           FROM builds)
         WHERE newness > ?)`,
    ),
  };
}
