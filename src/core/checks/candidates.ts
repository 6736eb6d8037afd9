// The figures a check reads: all of them, or those a write can have changed the warnings of (its scope), by level.
// Every form is one SQL select, so each check stays one set-based query over the figures it needs.
import type { Level } from './check';

/**
 * The columns a check reads. lo and hi are what a figure certainly is at least and at most: "at least 200" has no
 * upper bound (hi null), "up to 200" no lower one (lo 0), a range its ends.
 */
const COLUMNS = `f.id, f.metric_id, f.source_id, f.location_id, f.citation_id, f.value, f.low, f.high, f.qualifier,
  f.as_of, f.period_start, f.period_end, f.effective_date, f.excerpt, f.method,
  CASE WHEN f.qualifier IN ('at_most', 'up_to', 'less_than') THEN 0 ELSE coalesce(f.low, f.value) END AS lo,
  CASE WHEN f.qualifier IN ('at_least', 'more_than') THEN NULL ELSE coalesce(f.high, f.value) END AS hi`;

/** Every figure that is not retracted. */
export const ALL_CANDIDATES = `SELECT ${COLUMNS} FROM figure f WHERE f.status <> 'retracted'`;

// The scope is temp.check_scope (refresh.ts): each touched figure's keys, before and after the write. Each level
// starts from it and reaches the figures through figure_compare (metric, location, date); the unary + keeps the
// planner, which has no statistics, off figure_source: one claimant may hold most of a workbook.
const REACH: Record<Level, string> = {
  figure: 'SELECT figure_id AS id FROM temp.check_scope',
  series: `SELECT g.id FROM (SELECT DISTINCT metric_id, location_id, source_id FROM temp.check_scope) s
             JOIN figure g ON g.metric_id = s.metric_id AND g.location_id IS s.location_id AND +g.source_id = s.source_id`,
  day: `SELECT g.id FROM (SELECT DISTINCT location_id, source_id, date FROM temp.check_scope) s
          JOIN metric m
          JOIN figure g ON g.metric_id = m.id AND g.location_id IS s.location_id AND g.effective_date = s.date AND +g.source_id = s.source_id`,
  claim: `SELECT g.id FROM (SELECT DISTINCT metric_id, location_id, source_id, date FROM temp.check_scope) s
            JOIN figure g ON g.metric_id = s.metric_id AND g.location_id IS s.location_id AND g.effective_date = s.date AND +g.source_id = s.source_id`,
};

/** The ids of the figures (retracted ones too) whose warnings of a level a write may have changed. */
export function reachedIds(level: Level): string {
  return REACH[level];
}

/** The figures of a level's scope that are not retracted, as a check reads them. */
export function scopedCandidates(level: Level): string {
  return `${ALL_CANDIDATES} AND f.id IN (${REACH[level]})`;
}
