-- Schema 10: merging workbooks (src/core/sync/). Two tables, both logged entities (change_log learns them by code,
-- src/core/store/loggedEntities.ts), so what a merge found is undone, redone and carried on like any other change.
--
-- conflict: one entity changed on both sides since their common history. Both versions are kept here and neither
-- overwrites the other: the row holds the local one until the analyst picks or combines (a logged change). The
-- row names its sides by transaction, not as "ours" and "theirs", and its id comes from the entity and the two
-- transactions it was found between, so the two workbooks of a merge both ways record the same conflict as the same
-- row.
CREATE TABLE conflict (
  id              TEXT PRIMARY KEY,
  entity          TEXT NOT NULL,
  entity_id       TEXT NOT NULL,
  -- the state both sides changed (JSON), null when there is none in common
  base            TEXT,
  -- the two sides: the last transaction of each that changed the entity, and the state it left (JSON; null: deleted).
  -- a is the side of the older transaction when found; a later merge that brings a side's newer version updates it
  a_txn           TEXT NOT NULL,
  a               TEXT,
  b_txn           TEXT NOT NULL,
  b               TEXT,
  -- when the later of the two changes was made
  at              TEXT NOT NULL,
  -- every transaction whose version the conflict took in (JSON array): a change that only conflicted stays out of
  -- the log, and the next merge, meeting it again, finds it here
  txns            TEXT NOT NULL CHECK (json_valid(txns)),
  -- the transaction that picked or combined a version, and which
  resolved_by_txn TEXT,
  resolution      TEXT CHECK (resolution IN ('a','b','combined')),
  CHECK (a_txn <> b_txn),
  CHECK ((resolved_by_txn IS NULL) = (resolution IS NULL))
);

-- alias: an entity of another workbook that is this workbook's entity by a key the workbook holds unique (a metric's
-- code, a source's or a location's name, a vague rule's word, a citation's document): the other's changes to it,
-- and its figures, are applied to this one. Its id is the other workbook's id of the entity.
CREATE TABLE alias (
  id        TEXT PRIMARY KEY,
  entity    TEXT NOT NULL,
  target_id TEXT NOT NULL,
  -- the key they share, as "column=value"
  matched   TEXT NOT NULL
);
