// CSV export: RFC 4180 (CRLF, quotes only where needed), UTF-8 with an optional BOM, an optional HXL hashtag row,
// streamed row by row from SQLite to a sink in constant memory. Text cells that a spreadsheet would run as a
// formula are neutralised; numbers are written as bare numbers.
import type Database from 'better-sqlite3';
import { type LogHead, readLogHead } from './exportManifest';
import type { CompareResult, Progress } from '../../shared/api';
import { CSV_COLUMNS, HXL_TAGS } from '../../shared/fields';
import { WorkbenchError } from '../../shared/errors';
import type { FigureFilterParsed } from '../../shared/schemas';
import { intervalOf } from '../../shared/quantity';
import { countFigures } from '../store/figures';
import { type FigureTables, HEAD_TABLES } from '../store/figureTables';
import { csvLine, csvRecords, Utf8Chunks } from './csvRecords';
import { exportRecords } from './exportRecords';
import { neutralise } from '../../shared/cells';

export interface CsvFormat {
  bom: boolean;
  hxl: boolean;
}

/**
 * Where the CSV goes, a chunk of UTF-8 bytes at a time; a returned promise is awaited (backpressure). The chunk's
 * memory is reused once the call returns (or its promise resolves): a sink that keeps the bytes copies them.
 */
export type CsvSink = (chunk: Buffer) => void | Promise<void>;

export interface ExportRun {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** told the change log's head as the export's read transaction sees it (for the manifest) */
  onLogHead?: (head: LogHead) => void;
  /** the tables to read, asked for inside the read transaction (as recorded on a moment: rebuilt there); the head's by default */
  tables?: () => FigureTables;
}

const PROGRESS_ROWS = 2_000;
/** In KiB, as PRAGMA cache_size takes a negative number. */
const EXPORT_CACHE_SIZE = -2_000;

/** Writes the filtered figures with their provenance columns. Returns the number of rows written. */
export async function writeFiguresCsv(
  db: Database.Database,
  filter: FigureFilterParsed,
  format: CsvFormat,
  sink: CsvSink,
  run: ExportRun = {},
): Promise<number> {
  assertFilterNamesExist(db, filter);
  const head: string[][] = [[...CSV_COLUMNS]];
  if (format.hxl) head.push(CSV_COLUMNS.map((c) => HXL_TAGS[c]));
  await sink(Buffer.from((format.bom ? '\uFEFF' : '') + csvRecords(head), 'utf8'));

  // SQLite's default page cache while the export reads, not the workbook's 64 MiB: a scan through every page gains
  // nothing from it (the OS caches the file), and filling it only raises the export's peak memory.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${EXPORT_CACHE_SIZE}`);
  try {
    // One read transaction: the names read first and the figures after are the same moment of the workbook, even if
    // another program writes meanwhile. The workbook's lock keeps our own calls off the connection across the awaits.
    db.exec('BEGIN');
    try {
      run.onLogHead?.(readLogHead(db));
      const tables = run.tables?.() ?? HEAD_TABLES;
      const total = run.onProgress ? countFigures(db, filter, tables) : null;
      const rows = await writeRecords(exportRecords(db, filter, undefined, tables), sink, run, total);
      db.exec('COMMIT');
      return rows;
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
    }
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
  }
}

/**
 * A metric or location the workbook does not have is refused as compare refuses it (the same code and words), not
 * exported as an empty file: a misspelt --metric would otherwise look like "no figures".
 */
function assertFilterNamesExist(db: Database.Database, filter: FigureFilterParsed): void {
  const known = (sql: string, value: string) => db.prepare(sql).pluck().get(value, value) !== undefined;
  for (const metric of filter.metric ?? []) {
    if (!known('SELECT 1 FROM metric WHERE code = ? OR id = ?', metric)) {
      throw new WorkbenchError('not_found', `no metric "${metric}"`, { place: { field: 'metric', value: metric } });
    }
  }
  for (const location of filter.location ?? []) {
    if (!known('SELECT 1 FROM location WHERE name = ? OR id = ?', location)) {
      throw new WorkbenchError('not_found', `no location "${location}"`, { place: { field: 'location', value: location } });
    }
  }
}

async function writeRecords(records: Iterable<string[]>, sink: CsvSink, run: ExportRun, total: number | null): Promise<number> {
  const chunks = new Utf8Chunks();
  let rows = 0;
  for (const record of records) {
    const full = chunks.add(csvLine(record));
    if (full) await sink(full);
    rows += 1;
    if (rows % PROGRESS_ROWS === 0) {
      if (run.signal?.aborted) throw new WorkbenchError('cancelled', 'export cancelled; no file was written');
      run.onProgress?.({ done: rows, total, phase: 'export' });
    }
  }
  const rest = chunks.take();
  if (rest) await sink(rest);
  run.onProgress?.({ done: rows, total: rows, phase: 'export' });
  return rows;
}

export const COMPARE_COLUMNS = [
  'metric',
  'location',
  'as_of',
  'source',
  'value',
  'low',
  'high',
  'qualifier',
  'vague_words',
  'interval_low',
  'interval_high',
  'date',
  'age_days',
  'window_days',
  'stale',
  'contested',
  'civilian_combatant_ratio',
  'relayed_via',
  'independent',
  'citation_title',
  'publisher',
  'url',
  'excerpt',
  'figure_id',
  'status',
] as const;

const COMPARE_HXL: Record<(typeof COMPARE_COLUMNS)[number], string> = {
  metric: '#indicator+code',
  location: '#loc+name',
  as_of: '#date+compared',
  source: '#org+name+reporting',
  value: '#indicator+num',
  low: '#indicator+num+min',
  high: '#indicator+num+max',
  qualifier: '#indicator+qualifier',
  vague_words: '#description+vague',
  interval_low: '#indicator+num+interval+min',
  interval_high: '#indicator+num+interval+max',
  date: '#date+reported',
  age_days: '#meta+age+days',
  window_days: '#meta+window+days',
  stale: '#meta+stale',
  contested: '#meta+contested',
  civilian_combatant_ratio: '#indicator+ratio+civilians+combatants',
  relayed_via: '#org+name+relayed',
  independent: '#meta+independent',
  citation_title: '#meta+source',
  publisher: '#org+name+publisher',
  url: '#meta+url',
  excerpt: '#description+excerpt',
  figure_id: '#meta+id',
  status: '#status',
};

const COMPARE_NUMERIC = new Set(['value', 'low', 'high', 'interval_low', 'interval_high', 'age_days', 'window_days', 'civilian_combatant_ratio']);

/**
 * The comparison table: one row per source, with the citation and words behind each figure, its age and interval,
 * and after it the same claim's relays (independent false: counted once, on the claimant's row). The stale rows
 * come after the current ones, as the view shows them apart. An empty interval_high has no upper bound.
 */
export function compareCsv(result: CompareResult, format: CsvFormat): string {
  const ratios = new Map(result.ratios.map((r) => [r.source_id, r.ratio]));
  const records = result.rows.flatMap((claim) =>
    [claim, ...claim.relays].map((row) => {
      const interval = intervalOf(row);
      const values: Record<string, unknown> = {
        ...row,
        metric: result.metric.code,
        as_of: result.as_of,
        interval_low: interval.low,
        interval_high: interval.high,
        age_days: claim.age_days,
        window_days: result.window_days,
        stale: claim.stale,
        contested: claim.contested,
        independent: row === claim,
        civilian_combatant_ratio: row === claim ? (ratios.get(row.source_id) ?? null) : null,
      };
      return COMPARE_COLUMNS.map((column) => {
        const value = values[column];
        if (value === null || value === undefined) return '';
        if (column === 'civilian_combatant_ratio') return (value as number).toFixed(3);
        return COMPARE_NUMERIC.has(column) ? String(value) : neutralise(String(value));
      });
    }),
  );
  const head: string[][] = [[...COMPARE_COLUMNS]];
  if (format.hxl) head.push(COMPARE_COLUMNS.map((c) => COMPARE_HXL[c]));
  return (format.bom ? '\uFEFF' : '') + csvRecords([...head, ...records]);
}
