-- Figures Workbench schema 1. Forward-only: never edit once shipped; add 0002_….sql instead.
-- IDs are UUIDv7 text; times are ISO 8601 UTC text; claim dates are YYYY-MM-DD, or YYYY-MM / YYYY when only that
-- is known (so they sort and compare as text). The store's single write path logs every change in change_log.

CREATE TABLE source (
  id                TEXT PRIMARY KEY,
  name              TEXT NOT NULL,
  short_name        TEXT,
  kind              TEXT NOT NULL DEFAULT 'other'
                    CHECK (kind IN ('military','government','health_authority','un_agency','ngo','media','academic','other')),
  party_to_conflict INTEGER CHECK (party_to_conflict IN (0, 1)),
  note              TEXT,
  created_at        TEXT NOT NULL,
  created_by        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  updated_by        TEXT NOT NULL
);
CREATE UNIQUE INDEX source_name ON source (name COLLATE NOCASE);
CREATE INDEX source_short_name ON source (short_name COLLATE NOCASE);

CREATE TABLE citation (
  id           TEXT PRIMARY KEY,
  title        TEXT,
  publisher    TEXT,
  url          TEXT,
  published    TEXT,
  accessed     TEXT,
  language     TEXT,
  local_path   TEXT,
  local_sha256 TEXT,
  note         TEXT,
  created_at   TEXT NOT NULL,
  created_by   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  updated_by   TEXT NOT NULL,
  CHECK (title IS NOT NULL OR url IS NOT NULL)
);
CREATE INDEX citation_url ON citation (url);
CREATE INDEX citation_title ON citation (title, publisher);

CREATE TABLE metric (
  id         TEXT PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE,
  label      TEXT NOT NULL,
  unit       TEXT NOT NULL,
  category   TEXT NOT NULL CHECK (category IN ('casualties','aid','other')),
  hxl        TEXT,
  note       TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);

CREATE TABLE location (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL DEFAULT 'other'
             CHECK (kind IN ('territory','governorate','city','crossing','corridor','other')),
  parent_id  TEXT REFERENCES location (id),
  note       TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX location_name ON location (name COLLATE NOCASE);

CREATE TABLE import_batch (
  id        TEXT PRIMARY KEY,
  file_name TEXT NOT NULL,
  sha256    TEXT NOT NULL,
  rows      INTEGER NOT NULL,
  created   INTEGER NOT NULL,
  updated   INTEGER NOT NULL,
  unchanged INTEGER NOT NULL,
  rejected  INTEGER NOT NULL,
  mapping   TEXT,
  mode      TEXT NOT NULL CHECK (mode IN ('all','partial')),
  at        TEXT NOT NULL,
  by        TEXT NOT NULL
);
CREATE INDEX import_batch_sha256 ON import_batch (sha256);

CREATE TABLE figure (
  id               TEXT PRIMARY KEY,
  metric_id        TEXT NOT NULL REFERENCES metric (id),
  source_id        TEXT NOT NULL REFERENCES source (id),
  relayed_via_id   TEXT REFERENCES source (id),
  citation_id      TEXT NOT NULL REFERENCES citation (id),
  location_id      TEXT REFERENCES location (id),
  value            REAL CHECK (value >= 0),
  low              REAL CHECK (low >= 0),
  high             REAL CHECK (high >= 0),
  qualifier        TEXT NOT NULL DEFAULT 'exact'
                   CHECK (qualifier IN ('exact','approximately','at_least','more_than','at_most','up_to','less_than')),
  as_of            TEXT,
  period_start     TEXT,
  period_end       TEXT,
  excerpt          TEXT,
  method           TEXT CHECK (method IN ('reported_count','estimate','projection','other')),
  confidence       TEXT CHECK (confidence IN ('high','medium','low')),
  status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','checked','disputed','retracted')),
  retracted_reason TEXT,
  note             TEXT,
  -- deferred: an import writes its batch record last, when its counts and file hash are known
  import_batch_id  TEXT REFERENCES import_batch (id) DEFERRABLE INITIALLY DEFERRED,
  import_row       INTEGER,
  created_at       TEXT NOT NULL,
  created_by       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  updated_by       TEXT NOT NULL,
  -- the date the figure speaks for: compare and series pick by it
  effective_date   TEXT GENERATED ALWAYS AS (coalesce(as_of, period_end, period_start)) VIRTUAL,
  CHECK (value IS NOT NULL OR (low IS NOT NULL AND high IS NOT NULL)),
  CHECK ((low IS NULL) = (high IS NULL)),
  CHECK (low IS NULL OR low <= high),
  CHECK (as_of IS NOT NULL OR period_start IS NOT NULL),
  CHECK (period_end IS NULL OR period_start <= period_end),
  CHECK (status <> 'retracted' OR retracted_reason IS NOT NULL)
);
CREATE INDEX figure_compare ON figure (metric_id, location_id, source_id, effective_date);
-- date order without a sort: exports and the grid list figures by effective_date, then id (UUIDv7: creation order)
CREATE INDEX figure_date ON figure (effective_date, id);
-- with status: the figure counts per source and per citation, and of the whole workbook, read only these indexes
CREATE INDEX figure_source ON figure (source_id, status);
CREATE INDEX figure_citation ON figure (citation_id, status);
CREATE INDEX figure_relayed_via ON figure (relayed_via_id) WHERE relayed_via_id IS NOT NULL;
CREATE INDEX figure_batch ON figure (import_batch_id) WHERE import_batch_id IS NOT NULL;

-- Append-only: the provenance of the data itself. Every insert, update, retraction and delete of every entity above
-- lands here in the same transaction as the change.
CREATE TABLE change_log (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  txn             TEXT NOT NULL,
  at              TEXT NOT NULL,
  by              TEXT NOT NULL,
  why             TEXT,
  entity          TEXT NOT NULL CHECK (entity IN ('source','citation','metric','location','figure','import_batch')),
  entity_id       TEXT NOT NULL,
  op              TEXT NOT NULL CHECK (op IN ('insert','update','retract','delete')),
  before          TEXT,
  after           TEXT,
  import_batch_id TEXT,
  undoes          INTEGER REFERENCES change_log (id)
);
CREATE INDEX change_log_entity ON change_log (entity_id, id);
CREATE INDEX change_log_txn ON change_log (txn);

CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN
  SELECT RAISE(ABORT, 'change_log is append-only');
END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN
  SELECT RAISE(ABORT, 'change_log is append-only');
END;
-- Figures are retracted, never deleted.
CREATE TRIGGER figure_no_delete BEFORE DELETE ON figure
BEGIN
  SELECT RAISE(ABORT, 'figures are retracted with a reason, never deleted');
END;
