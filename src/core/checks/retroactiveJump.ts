// A rise of a running total far above the claimant's recent daily rises: a retroactive addition (deaths registered
// late, a new count folded in) rather than the day's count. The day's rise per day is held against the average of
// the seven rises before it (at least three); "far" is the metric's jump_factor, else DEFAULT_JUMP_FACTOR. After a
// flat stretch (no recent rise) nothing is measured: any rise would be infinitely far.
import { DEFAULT_JUMP_FACTOR } from '../../shared/warnings';
import { type Check, formatCount } from './check';
import { CUMULATIVE_DAYS } from './cumulativeStepDown';

export const retroactiveJump: Check = {
  kind: 'retroactive_jump',
  level: 'series',
  readsMetrics: true,
  sql: `
    WITH days AS (${CUMULATIVE_DAYS}),
    rises AS (
      SELECT d.*, d.point - lag(d.point) OVER w AS rise,
             julianday(d.date) - julianday(lag(d.date) OVER w) AS days_between,
             lag(d.ids) OVER w AS prev_ids, lag(d.date) OVER w AS prev_date
        FROM days d
      WINDOW w AS (PARTITION BY d.source_id, d.metric_id, d.location_id ORDER BY d.date)),
    rated AS (
      SELECT r.*, r.rise / r.days_between AS per_day,
             avg(r.rise / r.days_between) OVER recent AS recent_per_day,
             count(r.rise) OVER recent AS recent_rises
        FROM rises r
      WINDOW recent AS (PARTITION BY r.source_id, r.metric_id, r.location_id ORDER BY r.date ROWS BETWEEN 7 PRECEDING AND 1 PRECEDING))
    SELECT (SELECT json_group_array(value ORDER BY value) FROM (SELECT value FROM json_each(x.prev_ids) UNION SELECT value FROM json_each(x.ids))) AS figure_ids,
           json_object('source_id', x.source_id, 'metric_id', x.metric_id, 'location_id', x.location_id,
                       'rise', x.rise, 'from_date', x.prev_date, 'to_date', x.date, 'days', x.days_between,
                       'recent_per_day', round(x.recent_per_day, 1), 'factor', coalesce(m.jump_factor, ${DEFAULT_JUMP_FACTOR})) AS facts,
           NULL AS valid_until
      FROM rated x JOIN metric m ON m.id = x.metric_id
     WHERE x.recent_rises >= 3 AND x.recent_per_day > 0
       AND x.per_day > coalesce(m.jump_factor, ${DEFAULT_JUMP_FACTOR}) * x.recent_per_day`,
  message: (f, n) => {
    const days = Number(f.days);
    const times = Number(f.rise) / days / Number(f.recent_per_day);
    return (
      `${n.sources(f.source_id)} ${n.metric(f.metric_id)} (${n.location(f.location_id)}) rises by ${formatCount(f.rise)} ` +
      `from ${f.from_date} to ${f.to_date}${days === 1 ? '' : ` (${days} days)`}, ${formatCount(Math.round(times))}× its recent daily rise of ` +
      `${formatCount(f.recent_per_day)} (threshold ${formatCount(f.factor)}×): a retroactive addition?`
    );
  },
};
