// A compare as recorded on a moment, beside the same compare now: for each source, what became of the claim it made
// then (unchanged, revised, retracted, superseded by a later claim) and the sources that have a claim only now.
// Both sides are the one compare, each over its own tables; this module only lines them up.
import type Database from 'better-sqlite3';
import type { CompareChange, CompareResult, CompareRow, CompareSince, RecordedMoment } from '../../shared/api';
import { effectiveDate } from '../../shared/domain';
import { getFigureView } from './figures';

/** The fields of a compare row that say what the claim is; a difference in any is a revision. */
const CLAIM_FIELDS = ['value', 'low', 'high', 'qualifier', 'date', 'location', 'relayed_via', 'citation_id', 'excerpt', 'status'] as const;

export function thenBesideNow(db: Database.Database, then: CompareResult, now: CompareResult, moment: RecordedMoment): CompareResult {
  const nowBySource = new Map(now.rows.map((row) => [row.source_id, row]));
  const since: CompareSince[] = then.rows.map((row) => {
    const current = nowBySource.get(row.source_id) ?? null;
    const figure = current?.figure_id === row.figure_id ? current : figureNow(db, row.figure_id);
    const fields = CLAIM_FIELDS.filter((f) => (row[f] ?? null) !== (figure[f] ?? null));
    let change: CompareChange;
    if (figure.status === 'retracted') change = 'retracted';
    else if (fields.length > 0) change = 'revised';
    else change = current?.figure_id === row.figure_id ? 'unchanged' : 'superseded';
    return { source_id: row.source_id, source: row.source, change, recorded: row, now: current, fields: change === 'revised' ? [...fields] : [] };
  });
  const thenSources = new Set(then.rows.map((row) => row.source_id));
  for (const row of now.rows) {
    if (!thenSources.has(row.source_id)) since.push({ source_id: row.source_id, source: row.source, change: 'added', recorded: null, now: row, fields: [] });
  }
  return { ...then, recorded: { ...moment, now: now.rows, now_spread: now.spread, since } };
}

/** A figure as it is now, in the fields a compare row has (figures are retracted, never deleted: it is there). */
function figureNow(db: Database.Database, id: string): Pick<CompareRow, (typeof CLAIM_FIELDS)[number]> {
  const f = getFigureView(db, id);
  return {
    value: f.value,
    low: f.low,
    high: f.high,
    qualifier: f.qualifier,
    date: effectiveDate(f) ?? '',
    location: f.location ?? null,
    relayed_via: f.relayed_via ?? null,
    citation_id: f.citation_id,
    excerpt: f.excerpt,
    status: f.status,
  };
}
