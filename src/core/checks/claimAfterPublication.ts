// A claim dated after the document that states it was published: an as-of date (or a period's start) past the
// citation's published date. Dates of month or year precision are compared only where they cannot overlap (a claim
// of 2024-06 after a citation of 2024-05-31). A projection states what is expected, so it may be dated later.
import type { Check } from './check';

/** The first day a claim date can mean (2024-05 → 2024-05-01) and, with '-99-99', a bound above its last. */
export const firstDay = (column: string) => `substr(${column} || '-01-01', 1, 10)`;
const pastLastDay = (column: string) => `substr(${column} || '-99-99', 1, 10)`;

export const claimAfterPublication: Check = {
  kind: 'claim_after_publication',
  level: 'figure',
  readsMetrics: false,
  sql: `
    SELECT json_array(c.id) AS figure_ids,
           json_object('source_id', c.source_id, 'metric_id', c.metric_id, 'date', coalesce(c.as_of, c.period_start), 'published', t.published) AS facts,
           NULL AS valid_until
      FROM candidates c JOIN citation t ON t.id = c.citation_id
     WHERE t.published IS NOT NULL AND c.method IS NOT 'projection'
       AND ${firstDay('coalesce(c.as_of, c.period_start)')} > ${pastLastDay('t.published')}`,
  message: (f, n) => `${n.sources(f.source_id)} ${n.metric(f.metric_id)} is dated ${f.date}, after its citation was published (${f.published})`,
};
