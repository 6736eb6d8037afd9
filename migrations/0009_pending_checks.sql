-- Schema 9: the warnings are found again after a write commits, not inside it (src/core/checks/pending.ts). Each
-- write records here, in its own transaction, what it touched; the warnings' upkeep reads these rows, finds the
-- warnings of all of them at once, and deletes them in one transaction of its own. A write acknowledged and then
-- a crash leaves its row, and the next open finishes the work.
CREATE TABLE check_pending (
  id      INTEGER PRIMARY KEY,
  -- what the write touched (Touched, src/core/store/changeWriter.ts) as JSON
  touched TEXT NOT NULL
);
