// The export's records: each figure's cells in CSV_COLUMNS order (the field registry), numbers bare, text guarded
// against formulas.
//
// Metrics, sources, locations and citations are read once and their cells made once; each figure row carries only
// their ids, which spares the scan its joins. Citations grow with the figures, so past CITATIONS_IN_MEMORY they stay
// a join. The cells are those of figureCsvQuery (the joined query); tests/unit/csv.export.test.ts holds both paths
// to it.
import type Database from 'better-sqlite3';
import { WorkbenchError } from '../../shared/errors';
import type { FigureFilterParsed } from '../../shared/schemas';
import { CSV_COLUMNS, CSV_SPEC, FIGURE_FIELDS, type RefEntity } from '../../shared/fields';
import { FIGURE_ORDER, figureWhere } from '../store/figures';
import { type FigureTables, HEAD_TABLES } from '../store/figureTables';
import { neutralise } from '../../shared/cells';

const text = (value: unknown): string => (value === null || value === undefined ? '' : neutralise(String(value)));
const number = (value: unknown): string => (value === null || value === undefined ? '' : numberText(value));

/**
 * A number with the digits String(n) gives. Safe integers go through toFixed(0), which writes the same digits for
 * them (above 2^53 it writes the exact value, not the shortest that reads back). String keeps each string it makes
 * in V8's number-string cache, so every figure's value would outlive the young generation and be promoted as
 * garbage, and a large export's heap would grow with it.
 */
export function numberText(value: unknown): string {
  return Number.isSafeInteger(value) ? (value as number).toFixed(0) : String(value);
}

type Ref = 'metric_id' | 'source_id' | 'relayed_via_id' | 'citation_id' | 'location_id';
const TABLE: Record<Ref, RefEntity> = {
  metric_id: 'metric',
  source_id: 'source',
  relayed_via_id: 'source',
  citation_id: 'citation',
  location_id: 'location',
};

/** The columns of each referenced table that the CSV names (metric: code, label, unit; citation: title, …). */
const NAMED: Record<RefEntity, string[]> = { metric: [], source: [], citation: [], location: [] };
for (const c of CSV_COLUMNS) {
  const spec = CSV_SPEC[c];
  if (spec.type === 'name' && !NAMED[TABLE[spec.ref]].includes(spec.column)) NAMED[TABLE[spec.ref]].push(spec.column);
}

/** A referenced row's cells, by column. */
type Cells = Record<string, string>;

/** Cells of the tables a figure names, by id; citations only when there are at most citationsInMemory. */
type Catalog = Record<RefEntity, Map<string, Cells> | null>;

/** Past this many citations the export joins them rather than hold them all in memory. */
export const CITATIONS_IN_MEMORY = 50_000;

function readCatalog(db: Database.Database, citationsInMemory: number, t: FigureTables): Catalog {
  const read = (table: RefEntity) => {
    const columns = NAMED[table];
    const rows = db
      .prepare(`SELECT id, ${columns.join(', ')} FROM ${t[table]}`)
      .raw(true)
      .all() as unknown[][];
    return new Map(rows.map(([id, ...cells]) => [id as string, Object.fromEntries(columns.map((c, i) => [c, text(cells[i])]))]));
  };
  const citationCount = db.prepare(`SELECT count(*) FROM ${t.citation}`).pluck().get() as number;
  return { metric: read('metric'), source: read('source'), location: read('location'), citation: citationCount <= citationsInMemory ? read('citation') : null };
}

/**
 * The filtered figures' records, in export order. Read in one transaction by the caller, so the catalog and the
 * figures are the same moment of the workbook.
 */
export function* exportRecords(
  db: Database.Database,
  filter: FigureFilterParsed,
  citationsInMemory = CITATIONS_IN_MEMORY,
  t: FigureTables = HEAD_TABLES,
): Generator<string[]> {
  const catalog = readCatalog(db, citationsInMemory, t);
  // The figure's own columns, then (when the citations stay a join) the citation's.
  const select = FIGURE_FIELDS.filter((f) => 'hxl' in f || f.kind === 'ref').map((f) => `f.${f.name}`);
  const at = new Map(select.map((column, i) => [column.slice(2), i]));
  const joined = catalog.citation === null ? NAMED.citation.map((c) => `c.${c}`) : [];
  joined.forEach((column, i) => at.set(column, select.length + i));
  const refs = Object.keys(TABLE) as Ref[];
  const refAt = refs.map((ref) => at.get(ref)!);
  const citationRef = refs.indexOf('citation_id');
  const cells = CSV_COLUMNS.map((c): ((row: unknown[], found: Array<Cells | null>) => string) => {
    const spec = CSV_SPEC[c];
    if (spec.type === 'name') {
      const ref = refs.indexOf(spec.ref);
      if (ref === citationRef && catalog.citation === null) {
        const index = at.get(`c.${spec.column}`)!;
        return (row) => text(row[index]);
      }
      return (_row, found) => found[ref]?.[spec.column] ?? '';
    }
    const index = at.get(spec.name)!;
    return 'numeric' in spec && spec.numeric ? (row) => number(row[index]) : (row) => text(row[index]);
  });
  const join = catalog.citation === null ? `JOIN ${t.citation} c ON c.id = f.citation_id` : '';
  const where = figureWhere(filter, t);
  const sql = `SELECT ${[...select, ...joined].join(', ')} FROM ${t.figure} f ${join} ${where.sql} ${FIGURE_ORDER}`;
  for (const row of db
    .prepare(sql)
    .raw(true)
    .iterate(...where.params) as IterableIterator<unknown[]>) {
    const found = refs.map((ref, i) => {
      const id = row[refAt[i]!];
      if (id === null) return null;
      const table = catalog[TABLE[ref]];
      if (table === null) return null;
      return table.get(id as string) ?? missing(row, at.get('id')!, TABLE[ref], id);
    });
    yield cells.map((cell) => cell(row, found));
  }
}

function missing(row: unknown[], idAt: number, what: string, id: unknown): never {
  throw new WorkbenchError('corrupt', `figure ${String(row[idAt])}: its ${what} ${String(id)} is not in the workbook; run Check workbook`);
}
