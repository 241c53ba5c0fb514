/**
 * Stage-level logs (a GitHub job log, a GitLab trace is one text for the whole job), the inputs a
 * gate asks for (Jenkins input parameters, Buildkite block fields), and a gate's progress in words.
 */
export const stageLogsAndGateFields = `
ALTER TABLE stages ADD COLUMN has_log INTEGER NOT NULL DEFAULT 0 CHECK (has_log IN (0, 1));
ALTER TABLE gates ADD COLUMN fields_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE gates ADD COLUMN detail TEXT;

CREATE TABLE stage_logs (
  stage_id    INTEGER PRIMARY KEY REFERENCES stages (id) ON DELETE CASCADE,
  fetched_at  TEXT NOT NULL,
  complete    INTEGER NOT NULL CHECK (complete IN (0, 1)),
  size        INTEGER NOT NULL,
  compressed  BLOB NOT NULL
);
`;
