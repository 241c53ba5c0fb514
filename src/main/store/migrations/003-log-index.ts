/**
 * Search across stored logs. The clean text of complete logs (no escapes, no timestamps) goes
 * into an FTS5 index in chunks of lines; `log_index_chunks` says which log and lines each
 * indexed row holds. The index is contentless (the text is already stored, compressed, in
 * `logs`/`stage_logs`), so it costs about half of the indexed text instead of all of it again.
 * Rows follow their log: replacing, evicting or pruning a log removes its index rows.
 */
export const logIndex = `
ALTER TABLE logs ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0 CHECK (indexed IN (0, 1));
ALTER TABLE stage_logs ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0 CHECK (indexed IN (0, 1));
-- Eviction walks logs oldest first.
CREATE INDEX logs_by_fetched_at ON logs (fetched_at);
CREATE INDEX stage_logs_by_fetched_at ON stage_logs (fetched_at);

CREATE TABLE log_index_chunks (
  id           INTEGER PRIMARY KEY,
  -- Copied from the stage's build so that a search filters without joining three tables.
  pipeline_id  INTEGER NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
  build_id     INTEGER NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
  stage_id     INTEGER NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
  -- NULL for a whole stage's log.
  step_id      INTEGER REFERENCES steps (id) ON DELETE CASCADE,
  first_line   INTEGER NOT NULL,
  line_count   INTEGER NOT NULL,
  -- Characters of clean text indexed in this row.
  size         INTEGER NOT NULL
);
CREATE INDEX log_index_chunks_by_log ON log_index_chunks (stage_id, step_id, first_line);
CREATE INDEX log_index_chunks_by_step ON log_index_chunks (step_id);
CREATE INDEX log_index_chunks_by_pipeline ON log_index_chunks (pipeline_id, build_id);
CREATE INDEX log_index_chunks_by_build ON log_index_chunks (build_id);

-- Words as CI logs write them: http_req_duration and ECONNRESET are single tokens.
CREATE VIRTUAL TABLE log_index USING fts5 (
  text,
  content = '',
  contentless_delete = 1,
  tokenize = "unicode61 tokenchars '_'"
);

CREATE TRIGGER log_index_chunks_after_delete AFTER DELETE ON log_index_chunks BEGIN
  DELETE FROM log_index WHERE rowid = old.id;
END;
CREATE TRIGGER logs_after_delete AFTER DELETE ON logs BEGIN
  DELETE FROM log_index_chunks WHERE step_id = old.step_id;
END;
CREATE TRIGGER stage_logs_after_delete AFTER DELETE ON stage_logs BEGIN
  DELETE FROM log_index_chunks WHERE stage_id = old.stage_id AND step_id IS NULL;
END;
`;
