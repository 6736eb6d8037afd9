// The export's records: each figure's cells in CSV_COLUMNS order, numbers bare, text guarded against formulas.
//
// Metrics, sources, locations and citations are read once and their cells made once; each figure row carries only
// their ids. On 1,000,000 figures (2,000 citations) this spares five index lookups and 11 strings per row: the scan
// took ~9.3 s with the citation join alone and ~16 s with all five joins, against ~7.9 s without. Citations grow
// with the figures, so past CITATIONS_IN_MEMORY they stay a join. The cells are those of figureCsvQuery (the joined
// query); tests/unit/csv.export.test.ts holds both paths to it.
import type Database from 'better-sqlite3';
import { WorkbenchError } from '../../shared/errors';
import type { FigureFilterParsed } from '../../shared/schemas';
import { FIGURE_ORDER, figureWhere } from '../store/figures';
import { neutralise } from './formula';

const text = (value: unknown): string => (value === null || value === undefined ? '' : neutralise(String(value)));
const number = (value: unknown): string => (value === null || value === undefined ? '' : numberText(value));

/**
 * A number with the digits String(n) gives. Safe integers go through toFixed(0), which writes the same digits for
 * them (above 2^53 it writes the exact value, not the shortest that reads back). String keeps each string it makes
 * in V8's number-string cache, so every figure's value outlived the young generation and was promoted as garbage:
 * a 1,000,000-figure export's heap grew by ~25 MiB.
 */
export function numberText(value: unknown): string {
  return Number.isSafeInteger(value) ? (value as number).toFixed(0) : String(value);
}

/** The figure row, in this order: the figure's own columns and its citation's. */
const ROW = [
  'f.id',
  'f.metric_id',
  'f.value',
  'f.low',
  'f.high',
  'f.qualifier',
  'f.location_id',
  'f.as_of',
  'f.period_start',
  'f.period_end',
  'f.source_id',
  'f.citation_id',
  'c.title',
  'c.publisher',
  'c.url',
  'c.published', // NULL when the citations are in memory
  'f.excerpt',
  'f.method',
  'f.status',
  'f.note',
  'f.relayed_via_id',
  'f.confidence',
  'f.retracted_reason',
] as const;
const at = Object.fromEntries(ROW.map((column, i) => [column, i])) as Record<(typeof ROW)[number], number>;

interface MetricCells {
  code: string;
  label: string;
  unit: string;
}

/** Citation cells: title, publisher, url, published. */
type CitationCells = readonly [string, string, string, string];

/** Cells of the tables a figure names, by id; citations only when there are at most citationsInMemory. */
interface Catalog {
  metrics: Map<string, MetricCells>;
  sources: Map<string, string>;
  locations: Map<string, string>;
  citations: Map<string, CitationCells> | null;
}

/** ~500 bytes each: at most ~25 MB held for the length of an export. */
export const CITATIONS_IN_MEMORY = 50_000;

function readCatalog(db: Database.Database, citationsInMemory: number): Catalog {
  const metrics = new Map<string, MetricCells>();
  for (const m of db.prepare('SELECT id, code, label, unit FROM metric').all() as Array<Record<string, unknown>>) {
    metrics.set(m.id as string, { code: text(m.code), label: text(m.label), unit: text(m.unit) });
  }
  const names = (table: string) =>
    new Map((db.prepare(`SELECT id, name FROM ${table}`).raw(true).all() as Array<[string, unknown]>).map(([id, name]) => [id, text(name)]));
  const citationCount = db.prepare('SELECT count(*) FROM citation').pluck().get() as number;
  let citations: Map<string, CitationCells> | null = null;
  if (citationCount <= citationsInMemory) {
    const rows = db.prepare('SELECT id, title, publisher, url, published FROM citation').raw(true).all() as unknown[][];
    citations = new Map(rows.map(([id, ...cells]) => [id as string, cells.map(text) as unknown as CitationCells]));
  }
  return { metrics, sources: names('source'), locations: names('location'), citations };
}

function missing(row: unknown[], what: string, id: unknown): never {
  throw new WorkbenchError('corrupt', `figure ${String(row[at['f.id']])}: its ${what} ${String(id)} is not in the workbook; run Check workbook`);
}

/**
 * The filtered figures' records, in export order. Read in one transaction by the caller, so the catalog and the
 * figures are the same moment of the workbook.
 */
export function* exportRecords(
  db: Database.Database,
  filter: FigureFilterParsed,
  citationsInMemory = CITATIONS_IN_MEMORY,
): Generator<string[]> {
  const catalog = readCatalog(db, citationsInMemory);
  const citations = catalog.citations;
  const where = figureWhere(filter);
  const columns = citations ? ROW.map((column) => (column.startsWith('c.') ? 'NULL' : column)) : ROW;
  const join = citations ? '' : 'JOIN citation c ON c.id = f.citation_id';
  const sql = `SELECT ${columns.join(', ')} FROM figure f ${join} ${where.sql} ${FIGURE_ORDER}`;
  for (const row of db.prepare(sql).raw(true).iterate(...where.params) as IterableIterator<unknown[]>) {
    const citationId = row[at['f.citation_id']] as string;
    const citation: CitationCells = citations
      ? (citations.get(citationId) ?? missing(row, 'citation', citationId))
      : [text(row[at['c.title']]), text(row[at['c.publisher']]), text(row[at['c.url']]), text(row[at['c.published']])];
    const metric = catalog.metrics.get(row[at['f.metric_id']] as string) ?? missing(row, 'metric', row[at['f.metric_id']]);
    const source = catalog.sources.get(row[at['f.source_id']] as string) ?? missing(row, 'source', row[at['f.source_id']]);
    const locationId = row[at['f.location_id']];
    const location = locationId === null ? '' : (catalog.locations.get(locationId as string) ?? missing(row, 'location', locationId));
    const relayedId = row[at['f.relayed_via_id']];
    const relayedVia = relayedId === null ? '' : (catalog.sources.get(relayedId as string) ?? missing(row, 'relaying source', relayedId));
    // In CSV_COLUMNS order (a literal array, not an object looked up per column: this loop runs once per figure).
    yield [
      text(row[at['f.id']]),
      metric.code,
      number(row[at['f.value']]),
      number(row[at['f.low']]),
      number(row[at['f.high']]),
      text(row[at['f.qualifier']]),
      location,
      text(row[at['f.as_of']]),
      text(row[at['f.period_start']]),
      text(row[at['f.period_end']]),
      source,
      citation[0],
      citation[1],
      citation[2],
      citation[3],
      text(row[at['f.excerpt']]),
      text(row[at['f.method']]),
      text(row[at['f.status']]),
      text(row[at['f.note']]),
      relayedVia,
      text(row[at['f.confidence']]),
      text(row[at['f.retracted_reason']]),
      text(row[at['f.source_id']]),
      text(citationId),
      text(relayedId),
      metric.label,
      metric.unit,
    ];
  }
}
