-- Schema 3: the figure indexes a query needs, and no column more. Each text id in an index costs 36 bytes a
-- figure; what each index serves is checked by tests/unit/store.indexes.test.ts (EXPLAIN QUERY PLAN).
--
-- figure_batch goes: an import hashes its own figures by the rowids it wrote (changeWriter.ts logImport); undoing
-- an import, the only other reader of a batch's figures, reads the table once, as it must then update them anyway.
DROP INDEX figure_batch;

-- figure_compare: source_id served no query (compare partitions by source after reading a metric at a location,
-- and sorts there anyway); effective_date right after the location lets "latest on or before a date" stop at the
-- date instead of reading every later figure.
DROP INDEX figure_compare;
CREATE INDEX figure_compare ON figure (metric_id, location_id, effective_date);
