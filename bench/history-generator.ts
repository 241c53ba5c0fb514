import type { Database } from 'better-sqlite3';

/**
 * A large build history written straight into a store's tables — the shape the ingest writes
 * (builds, stages in position order, edges, one waiting gate per pipeline), at the speed of
 * SQLite rather than of polling: a million stage rows in seconds. Every other build fails at
 * some stage (the stages after it blocked), so "failed" pages fill in a small history too, and
 * only each pipeline's newest build waits at a gate, so the inbox is the same size in any history.
 */
export interface HistoryShape {
  pipelines: number;
  buildsPerPipeline: number;
  stagesPerBuild: number;
}

export function writeHistory(db: Database, shape: HistoryShape): void {
  const insertSource = db.prepare(
    `INSERT INTO sources (key, kind, name, base_url, is_demo, created_at)
     VALUES ('bench', 'demo', 'Bench', NULL, 0, '2026-01-01T00:00:00.000Z')`,
  );
  const insertPipeline = db.prepare(
    'INSERT INTO pipelines (source_id, external_id, name, web_url) VALUES (?, ?, ?, NULL)',
  );
  const insertBuild = db.prepare(
    `INSERT INTO builds (pipeline_id, external_id, number, attempt, status, branch, author,
       "trigger", created_at, content_hash, poll_id)
     VALUES (?, ?, ?, 1, ?, ?, 'alice', 'push', ?, ?, 'bench')`,
  );
  const insertStage = db.prepare(
    `INSERT INTO stages (build_id, external_id, name, position, status, is_gate, has_log)
     VALUES (?, ?, ?, ?, ?, 0, 0)`,
  );
  const insertNeed = db.prepare(
    'INSERT INTO stage_needs (stage_id, needs_external_id, position) VALUES (?, ?, 0)',
  );
  const insertGate = db.prepare(
    `INSERT INTO gates (build_id, stage_external_id, external_id, name, environment, state,
       can_decide, waiting_since)
     VALUES (?, NULL, 'production', 'production', 'production', 'waiting', 1, ?)`,
  );
  const start = Date.UTC(2026, 0, 1);
  db.transaction(() => {
    const sourceId = Number(insertSource.run().lastInsertRowid);
    for (let pipeline = 0; pipeline < shape.pipelines; pipeline += 1) {
      const pipelineId = Number(
        insertPipeline.run(sourceId, `p${pipeline}`, `Pipeline ${pipeline}`).lastInsertRowid,
      );
      for (let number = 1; number <= shape.buildsPerPipeline; number += 1) {
        const newest = number === shape.buildsPerPipeline;
        const failedAt = !newest && number % 2 === 0 ? number % shape.stagesPerBuild : -1;
        const createdAt = new Date(start + number * 60_000).toISOString();
        const buildId = Number(
          insertBuild.run(
            pipelineId,
            String(number),
            number,
            failedAt >= 0 ? 'failed' : newest ? 'waiting' : 'success',
            number % 3 === 0 ? 'release' : 'main',
            createdAt,
            `bench-${pipeline}-${number}`,
          ).lastInsertRowid,
        );
        for (let position = 0; position < shape.stagesPerBuild; position += 1) {
          const status =
            position === failedAt
              ? 'failed'
              : failedAt >= 0 && position > failedAt
                ? 'blocked'
                : 'success';
          const stageId = Number(
            insertStage.run(buildId, `s${position}`, `stage-${position}`, position, status)
              .lastInsertRowid,
          );
          if (position > 0) insertNeed.run(stageId, `s${position - 1}`);
        }
        if (newest) insertGate.run(buildId, createdAt);
      }
    }
  })();
  db.pragma('optimize');
}
