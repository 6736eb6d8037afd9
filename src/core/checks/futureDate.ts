// A claim dated after today. It holds until the day before its date, and is shown only until then.
import type { Check } from './check';
import { firstDay } from './claimAfterPublication';

const latest = 'max(coalesce(c.as_of, c.period_end, c.period_start), coalesce(c.period_end, c.period_start, c.as_of), coalesce(c.period_start, c.as_of))';

export const futureDate: Check = {
  kind: 'future_date',
  level: 'figure',
  readsMetrics: false,
  sql: `
    SELECT json_array(c.id) AS figure_ids, json_object('source_id', c.source_id, 'metric_id', c.metric_id, 'date', ${latest}) AS facts,
           date(${firstDay(latest)}, '-1 day') AS valid_until
      FROM candidates c
     WHERE ${firstDay(latest)} > @today`,
  message: (f, n) => `${n.sources(f.source_id)} ${n.metric(f.metric_id)} is dated ${f.date}, after today (${n.today})`,
};
