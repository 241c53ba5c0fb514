/**
 * The first schema. Rows are keyed by (parent, provider's external id) so a poll is an upsert and
 * running the same poll twice changes nothing. Statuses are the strings of `src/shared/status.ts`;
 * they carry no CHECK constraint so that a later status word needs no table rebuild (readers map
 * unknown words to 'unknown').
 */
export const initialSchema = `
CREATE TABLE sources (
  id          INTEGER PRIMARY KEY,
  key         TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL,
  name        TEXT NOT NULL,
  base_url    TEXT,
  is_demo     INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
  created_at  TEXT NOT NULL
);

CREATE TABLE pipelines (
  id           INTEGER PRIMARY KEY,
  source_id    INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  external_id  TEXT NOT NULL,
  name         TEXT NOT NULL,
  web_url      TEXT,
  UNIQUE (source_id, external_id)
);

CREATE TABLE builds (
  id              INTEGER PRIMARY KEY,
  pipeline_id     INTEGER NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
  external_id     TEXT NOT NULL,
  number          INTEGER NOT NULL,
  attempt         INTEGER NOT NULL DEFAULT 1,
  status          TEXT NOT NULL,
  branch          TEXT,
  commit_sha      TEXT,
  commit_message  TEXT,
  author          TEXT,
  "trigger"       TEXT,
  created_at      TEXT NOT NULL,
  started_at      TEXT,
  finished_at     TEXT,
  web_url         TEXT,
  -- Hash of the whole build snapshot (stages, steps, gates): an unchanged build is not rewritten.
  content_hash    TEXT NOT NULL,
  -- The poll that last wrote this build and all of its stages, steps and gates.
  poll_id         TEXT NOT NULL,
  UNIQUE (pipeline_id, external_id)
);
-- Newest builds of a pipeline (summaries, paging, retention).
CREATE INDEX builds_by_pipeline_number ON builds (pipeline_id, number DESC, id DESC);
-- Build lists filtered by branch or status; the status index also answers "is anything of this
-- source still moving?" and "which builds are finished?" on every poll.
CREATE INDEX builds_by_pipeline_branch ON builds (pipeline_id, branch, number DESC, id DESC);
CREATE INDEX builds_by_pipeline_status ON builds (pipeline_id, status, number DESC, id DESC);

CREATE TABLE stages (
  id           INTEGER PRIMARY KEY,
  build_id     INTEGER NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
  external_id  TEXT NOT NULL,
  name         TEXT NOT NULL,
  position     INTEGER NOT NULL,
  status       TEXT NOT NULL,
  started_at   TEXT,
  finished_at  TEXT,
  web_url      TEXT,
  is_gate      INTEGER NOT NULL DEFAULT 0 CHECK (is_gate IN (0, 1)),
  UNIQUE (build_id, external_id)
);
CREATE INDEX stages_by_build_position ON stages (build_id, position, id);

-- Graph edges within one build, by external id: the stage "needs" another stage of its build.
CREATE TABLE stage_needs (
  stage_id           INTEGER NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
  needs_external_id  TEXT NOT NULL,
  position           INTEGER NOT NULL,
  PRIMARY KEY (stage_id, needs_external_id)
) WITHOUT ROWID;

CREATE TABLE steps (
  id           INTEGER PRIMARY KEY,
  stage_id     INTEGER NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
  external_id  TEXT NOT NULL,
  number       INTEGER NOT NULL,
  name         TEXT NOT NULL,
  status       TEXT NOT NULL,
  started_at   TEXT,
  finished_at  TEXT,
  has_log      INTEGER NOT NULL DEFAULT 0 CHECK (has_log IN (0, 1)),
  UNIQUE (stage_id, external_id)
);
CREATE INDEX steps_by_stage_number ON steps (stage_id, number, id);

CREATE TABLE gates (
  id                 INTEGER PRIMARY KEY,
  build_id           INTEGER NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
  stage_external_id  TEXT,
  external_id        TEXT NOT NULL,
  name               TEXT NOT NULL,
  environment        TEXT,
  state              TEXT NOT NULL,
  -- NULL = the provider does not say whether the token's identity may decide.
  can_decide         INTEGER CHECK (can_decide IN (0, 1)),
  approvers_json     TEXT NOT NULL DEFAULT '[]',
  waiting_since      TEXT,
  expires_at         TEXT,
  decided_by         TEXT,
  decided_at         TEXT,
  comment            TEXT,
  UNIQUE (build_id, external_id)
);
-- The inbox: waiting gates, newest first.
CREATE INDEX gates_by_state ON gates (state, waiting_since DESC, id DESC);

-- Every decision attempt. Rows outlive the gates and builds they name (ids become NULL), so the
-- names and numbers are copied in.
CREATE TABLE audit (
  id             INTEGER PRIMARY KEY,
  at             TEXT NOT NULL,
  actor          TEXT NOT NULL,
  gate_id        INTEGER REFERENCES gates (id) ON DELETE SET NULL,
  build_id       INTEGER REFERENCES builds (id) ON DELETE SET NULL,
  pipeline_name  TEXT NOT NULL,
  build_number   INTEGER NOT NULL,
  gate_name      TEXT NOT NULL,
  decision       TEXT NOT NULL,
  comment        TEXT NOT NULL,
  outcome        TEXT NOT NULL,
  server_answer  TEXT NOT NULL,
  -- Not unique: a retried click records another attempt under the same request id.
  request_id     TEXT NOT NULL
);
CREATE INDEX audit_by_request ON audit (request_id);
-- Deleting a gate or build sets these to NULL; without an index each delete scans the audit.
CREATE INDEX audit_by_gate ON audit (gate_id);
CREATE INDEX audit_by_build ON audit (build_id);

-- Log text, compressed, kept out of the hot tables so that build queries never page through it.
CREATE TABLE logs (
  step_id     INTEGER PRIMARY KEY REFERENCES steps (id) ON DELETE CASCADE,
  fetched_at  TEXT NOT NULL,
  complete    INTEGER NOT NULL CHECK (complete IN (0, 1)),
  -- Uncompressed size in bytes (UTF-8).
  size        INTEGER NOT NULL,
  compressed  BLOB NOT NULL
);
`;
