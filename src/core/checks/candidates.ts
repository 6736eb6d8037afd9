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
// reaches the figures from it through figure_compare (metric, location, date); the reach of a level is found once a
// refresh, into temp.check_reach_<level> (rowid and id), and read by every check of that level. figure_compare ends
// with source_id so that the claimant is told from the index alone; CROSS JOIN fixes the order of the loops, so
// the planner, which has no statistics, seeks figure_compare on all four keys and keeps off figure_source and
// figure_date (one claimant may hold most of a workbook, one day thousands of figures). A series is reached by its
// metric and location once, however many of its claimants' series the scope holds: a batch of edits across
// thousands of series reads each metric's figures at a location once, not once a series.
const REACH: Record<Level, string> = {
  // a figure a write deleted (an undone insert) is reached too: its warnings go
  figure: 'SELECT f.rowid, s.figure_id FROM temp.check_scope s LEFT JOIN figure f ON f.id = s.figure_id',
  series: `SELECT g.rowid, g.id FROM (SELECT DISTINCT metric_id, location_id FROM temp.check_scope) p
             JOIN figure g ON g.metric_id = p.metric_id AND g.location_id IS p.location_id
            WHERE EXISTS (SELECT 1 FROM temp.check_scope s
                           WHERE s.source_id = g.source_id AND s.metric_id = g.metric_id AND s.location_id IS g.location_id)`,
  day: `SELECT g.rowid, g.id FROM (SELECT DISTINCT location_id, source_id, date FROM temp.check_scope) s
          CROSS JOIN metric m
          CROSS JOIN figure g ON g.metric_id = m.id AND g.location_id IS s.location_id AND g.effective_date = s.date AND g.source_id = s.source_id`,
  claim: `SELECT g.rowid, g.id FROM (SELECT DISTINCT metric_id, location_id, source_id, date FROM temp.check_scope) s
            CROSS JOIN figure g ON g.metric_id = s.metric_id AND g.location_id IS s.location_id AND g.effective_date = s.date AND g.source_id = s.source_id`,
};

/** The select (rowid, id) of the figures, retracted ones too, whose warnings of a level a write may have changed. */
export function reachSelect(level: Level): string {
  return REACH[level];
}

/** The table a refresh holds a level's reach in. */
export function reachTable(level: Level): string {
  return `temp.check_reach_${level}`;
}

/** The figures of a level's reach that are not retracted, as a check reads them. */
export function scopedCandidates(level: Level): string {
  return `${ALL_CANDIDATES} AND f.rowid IN (SELECT rid FROM ${reachTable(level)})`;
}
