// The same claim stated twice: one claimant, metric, location, date and value (and qualifier) in more than one
// figure — relayed by two outlets (two citations), or entered twice. One claim counted twice looks like two
// sources agreeing.
import { type Check, formatCount } from './check';

export const duplicateClaim: Check = {
  kind: 'duplicate_claim',
  level: 'claim',
  readsMetrics: false,
  sql: `
    SELECT json_group_array(c.id ORDER BY c.id) AS figure_ids,
           json_object('source_id', c.source_id, 'metric_id', c.metric_id, 'location_id', c.location_id,
                       'date', c.effective_date, 'value', c.value, 'low', c.low, 'high', c.high,
                       'figures', count(*), 'citations', count(DISTINCT c.citation_id)) AS facts,
           NULL AS valid_until
      FROM candidates c
     GROUP BY c.source_id, c.metric_id, c.location_id, c.effective_date, c.value, c.low, c.high, c.qualifier
    HAVING count(*) > 1`,
  message: (f, n) => {
    const value = f.value !== null ? formatCount(f.value) : `${formatCount(f.low)}–${formatCount(f.high)}`;
    const from = Number(f.citations) > 1 ? `from ${f.citations} citations` : 'twice from one citation';
    return `${n.sources(f.source_id)} ${n.metric(f.metric_id)} (${n.location(f.location_id)}) of ${value} on ${f.date} is stated ${f.figures} times, ${from}: one claim, relayed or entered twice?`;
  },
};
