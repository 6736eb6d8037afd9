// A running total that falls from one date to the next (Tech for Palestine's rule for its daily series): from one
// claimant, at one location, of a metric that says it is cumulative. Dates known to the day only: a month's total
// has no place among days. On a date with several figures, the step is certain only if every figure of the later
// date is below every figure of the earlier one.
import { type Check, formatCount } from './check';

/** One row per claimant, metric, location and day of a cumulative metric: the day's bounds and figures. */
export const CUMULATIVE_DAYS = `
  SELECT c.source_id, c.metric_id, c.location_id, c.effective_date AS date,
         min(c.lo) AS lo, CASE WHEN count(*) = count(c.hi) THEN max(c.hi) END AS hi,
         avg(coalesce(c.value, (c.low + c.high) / 2)) AS point,
         json_group_array(c.id ORDER BY c.id) AS ids
    FROM candidates c JOIN metric m ON m.id = c.metric_id
   WHERE m.kind = 'cumulative' AND length(c.effective_date) = 10
   GROUP BY c.source_id, c.metric_id, c.location_id, c.effective_date`;

export const cumulativeStepDown: Check = {
  kind: 'cumulative_step_down',
  level: 'series',
  readsMetrics: true,
  sql: `
    WITH days AS (${CUMULATIVE_DAYS}),
    steps AS (
      SELECT d.*, lag(d.lo) OVER w AS prev_lo, lag(d.date) OVER w AS prev_date, lag(d.ids) OVER w AS prev_ids
        FROM days d
      WINDOW w AS (PARTITION BY d.source_id, d.metric_id, d.location_id ORDER BY d.date))
    SELECT (SELECT json_group_array(value ORDER BY value) FROM (SELECT value FROM json_each(s.prev_ids) UNION SELECT value FROM json_each(s.ids))) AS figure_ids,
           json_object('source_id', s.source_id, 'metric_id', s.metric_id, 'location_id', s.location_id,
                       'from', s.prev_lo, 'from_date', s.prev_date, 'to', s.hi, 'to_date', s.date) AS facts,
           NULL AS valid_until
      FROM steps s
     WHERE s.hi < s.prev_lo`,
  message: (f, n) =>
    `${n.sources(f.source_id)} ${n.metric(f.metric_id)} (${n.location(f.location_id)}) falls from ${formatCount(f.from)} on ${f.from_date} to ${formatCount(f.to)} on ${f.to_date}: a running total cannot fall`,
};
