-- Schema 11: syncing with a team's PostgreSQL server (src/core/sync/serverSync.ts). Bookkeeping, not data: like the
-- warnings, these rows are never logged (a logged sync would itself be a change to sync) and no export reads them.
-- No credentials: a server is named by its host, port and database, never a user or a password.

-- One row per server this workbook has synced with, by the server's own id (workbench.server.id on the server), so a
-- server made anew at the same address is a new server.
CREATE TABLE sync_server (
  id             TEXT PRIMARY KEY,
  -- where it was last reached: postgresql://host:port/database
  url            TEXT NOT NULL,
  -- the server's changesets up to this seq are in this workbook (set only after their apply committed)
  last_seq       INTEGER NOT NULL DEFAULT 0,
  -- every transaction of this workbook's log up to this change_log id is on the server
  pushed_through INTEGER NOT NULL DEFAULT 0,
  last_sync_at   TEXT,
  -- what the last sync did, as JSON (SyncReport): what came in, what went out, the conflicts
  last_report    TEXT
);

-- The transactions this workbook knows the server holds (pushed from here, or pulled): never pushed again.
CREATE TABLE sync_txn (
  server_id TEXT NOT NULL REFERENCES sync_server (id),
  txn       TEXT NOT NULL,
  PRIMARY KEY (server_id, txn)
);
