-- Schema 4: checks. Warnings, never blocks: figures that cannot all be true are listed, each with its kind and the
-- figures involved, and a warning can be dismissed with a reason (a logged, undoable change).
--
-- What a metric is: cumulative (a running total, as of a date) or a flow (counted over a period); the metrics it is
-- part of (a JSON array of metric codes: children killed are part of civilians killed); and the rise, as a multiple
-- of the claimant's recent daily rises, past which a cumulative rise is a retroactive jump (null: the default).
-- No defaults in the columns: an existing row's state must stay the one its change_log entry hashed; the values
-- for known metrics are set by logged updates right after this file (src/core/checks/metricDefaults.ts).
ALTER TABLE metric ADD COLUMN kind TEXT CHECK (kind IN ('cumulative','flow'));
ALTER TABLE metric ADD COLUMN part_of TEXT CHECK (part_of IS NULL OR json_valid(part_of));
ALTER TABLE metric ADD COLUMN jump_factor REAL CHECK (jump_factor > 1);

-- A dismissed warning: its kind and its figures (a JSON array of their ids, sorted) name it.
CREATE TABLE dismissal (
  id         TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,
  figure_ids TEXT NOT NULL CHECK (json_valid(figure_ids)),
  reason     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX dismissal_warning ON dismissal (kind, figure_ids);

-- The warnings themselves: derived from the figures like an index (never logged), kept in step with them by every
-- write's transaction for the figures it touched (src/core/checks/refresh.ts). facts hold what the message says
-- (numbers, dates, ids); the message is written when read, so a renamed source reads with its new name.
-- valid_until: the last day a date-bound warning holds (a date in the future stops being one).
CREATE TABLE warning (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,
  figure_ids  TEXT NOT NULL,
  facts       TEXT NOT NULL,
  valid_until TEXT
);
CREATE UNIQUE INDEX warning_key ON warning (kind, figure_ids);
CREATE TABLE warning_figure (
  figure_id  TEXT NOT NULL,
  warning_id INTEGER NOT NULL,
  PRIMARY KEY (figure_id, warning_id)
);
CREATE INDEX warning_figure_warning ON warning_figure (warning_id);

-- change_log learns the entity 'dismissal'. SQLite cannot change a CHECK in place, so the table is built again with
-- every entry copied as it is (ids and hashes unchanged: the chain is the same chain).
DROP TRIGGER change_log_no_update;
DROP TRIGGER change_log_no_delete;
DROP INDEX change_log_entity;
DROP INDEX change_log_txn;
ALTER TABLE change_log RENAME TO change_log_v3;
CREATE TABLE change_log (
  -- assigned by the writer (the last id + 1): the id is part of the hashed content; no row is ever deleted
  id              INTEGER PRIMARY KEY,
  txn             TEXT NOT NULL,
  at              TEXT NOT NULL,
  by              TEXT NOT NULL,
  why             TEXT,
  entity          TEXT NOT NULL CHECK (entity IN ('source','citation','metric','location','figure','import_batch','dismissal')),
  entity_id       TEXT NOT NULL,
  op              TEXT NOT NULL CHECK (op IN ('insert','update','retract','delete','import')),
  delta           TEXT,
  import_batch_id TEXT,
  undoes          INTEGER REFERENCES change_log (id),
  state_hash      BLOB NOT NULL,
  hash            BLOB NOT NULL
);
INSERT INTO change_log SELECT id, txn, at, by, why, entity, entity_id, op, delta, import_batch_id, undoes, state_hash, hash FROM change_log_v3 ORDER BY id;
DROP TABLE change_log_v3;
-- an entity's history (and an import's entry, by its batch id)
CREATE INDEX change_log_entity ON change_log (entity_id, id);
-- undo of a whole transaction
CREATE INDEX change_log_txn ON change_log (txn);
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN
  SELECT RAISE(ABORT, 'change_log is append-only');
END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN
  SELECT RAISE(ABORT, 'change_log is append-only');
END;
