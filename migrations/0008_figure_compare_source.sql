-- Schema 8: figure_compare ends with the claimant. The checks kept after every write reach a claimant's series and
-- days through it (src/core/checks/candidates.ts): with source_id in the index, the figures of other claimants are
-- passed over in the index, without reading their rows. The compare queries read it by its first three columns, as
-- before.
DROP INDEX figure_compare;
CREATE INDEX figure_compare ON figure (metric_id, location_id, effective_date, source_id);
