// An excerpt that does not state its figure's number, read as people write it (20,000; 20 000; 20.000 where the
// text writes numbers so; ٢٠٬٠٠٠; 20 thousand; both ends of a range for a range) by the one cell reader. Found in
// code, a page of figures at a time: a text is no thing SQL can read numbers in.
import type Database from 'better-sqlite3';
import { statesQuantity } from '../../shared/textNumbers';
import { type Check, formatCount } from './check';

const PAGE = 5000;

export const excerptMismatch: Check = {
  kind: 'excerpt_mismatch',
  level: 'figure',
  readsMetrics: false,
  find: (db: Database.Database, candidates: string, emit) => {
    const page = db.prepare(
      `SELECT c.id, c.source_id, c.metric_id, c.value, c.low, c.high, c.excerpt FROM (${candidates}) c WHERE c.excerpt IS NOT NULL AND c.excerpt <> '' AND c.id > ? ORDER BY c.id LIMIT ${PAGE}`,
    );
    let after = '';
    for (;;) {
      const rows = page.all(after) as Array<{
        id: string;
        source_id: string;
        metric_id: string;
        value: number | null;
        low: number | null;
        high: number | null;
        excerpt: string;
      }>;
      for (const f of rows) {
        if (statesQuantity(f.excerpt, f)) continue;
        emit({
          figure_ids: JSON.stringify([f.id]),
          facts: JSON.stringify({ source_id: f.source_id, metric_id: f.metric_id, value: f.value, low: f.low, high: f.high }),
          valid_until: null,
        });
      }
      if (rows.length < PAGE) return;
      after = rows.at(-1)!.id;
    }
  },
  message: (f, n) => {
    const range = f.low !== null ? `${formatCount(f.low)}–${formatCount(f.high)}` : null;
    const stated = f.value !== null ? (range ? `${formatCount(f.value)} (or ${range})` : formatCount(f.value)) : range;
    return `${n.sources(f.source_id)} ${n.metric(f.metric_id)}: the excerpt does not state ${stated}`;
  },
};
