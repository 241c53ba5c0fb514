import type { Database, Statement } from 'better-sqlite3';
import type { AuditEntry } from '../../shared/model';
import { auditColumns, toAuditEntry, type AuditRow } from './rows';

/**
 * Every decision attempt and what the server answered. Append only; rows keep the names and
 * numbers they were written with after the gate or build is gone.
 */
export class AuditRepository {
  private readonly insert: Statement;
  private readonly byId: Statement;
  private readonly newest: Statement;
  private readonly byRequestId: Statement;

  constructor(db: Database) {
    this.insert = db.prepare(
      `INSERT INTO audit (at, actor, gate_id, build_id, pipeline_name, build_number, gate_name,
         decision, comment, outcome, server_answer, request_id)
       VALUES (@at, @actor, @gateId, @buildId, @pipelineName, @buildNumber, @gateName,
         @decision, @comment, @outcome, @serverAnswer, @requestId)`,
    );
    this.byId = db.prepare(`SELECT ${auditColumns('a')} FROM audit a WHERE a.id = ?`);
    this.newest = db.prepare(`SELECT ${auditColumns('a')} FROM audit a ORDER BY a.id DESC LIMIT ?`);
    this.byRequestId = db.prepare(
      `SELECT ${auditColumns('a')} FROM audit a WHERE a.request_id = ? ORDER BY a.id`,
    );
  }

  insertAudit(entry: Omit<AuditEntry, 'id'>): AuditEntry {
    const id = this.insert.run({
      at: entry.at,
      actor: entry.actor,
      gateId: entry.gateId,
      buildId: entry.buildId,
      pipelineName: entry.pipelineName,
      buildNumber: entry.buildNumber,
      gateName: entry.gateName,
      decision: entry.decision,
      comment: entry.comment,
      outcome: entry.outcome,
      serverAnswer: entry.serverAnswer,
      requestId: entry.requestId,
    }).lastInsertRowid;
    return toAuditEntry(this.byId.get(id) as AuditRow);
  }

  /** Newest first (by insertion, so attempts within the same millisecond keep their order). */
  listAudit(limit: number): AuditEntry[] {
    return (this.newest.all(Math.max(0, limit)) as AuditRow[]).map(toAuditEntry);
  }

  /** Every attempt recorded under one idempotency key, oldest first. */
  findAuditByRequestId(requestId: string): AuditEntry[] {
    return (this.byRequestId.all(requestId) as AuditRow[]).map(toAuditEntry);
  }
}
