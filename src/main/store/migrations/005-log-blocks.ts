/**
 * Log text in blocks, so that a window can read the first lines of a log of hundreds of
 * megabytes without decompressing the rest. Each block is gzipped on its own; the head row in
 * `logs` / `stage_logs` keeps fetched_at, complete, size and indexed.
 *
 * Logs stored before this migration keep their single blob in `compressed` and no block rows:
 * they are read as one block (the whole old blob), so nothing is rewritten here and an upgrade
 * costs no time however many logs are stored. Logs stored from now on write `compressed` as a
 * zero-length blob (the column is NOT NULL) and their text as block rows.
 *
 * Rowid tables, not WITHOUT ROWID: a block is about a megabyte of text, and a WITHOUT ROWID
 * table would store such rows in its index b-tree. Replacing a log is an UPSERT of the head
 * row, an UPDATE that does not fire ON DELETE CASCADE: the writer deletes the old blocks itself.
 */
export const logBlocks = `
CREATE TABLE log_blocks (
  step_id     INTEGER NOT NULL REFERENCES logs (step_id) ON DELETE CASCADE,
  -- 0-based; blocks joined in order are the log's text.
  block       INTEGER NOT NULL,
  compressed  BLOB NOT NULL,
  PRIMARY KEY (step_id, block)
);

CREATE TABLE stage_log_blocks (
  stage_id    INTEGER NOT NULL REFERENCES stage_logs (stage_id) ON DELETE CASCADE,
  block       INTEGER NOT NULL,
  compressed  BLOB NOT NULL,
  PRIMARY KEY (stage_id, block)
);
`;
