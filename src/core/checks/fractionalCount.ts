// A fraction of a count: 12.5 people, 3.5 trucks. Units that measure rather than count (tonnes, litres, per cent)
// take fractions.
import { type Check, formatCount } from './check';

/** Units whose amounts may be fractions; any other unit counts things. */
export const MEASURE_UNITS = [
  'tonnes',
  'tonne',
  'tons',
  'ton',
  't',
  'kg',
  'kilograms',
  'litres',
  'liters',
  'l',
  'm3',
  'cubic metres',
  'km',
  'kilometres',
  'kilometers',
  '%',
  'percent',
  'per cent',
  'usd',
  'us$',
  'dollars',
  'eur',
  'euros',
  'ils',
  'nis',
  'hours',
  'days',
  'mw',
  'mwh',
  'kwh',
  'gallons',
  'pallets per day',
  'rate',
];

export const fractionalCount: Check = {
  kind: 'fractional_count',
  level: 'figure',
  readsMetrics: true,
  sql: `
    SELECT json_array(c.id) AS figure_ids,
           json_object('source_id', c.source_id, 'metric_id', c.metric_id, 'value', coalesce(c.value, c.low), 'high', c.high) AS facts,
           NULL AS valid_until
      FROM candidates c JOIN metric m ON m.id = c.metric_id
     WHERE lower(m.unit) NOT IN (${MEASURE_UNITS.map((u) => `'${u}'`).join(', ')})
       AND (c.value <> round(c.value) OR c.low <> round(c.low) OR c.high <> round(c.high))`,
  message: (f, n) => {
    const amount = f.high !== null && f.value !== f.high ? `${formatCount(f.value)}–${formatCount(f.high)}` : formatCount(f.value);
    return `${n.sources(f.source_id)} ${n.metric(f.metric_id)} of ${amount} ${n.unit(f.metric_id)}: a count of ${n.unit(f.metric_id)} is a whole number`;
  },
};
