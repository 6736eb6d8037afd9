// Figures: the claims themselves. Read as FigureView (with the names a reader needs); written through a Transaction.
import type Database from 'better-sqlite3';
import type { Figure, FigureView } from '../../shared/domain';
import { WorkbenchError, type Problem } from '../../shared/errors';
import { FigureFields, type FigureFieldsParsed, type FigureFilterParsed, FigurePatch, zodProblems } from '../../shared/schemas';
import type { ChangeContext, Row, Transaction } from './changeWriter';
import { newId } from './ids';
import { CSV_COLUMNS, CSV_SPEC, type CsvColumn, FIGURE_FIELDS, INPUT_FIELDS } from '../../shared/fields';
import { type FigureTables, HEAD_TABLES } from './figureTables';

/** The alias each reference is joined under. */
const JOINED: Record<'metric_id' | 'source_id' | 'relayed_via_id' | 'citation_id' | 'location_id', string> = {
  metric_id: 'm',
  source_id: 's',
  relayed_via_id: 'rv',
  citation_id: 'c',
  location_id: 'l',
};

/** A figure and the tables that name what it refers to (the head's, or as recorded on a moment). */
export function figureJoins(t: FigureTables = HEAD_TABLES): string {
  return `
    FROM ${t.figure} f
    JOIN ${t.metric} m ON m.id = f.metric_id
    JOIN ${t.source} s ON s.id = f.source_id
    LEFT JOIN ${t.source} rv ON rv.id = f.relayed_via_id
    JOIN ${t.citation} c ON c.id = f.citation_id
    LEFT JOIN ${t.location} l ON l.id = f.location_id`;
}
export const FIGURE_JOINS = figureJoins();

/** The figure's effective_date, as migrations/0001_init.sql generates it: the date compare and series pick by. */
export const EFFECTIVE_DATE_SQL = 'coalesce(as_of, period_end, period_start)';

/** Where each column of the workbook's CSV comes from, over FIGURE_JOINS. */
export const CSV_COLUMN_SQL = Object.fromEntries(
  CSV_COLUMNS.map((c) => {
    const spec = CSV_SPEC[c];
    return [c, spec.type === 'name' ? `${JOINED[spec.ref]}.${spec.column}` : `f.${spec.name}`];
  }),
) as Record<CsvColumn, string>;

const STAMPS = ['created_at', 'created_by', 'updated_at', 'updated_by'];
const NAME_COLUMNS = CSV_COLUMNS.filter((c) => CSV_SPEC[c].type === 'name');

/** FigureView: the figure's own fields and the names of what it refers to (the CSV's name columns). */
function figureViewSelect(t: FigureTables = HEAD_TABLES): string {
  return `
  SELECT ${[...FIGURE_FIELDS.map((f) => `f.${f.name}`), ...STAMPS.map((s) => `f.${s}`), ...NAME_COLUMNS.map((c) => `${CSV_COLUMN_SQL[c]} AS ${c}`)].join(', ')}
  ${figureJoins(t)}`;
}
export const FIGURE_VIEW_SELECT = figureViewSelect();

/** The figures of a filter as CSV_COLUMNS, in export order. */
export function figureCsvQuery(filter: FigureFilterParsed, t: FigureTables = HEAD_TABLES): { sql: string; params: unknown[] } {
  const where = figureWhere(filter, t);
  const columns = CSV_COLUMNS.map((c) => `${CSV_COLUMN_SQL[c]} AS "${c}"`).join(', ');
  return { sql: `SELECT ${columns} ${figureJoins(t)} ${where.sql} ${FIGURE_ORDER}`, params: where.params };
}

export function countFigures(db: Database.Database, filter: FigureFilterParsed, t: FigureTables = HEAD_TABLES): number {
  const where = figureWhere(filter, t);
  return db
    .prepare(`SELECT count(*) FROM ${t.figure} f ${where.sql}`)
    .pluck()
    .get(...where.params) as number;
}

/**
 * Chronological, then in the order figures were created (ids are UUIDv7): the same order for the same data, so
 * exports are reproducible; served by the figure_date index, so a large export streams without a sort.
 */
export const FIGURE_ORDER = 'ORDER BY f.effective_date, f.id';

/** The figures (not retracted) of each source or citation: a scan of figure_source or figure_citation alone. */
export function figureCountsBy(column: 'source_id' | 'citation_id'): string {
  return `SELECT ${column}, count(*) AS figures FROM figure WHERE status <> 'retracted' GROUP BY ${column}`;
}

export interface SqlWhere {
  sql: string;
  params: unknown[];
}

/**
 * The WHERE clause of a figure filter, on figure f alone (names become id subqueries), so a count needs no joins.
 * Names or ids are accepted for metric, source and location.
 */
export function figureWhere(filter: FigureFilterParsed, t: FigureTables = HEAD_TABLES): SqlWhere {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const anyOf = (values: string[] | undefined, column: string, table: keyof FigureTables, keys: string[]) => {
    if (!values?.length) return;
    const marks = values.map(() => '?').join(', ');
    clauses.push(`${column} IN (SELECT id FROM ${t[table]} WHERE ${keys.map((k) => `${k} IN (${marks})`).join(' OR ')})`);
    for (const _ of keys) params.push(...values);
  };
  anyOf(filter.metric, 'f.metric_id', 'metric', ['code', 'id']);
  anyOf(filter.source, 'f.source_id', 'source', ['name', 'short_name', 'id']);
  anyOf(filter.location, 'f.location_id', 'location', ['name', 'id']);
  if (filter.citation_id) {
    clauses.push('f.citation_id = ?');
    params.push(filter.citation_id);
  }
  if (filter.ids) {
    clauses.push(`f.id IN (${filter.ids.map(() => '?').join(', ') || 'NULL'})`);
    params.push(...filter.ids);
  }
  if (filter.status?.length) {
    clauses.push(`f.status IN (${filter.status.map(() => '?').join(', ')})`);
    params.push(...filter.status);
  } else if (!filter.include_retracted) {
    clauses.push("f.status <> 'retracted'");
  }
  if (filter.from) {
    clauses.push('f.effective_date >= ?');
    params.push(filter.from);
  }
  if (filter.to) {
    // "to 2024-05" includes every day of May: compare against the end of the stated precision.
    clauses.push('f.effective_date <= ?');
    params.push(endOfPrecision(filter.to));
  }
  if (filter.after) {
    // row values: the same order as FIGURE_ORDER, so paging walks the figure_date index
    clauses.push('(f.effective_date, f.id) > (?, ?)');
    params.push(filter.after.date, filter.after.id);
  }
  if (filter.search) {
    const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const matches = (...columns: string[]) => columns.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ');
    // Each name is looked up once in its own small table; the figure table is read in one pass, matching ids by
    // the lists those lookups give (no join per figure, and no index on figure is lost to an OR across tables).
    const named: Array<[string, keyof FigureTables, string[]]> = [
      ['f.metric_id', 'metric', ['code', 'label']],
      ['f.source_id', 'source', ['name', 'short_name']],
      ['f.relayed_via_id', 'source', ['name', 'short_name']],
      ['f.citation_id', 'citation', ['title', 'publisher', 'url']],
      ['f.location_id', 'location', ['name']],
    ];
    clauses.push(
      `(${[matches('f.excerpt', 'f.note'), ...named.map(([column, table, names]) => `${column} IN (SELECT id FROM ${t[table]} WHERE ${matches(...names)})`)].join(' OR ')})`,
    );
    params.push(like, like, ...named.flatMap(([, , names]) => names.map(() => like)));
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** '2024' → '2024-12-31', '2024-05' → '2024-05-31'; a full date stays. Text comparison then includes the period. */
export function endOfPrecision(date: string): string {
  if (date.length === 4) return `${date}-12-31`;
  if (date.length === 7) return `${date}-31`;
  return date;
}

export function listFigures(db: Database.Database, filter: FigureFilterParsed, t: FigureTables = HEAD_TABLES): { rows: FigureView[]; total: number | null } {
  const where = figureWhere(filter, t);
  const page = filter.limit !== undefined ? ` LIMIT ${filter.limit} OFFSET ${filter.offset ?? 0}` : '';
  // As recorded on a moment, the figures are a union that SQLite would read whole under joins and an ORDER BY: the
  // page's ids come from it alone (in index order), and their rows by id.
  const sql =
    t === HEAD_TABLES
      ? `${figureViewSelect(t)} ${where.sql} ${FIGURE_ORDER}${page}`
      : `WITH page AS (SELECT f.id, f.effective_date FROM ${t.figure} f ${where.sql} ${FIGURE_ORDER}${page})
         ${figureViewSelect({ ...t, figure: t.figureById })} JOIN page p ON p.id = f.id ORDER BY p.effective_date, p.id`;
  const rows = db.prepare(sql).all(...where.params) as FigureView[];
  const total = filter.after ? null : filter.limit === undefined ? rows.length : countFigures(db, filter, t);
  return { rows, total };
}

/**
 * The ids of a filter's figures, in no set order: the same WHERE as listFigures, without reading the rows. Unordered,
 * a search reads the table front to back; in list order it would read it in figure_date's order, page by page.
 */
export function figureIds(db: Database.Database, filter: FigureFilterParsed, t: FigureTables = HEAD_TABLES): string[] {
  const where = figureWhere(filter, t);
  return db
    .prepare(`SELECT f.id FROM ${t.figure} f ${where.sql}`)
    .pluck()
    .all(...where.params) as string[];
}

/** One prepared statement per connection: every edit answers with its figure, and preparing the joins costs more than running them. */
const figureViewById = new WeakMap<Database.Database, Database.Statement>();

export function getFigureView(db: Database.Database, id: string): FigureView {
  let statement = figureViewById.get(db);
  if (!statement) figureViewById.set(db, (statement = db.prepare(`${FIGURE_VIEW_SELECT} WHERE f.id = ?`)));
  const row = statement.get(id) as FigureView | undefined;
  if (!row) throw new WorkbenchError('not_found', `no figure with id ${id}`, { place: { field: 'id', value: id } });
  return row;
}

const FIGURE_FIELD_NAMES: Array<keyof FigureFieldsParsed> = INPUT_FIELDS;

/** The references a figure holds must exist; each missing one is a problem naming its field. */
function referenceProblems(tx: Transaction, f: FigureFieldsParsed): Problem[] {
  const problems: Problem[] = [];
  const need = (field: keyof FigureFieldsParsed, entity: 'metric' | 'source' | 'citation' | 'location') => {
    const id = f[field] as string | null;
    if (id !== null && !tx.get(entity, id)) problems.push({ field, value: id, reason: `no ${entity} with this id` });
  };
  need('metric_id', 'metric');
  need('source_id', 'source');
  need('relayed_via_id', 'source');
  need('citation_id', 'citation');
  need('location_id', 'location');
  if (f.relayed_via_id !== null && f.relayed_via_id === f.source_id) {
    problems.push({ field: 'relayed_via_id', reason: 'a source cannot relay its own claim; leave relayed via empty' });
  }
  return problems;
}

export function validateNewFigure(input: unknown, row?: number): { figure?: FigureFieldsParsed; problems: Problem[] } {
  const parsed = FigureFields.safeParse(input);
  if (!parsed.success) return { problems: zodProblems(parsed.error, { row }) };
  if (parsed.data.status === 'retracted') {
    return { problems: [{ row, field: 'status', value: 'retracted', reason: 'a new figure cannot start retracted' }] };
  }
  return { figure: parsed.data, problems: [] };
}

export function insertFigure(
  tx: Transaction,
  figure: FigureFieldsParsed,
  extra: { id?: string; import_batch_id?: string | null; import_row?: number | null; stamps?: Row } = {},
): Row {
  const problems = referenceProblems(tx, figure);
  if (problems.length) throw invalid(problems);
  return tx.insert('figure', {
    ...figure,
    ...extra.stamps,
    id: extra.id ?? newId(),
    import_batch_id: extra.import_batch_id ?? null,
    import_row: extra.import_row ?? null,
  });
}

/** Merges the patch into the figure, re-checks the whole figure, and writes what changed. */
export function updateFigure(tx: Transaction, id: string, patchInput: unknown, overrides: ChangeContext | null = null): Row {
  const patchParsed = FigurePatch.safeParse(patchInput);
  if (!patchParsed.success) throw invalid(zodProblems(patchParsed.error));
  const current = tx.require('figure', id) as unknown as Figure;
  const patch: Row = { ...patchParsed.data };
  if (patch.status !== undefined && patch.status !== 'retracted' && current.status === 'retracted') {
    patch.retracted_reason ??= null;
  }
  const merged = FigureFields.safeParse(pick({ ...current, ...patch }, FIGURE_FIELD_NAMES));
  if (!merged.success) throw invalid(zodProblems(merged.error));
  const problems = referenceProblems(tx, merged.data);
  if (problems.length) throw invalid(problems);
  const op = merged.data.status === 'retracted' && current.status !== 'retracted' ? 'retract' : 'update';
  return tx.update('figure', id, pick(merged.data as unknown as Row, Object.keys(patch)), op, overrides);
}

export function retractFigure(tx: Transaction, id: string, reason: string): Row {
  const current = tx.require('figure', id) as unknown as Figure;
  if (current.status === 'retracted') {
    throw new WorkbenchError('conflict', `figure ${id} is already retracted (${current.retracted_reason})`);
  }
  return tx.update('figure', id, { status: 'retracted', retracted_reason: reason }, 'retract');
}

export function invalid(problems: Problem[]): WorkbenchError {
  const first = problems[0];
  const message = problems.length === 1 && first ? first.reason : `${problems.length} problems`;
  return new WorkbenchError('validation', message, { place: first, problems });
}

function pick(row: Row, keys: readonly string[]): Row {
  const out: Row = {};
  for (const k of keys) if (k in row) out[k] = row[k];
  return out;
}
