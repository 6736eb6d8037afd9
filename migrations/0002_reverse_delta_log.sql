-- Schema 2: the change log as reverse deltas with a hash chain. The rows are the head; an entry records only what
-- walking back from the head needs: an update or retraction the fields it changed as {"field": [before, after]},
-- a delete the whole row it removed, an insert nothing (the row, or the next entry's before, is its state). An
-- import logs one entry for all the figures it inserted (op 'import', entity_id = the import batch's id); each
-- figure keeps its import_batch_id and import_row. state_hash is the sha256 of the state the entry produced, hash
-- the sha256 of the previous entry's hash, this entry's content and state_hash (src/core/store/logChain.ts).
-- The old entries are converted by code after this file runs (src/core/store/logMigration.ts), which drops
-- change_log_v1.
ALTER TABLE change_log RENAME TO change_log_v1;
DROP TRIGGER change_log_no_update;
DROP TRIGGER change_log_no_delete;
DROP INDEX change_log_entity;
DROP INDEX change_log_txn;

CREATE TABLE change_log (
  -- assigned by the writer (the last id + 1): the id is part of the hashed content; no row is ever deleted
  id              INTEGER PRIMARY KEY,
  txn             TEXT NOT NULL,
  at              TEXT NOT NULL,
  by              TEXT NOT NULL,
  why             TEXT,
  entity          TEXT NOT NULL CHECK (entity IN ('source','citation','metric','location','figure','import_batch')),
  entity_id       TEXT NOT NULL,
  op              TEXT NOT NULL CHECK (op IN ('insert','update','retract','delete','import')),
  delta           TEXT,
  import_batch_id TEXT,
  undoes          INTEGER REFERENCES change_log (id),
  state_hash      BLOB NOT NULL,
  hash            BLOB NOT NULL
);
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
