// Parts above their whole, from one claimant at one location on one date: children or women killed above civilians
// or total killed; civilians and combatants together above the total. A metric's part_of names its wholes (the
// wholes of those wholes count too). The parts of one whole that do not contain one another are taken not to
// overlap, so their sum is held against the whole; where a larger part is stated (civilians), the parts within it
// (children) are left to it. Certain only: the parts' lower bounds against the whole's upper bound.
import { type Check, formatCount } from './check';

export const partsExceedWhole: Check = {
  kind: 'parts_exceed_whole',
  level: 'day',
  readsMetrics: true,
  sql: `
    WITH RECURSIVE direct(part_id, whole_id) AS (
      SELECT m.id, w.id FROM metric m, json_each(m.part_of) j JOIN metric w ON w.code = j.value
       WHERE m.part_of IS NOT NULL AND w.id <> m.id),
    closure(part_id, whole_id) AS (
      SELECT part_id, whole_id FROM direct
      UNION SELECT c.part_id, d.whole_id FROM closure c JOIN direct d ON d.part_id = c.whole_id),
    per AS (
      SELECT c.source_id, c.location_id, c.effective_date AS date, c.metric_id,
             min(c.lo) AS lo, CASE WHEN count(*) = count(c.hi) THEN max(c.hi) END AS hi,
             json_group_array(c.id) AS ids
        FROM candidates c
       WHERE c.metric_id IN (SELECT part_id FROM closure UNION SELECT whole_id FROM closure)
       GROUP BY c.source_id, c.location_id, c.effective_date, c.metric_id),
    parts AS (
      SELECT w.source_id, w.location_id, w.date, w.metric_id AS whole_id, w.hi AS whole, w.ids AS whole_ids,
             p.metric_id AS part_id, p.lo AS part, p.ids AS part_ids
        FROM per w
        JOIN closure k ON k.whole_id = w.metric_id
        JOIN per p ON p.metric_id = k.part_id AND p.source_id = w.source_id AND p.location_id IS w.location_id AND p.date = w.date
       WHERE w.hi IS NOT NULL
         AND NOT EXISTS (
           SELECT 1 FROM per q
             JOIN closure pq ON pq.part_id = p.metric_id AND pq.whole_id = q.metric_id
             JOIN closure qw ON qw.part_id = q.metric_id AND qw.whole_id = w.metric_id
            WHERE q.metric_id <> p.metric_id AND q.source_id = w.source_id AND q.location_id IS w.location_id AND q.date = w.date)),
    sums AS (
      SELECT source_id, location_id, date, whole_id, whole, whole_ids, sum(part) AS total,
             json_group_array(json_object('metric_id', part_id, 'value', part) ORDER BY (SELECT code FROM metric WHERE id = part_id)) AS parts,
             json_group_array(part_ids) AS part_id_lists
        FROM parts GROUP BY source_id, location_id, date, whole_id)
    SELECT (SELECT json_group_array(value ORDER BY value) FROM (
              SELECT value FROM json_each(s.whole_ids)
              UNION SELECT i.value FROM json_each(s.part_id_lists) l, json_each(l.value) i)) AS figure_ids,
           json_object('source_id', s.source_id, 'location_id', s.location_id, 'date', s.date, 'whole_id', s.whole_id,
                       'whole', s.whole, 'sum', s.total, 'parts', json(s.parts)) AS facts,
           NULL AS valid_until
      FROM sums s
     WHERE s.total > s.whole`,
  message: (f, n) => {
    const parts = (f.parts as Array<{ metric_id: string; value: number }>).map((p) => `${n.metric(p.metric_id)} ${formatCount(p.value)}`);
    const stated = parts.length === 1 ? `${parts[0]} exceeds` : `${parts.join(' + ')} = ${formatCount(f.sum)} exceed`;
    return `${n.source(f.source_id)}, ${n.location(f.location_id)}, ${f.date}: ${stated} ${n.metric(f.whole_id)} ${formatCount(f.whole)}`;
  },
};
