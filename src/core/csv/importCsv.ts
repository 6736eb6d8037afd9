// CSV import: one pass over the file inside one transaction. Every row is read, validated and written as it
// streams by; at the end the transaction commits (no problems, or partial mode) or rolls back (a dry run, or an
// all-or-nothing import with problems). A rejected import leaves the workbook exactly as it was.
import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { ImportReport, Progress } from '../../shared/api';
import { BUILT_IN_METRICS, type Figure, type Metric } from '../../shared/domain';
import type { Problem } from '../../shared/errors';
import type { MappingParsed } from '../../shared/mapping';
import { CLAIM_KEY, type CsvColumn, FIGURE_FIELD, INPUT_FIELDS } from '../../shared/fields';
import { type Row, rowRefusal, type Transaction } from '../store/changeWriter';
import { createEntity } from '../store/entities';
import { updateFigure } from '../store/figures';
import { newId } from '../store/ids';
import { RememberingLookups } from '../store/lookups';
import { suspendIndexes } from '../store/suspendIndexes';
import { listVagueRules } from '../store/vagueRules';
import type { Workbook } from '../store/workbook';
import { fileError } from '../fsErrors';
import { type ColumnPlan, planColumns } from './columnPlan';
import { csvRecords } from './csvRecords';
import { neutralise, vagueRules } from '../../shared/cells';
import { type CsvSource, csvSourceName } from './readCsv';
import { readOutcomes } from './readInWorker';
import { figureWithRefs, plainIds } from './draftCheck';
import { NUL_REASON } from './rowOutcomes';
import { columnOfDraft, type FigureDraft } from './rowReader';

export interface ImportOptions {
  mapping?: MappingParsed;
  dryRun?: boolean;
  mode?: 'all' | 'partial';
  /** partial mode: where rejected rows go with their reasons */
  errorsPath?: string;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** read on a worker thread (true) or this one (false); default: by the file's size (readInWorker.ts) */
  worker?: boolean;
}

/** The report lists this many problems; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 1000;

export async function importCsv(workbook: Workbook, source: CsvSource, options: ImportOptions = {}): Promise<ImportReport> {
  const mode = options.mode ?? 'all';
  const dryRun = options.dryRun ?? false;
  const batchId = newId();
  const report: ImportReport = {
    batch_id: null,
    file_name: csvSourceName(source),
    sha256: '',
    dry_run: dryRun,
    mode,
    rows: 0,
    figures: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    rejected: 0,
    problems: [],
    more_problems: 0,
    new_entities: { sources: [], citations: [], locations: [], metrics: [] },
    errors_path: null,
    written: false,
    txn: null,
  };
  const addProblems = (problems: Problem[]) => {
    for (const p of problems) {
      if (report.problems.length < MAX_LISTED_PROBLEMS) report.problems.push(p);
      else report.more_problems += 1;
    }
  };

  const { tx, commit, rollback } = workbook.writer.begin({ by: workbook.user, importBatchId: batchId, why: `import of ${report.file_name}` });
  const bulk = importsAtLeastTheWorkbook(tx.db, source);
  const resolver = new Resolver(tx, new RememberingLookups(workbook.db), report, mode === 'partial', bulk);
  const errors = mode === 'partial' && !dryRun && options.errorsPath ? new ErrorsFile(options.errorsPath) : null;
  let plan: ColumnPlan | null = null;
  // read in the import's own transaction: the rule table the grid reads by, as it is now
  const vague = vagueRules(listVagueRules(tx.db));
  let headerProblem = false;
  try {
    // a bulk import builds the figure indexes once, before the commit, instead of keeping them up row by row
    const rebuildIndexes = bulk ? suspendIndexes(tx.db, 'figure') : null;
    for (const metric of options.mapping?.metrics ?? []) {
      if (!resolver.lookups.metric(metric.code)) {
        createEntity(tx, 'metric', metric);
        report.new_entities.metrics.push(metric.code);
      }
    }
    const read = await readOutcomes(
      source,
      { mapping: options.mapping, vague, keepCells: errors !== null, signal: options.signal, onProgress: options.onProgress, worker: options.worker },
      (item) => {
        if (item.kind === 'header') {
          const record = item.record;
          if (record.nulField !== null) {
            headerProblem = true;
            addProblems([{ row: 1, column: `#${record.nulField + 1}`, reason: `${NUL_REASON} in the header row` }]);
            return;
          }
          if (record.parseError) {
            // a broken quote in the header swallows the rows after it: nothing below can be read
            headerProblem = true;
            addProblems([{ row: 1, column: `#${(record.parseErrorField ?? 0) + 1}`, reason: `${record.parseError} in the header row` }]);
            return;
          }
          plan = planColumns(record.cells, options.mapping, vague);
          if (plan.problems.length) {
            headerProblem = true;
            addProblems(plan.problems);
          }
          errors?.header(plan.header);
          return;
        }
        if (headerProblem || !plan) return;
        report.rows += 1;
        const { outcome } = item;
        if (outcome.kind === 'skipped') {
          report.skipped += 1;
          return;
        }
        const problems = outcome.kind === 'rejected' ? outcome.problems : resolver.write(plan, outcome.drafts, batchId);
        if (problems.length) {
          report.rejected += 1;
          addProblems(problems);
          errors?.reject(item.cells ?? [], problems);
        }
      },
    );
    report.sha256 = read.sha256;
    if (!plan && !headerProblem) {
      headerProblem = true;
      addProblems([{ row: 1, reason: 'the file is empty: no header row' }]);
    }
    if (!headerProblem && report.rows === 0) {
      // an import of nothing would still be logged as a batch: say so instead, and write nothing
      headerProblem = true;
      addProblems([{ row: 2, reason: 'no data rows: the file has a header and nothing under it' }]);
    }
    const problemsFound = report.problems.length > 0;
    const keep = !dryRun && !headerProblem && (!problemsFound || mode === 'partial');
    if (keep) {
      rebuildIndexes?.();
      tx.logImport(batchId);
      tx.insert('import_batch', {
        id: batchId,
        file_name: report.file_name,
        sha256: report.sha256,
        rows: report.rows,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        rejected: report.rejected,
        mapping: options.mapping ? JSON.stringify(options.mapping) : null,
        mode,
        at: tx.at,
        by: tx.by,
      });
      commit();
      report.batch_id = batchId;
      report.txn = tx.txn;
      report.written = true;
      if (errors && report.rejected > 0) report.errors_path = errors.path;
    } else {
      rollback();
      // nothing was made: only a dry run reports what the import would make
      if (!dryRun) for (const names of Object.values(report.new_entities)) names.length = 0;
    }
    return report;
  } catch (error) {
    rollback();
    throw error; // as it is: the API names SQLite's own failures (a full disk is 'io', not a bug)
  } finally {
    errors?.close(report.written && report.rejected > 0);
  }
}

/** Finds or creates what a draft names, then inserts, updates or recognises its figure. */
class Resolver {
  private readonly duplicate;
  private readonly duplicateAtRow;
  private readonly rowidOf;
  /**
   * Bulk mode (see importsAtLeastTheWorkbook): a hash of the key of every figure in the workbook and of every one
   * this import writes, with its rowid. A duplicate is looked for only when its hash was seen before, and then by
   * rowid, so no index of the figure table is needed while they are suspended. A collision costs one lookup; a
   * stale entry (a figure updated since) is told apart by that lookup, and the update adds the new key.
   */
  private readonly rowidsByKeyHash: Map<number, number | number[]> | null;
  /** the file's column plan, to name a draft's columns in its problems */
  private plan: ColumnPlan | null = null;
  private readonly plainId = plainIds();

  constructor(
    private readonly tx: Transaction,
    readonly lookups: RememberingLookups,
    private readonly report: ImportReport,
    /** partial mode keeps the valid rows: each row then writes inside a savepoint, so a refused one leaves nothing */
    private readonly rowByRow: boolean,
    bulk: boolean,
  ) {
    this.duplicate = tx.db.prepare(DUPLICATE_SQL);
    this.duplicateAtRow = tx.db.prepare(`SELECT id FROM figure WHERE rowid = @rowid AND ${SAME_KEY}`);
    this.rowidOf = tx.db.prepare('SELECT rowid FROM figure WHERE id = ?').pluck();
    this.rowidsByKeyHash = bulk ? new Map() : null;
    if (bulk) {
      const existing = tx.db.prepare(`SELECT rowid, ${CLAIM_KEY.join(', ')} FROM figure WHERE status <> 'retracted'`);
      for (const figure of existing.iterate() as Iterable<Row & { rowid: number }>) this.inserted(duplicateKeyHash(figure), figure.rowid);
    }
  }

  private isDuplicate(fields: Row, keyHash: number): boolean {
    if (!this.rowidsByKeyHash) return this.duplicate.get(pick(fields, CLAIM_KEY)) !== undefined;
    const rowids = this.rowidsByKeyHash.get(keyHash);
    if (rowids === undefined) return false;
    const key = pick(fields, CLAIM_KEY);
    for (const rowid of typeof rowids === 'number' ? [rowids] : rowids) {
      if (this.duplicateAtRow.get({ ...key, rowid }) !== undefined) return true;
    }
    return false;
  }

  private inserted(keyHash: number, rowid: number): void {
    const map = this.rowidsByKeyHash;
    if (!map) return;
    const earlier = map.get(keyHash);
    if (earlier === undefined) map.set(keyHash, rowid);
    else if (typeof earlier === 'number') map.set(keyHash, [earlier, rowid]);
    else earlier.push(rowid);
  }

  /**
   * Writes a row's drafts; all of the row or none of it. Returns the row's problems. In partial mode a row refused
   * after part of it was written (its second figure, after the sources and the first figure it made) is taken back
   * to a savepoint, with the report's counts; in all-or-nothing mode any problem takes back the whole import anyway.
   */
  write(plan: ColumnPlan, drafts: FigureDraft[], batchId: string): Problem[] {
    this.plan = plan;
    if (!this.rowByRow) return this.writeRow(drafts, batchId);
    const db = this.tx.db;
    const counts = { figures: this.report.figures, created: this.report.created, updated: this.report.updated, unchanged: this.report.unchanged };
    const made = Object.fromEntries(Object.entries(this.report.new_entities).map(([k, v]) => [k, v.length])) as Record<string, number>;
    db.exec('SAVEPOINT fw_import_row');
    const problems = this.writeRow(drafts, batchId);
    if (problems.length) {
      db.exec('ROLLBACK TO fw_import_row');
      this.tx.rolledBackToSavepoint();
      Object.assign(this.report, counts);
      for (const [kind, names] of Object.entries(this.report.new_entities)) names.length = made[kind]!;
      this.lookups.forget(); // it may remember a source or citation that this row made and the savepoint took back
    }
    db.exec('RELEASE fw_import_row');
    return problems;
  }

  private writeRow(drafts: FigureDraft[], batchId: string): Problem[] {
    const resolved: Array<{ draft: FigureDraft; fields: Row }> = [];
    const problems: Problem[] = [];
    for (const draft of drafts) {
      const result = this.resolve(draft);
      if ('problems' in result) problems.push(...result.problems);
      else resolved.push({ draft, fields: result.fields });
    }
    if (problems.length) return problems;
    for (const { draft, fields } of resolved) {
      const problem = this.save(draft, fields, batchId);
      if (problem) return [problem];
    }
    return [];
  }

  private columnOf(d: FigureDraft, column: CsvColumn): string {
    return columnOfDraft(this.plan!, d.measure, column);
  }

  private resolve(d: FigureDraft): { fields: Row } | { problems: Problem[] } {
    const problems: Problem[] = [];
    const fail = (column: string, value: string | null, reason: string) =>
      problems.push({ row: d.row, column: this.columnOf(d, column as never) ?? column, value: value ?? '', reason });

    if (d.quantity.words !== null && d.vague_words !== null && d.quantity.words !== d.vague_words) {
      fail('vague_words', d.vague_words, `disagrees with the words in ${this.columnOf(d, 'value')} ("${d.quantity.words}")`);
    }
    const metric = this.metric(d, fail);
    const sourceId = this.source(d.source_id, d.source, 'source', fail);
    const relayedId = d.relayed_via || d.relayed_via_id ? this.source(d.relayed_via_id, d.relayed_via, 'relayed_via', fail) : null;
    const citationId = this.citation(d, fail);
    const locationId = d.location ? this.location(d.location) : null;
    if (problems.length || !metric || !sourceId || !citationId) return { problems };

    const refs = { metric_id: metric.id, source_id: sourceId, relayed_via_id: relayedId, citation_id: citationId, location_id: locationId };
    const checked = figureWithRefs(this.plan!, d, d.check, refs, this.plainId);
    if ('problems' in checked) return checked;
    const fields = checked.fields;
    if (fields.relayed_via_id !== null && fields.relayed_via_id === fields.source_id) {
      fail('relayed_via', d.relayed_via, 'the same as the source; a source cannot relay its own claim');
      return { problems };
    }
    return { fields };
  }

  private save(d: FigureDraft, fields: Row, batchId: string): Problem | null {
    this.report.figures += 1;
    if (d.id !== null) {
      if (d.id.length > 64 || !/^[A-Za-z0-9_-]+$/.test(d.id)) {
        return { row: d.row, column: this.columnOf(d, 'id'), value: d.id, reason: 'not a valid id (letters, digits, - and _ only)' };
      }
      const existing = this.tx.get('figure', d.id) as unknown as Figure | undefined;
      if (existing) {
        if (existing.import_batch_id === batchId && existing.import_row !== null) {
          return { row: d.row, column: this.columnOf(d, 'id'), value: d.id, reason: `the same id as row ${existing.import_row} of this file` };
        }
        const patch: Row = {};
        for (const key of INPUT_FIELDS) {
          if ((existing as unknown as Row)[key] !== fields[key]) patch[key] = fields[key];
        }
        if (Object.keys(patch).length === 0) {
          this.report.unchanged += 1;
          return null;
        }
        try {
          updateFigure(this.tx, d.id, patch);
        } catch (error) {
          const e = rowRefusal(error);
          return { row: d.row, column: this.columnOf(d, 'id'), value: d.id, reason: e.message };
        }
        if (this.rowidsByKeyHash) this.inserted(duplicateKeyHash(fields), this.rowidOf.get(d.id) as number);
        this.report.updated += 1;
        return null;
      }
    }
    const keyHash = this.rowidsByKeyHash ? duplicateKeyHash(fields) : 0;
    if (d.id === null && this.isDuplicate(fields, keyHash)) {
      this.report.unchanged += 1;
      return null;
    }
    const rowid = this.tx.insertLoggedLater('figure', fields, { id: d.id ?? newId(), import_batch_id: batchId, import_row: d.row });
    this.inserted(keyHash, rowid);
    this.report.created += 1;
    return null;
  }

  /**
   * A known metric code; an unknown one only when the row also gives its label (our own export does), so that a
   * misspelt code is refused rather than made into a new metric.
   */
  private metric(d: FigureDraft, fail: (column: string, value: string | null, reason: string) => void): Metric | null {
    const known = this.lookups.metric(d.metric);
    if (known) return known;
    if (d.metric_label === null) {
      fail(
        'metric',
        d.metric,
        `unknown metric; add it to the workbook first, or give its label in a metric_label column (built-in: ${BUILT_IN_METRICS.map((m) => m.code).join(', ')})`,
      );
      return null;
    }
    try {
      createEntity(this.tx, 'metric', { code: d.metric, label: d.metric_label, unit: d.metric_unit ?? undefined });
    } catch (error) {
      const e = rowRefusal(error);
      fail(e.place?.field === 'label' ? 'metric_label' : e.place?.field === 'unit' ? 'metric_unit' : 'metric', e.place?.value ?? d.metric, e.message);
      return null;
    }
    this.report.new_entities.metrics.push(d.metric);
    return this.lookups.metric(d.metric) ?? null;
  }

  private source(
    id: string | null,
    name: string | null,
    column: 'source' | 'relayed_via',
    fail: (column: string, value: string | null, reason: string) => void,
  ): string | null {
    if (id !== null) {
      if (this.lookups.sourceById(id)) return id;
      if (name === null) {
        fail(column === 'source' ? 'source_id' : 'relayed_via_id', id, 'no source with this id, and no source name to create it with');
        return null;
      }
      // An unknown id but a known name: the same source under another id — e.g. created by an earlier row of this
      // file that named it only as relayed_via, which carries no id. Match it by name; creating it would clash.
      const byName = this.lookups.source(name);
      if (byName && byName !== 'ambiguous' && byName.name.toLowerCase() === name.toLowerCase()) return byName.id;
      return this.createSource(name, id, fail, column);
    }
    if (name === null) {
      fail(column, '', 'required: who makes the claim');
      return null;
    }
    const found = this.lookups.source(name);
    if (found === 'ambiguous') {
      fail(column, name, 'more than one source has this short name; use the full name');
      return null;
    }
    return found ? found.id : this.createSource(name, newId(), fail, column);
  }

  private createSource(name: string, id: string, fail: (c: string, v: string | null, r: string) => void, column: string): string | null {
    try {
      createEntity(this.tx, 'source', { name }, id);
    } catch (error) {
      fail(column, name, rowRefusal(error).message);
      return null;
    }
    this.report.new_entities.sources.push(name);
    return id;
  }

  private citation(d: FigureDraft, fail: (column: string, value: string | null, reason: string) => void): string | null {
    if (d.citation_id !== null && this.lookups.citationById(d.citation_id)) return d.citation_id;
    const key = { title: d.citation_title, publisher: d.publisher, url: d.url };
    if (key.title === null && key.url === null) {
      fail(
        d.citation_id !== null ? 'citation_id' : 'citation_title',
        d.citation_id,
        d.citation_id !== null
          ? 'no citation with this id, and no title or URL to create it with'
          : 'required: the citation title or URL of the document that states the figure',
      );
      return null;
    }
    const found = this.lookups.citation(key);
    if (found) return found.id;
    try {
      const id = d.citation_id ?? newId();
      createEntity(this.tx, 'citation', { ...key, published: d.published }, id);
      this.report.new_entities.citations.push(key.title ?? key.url ?? id);
      return id;
    } catch (error) {
      const e = rowRefusal(error);
      const field = e.place?.field;
      const column = field === 'url' || field === 'published' ? field : 'citation_title';
      // the cell as written: the schema's error carries the field, not the value
      fail(column, { url: d.url, published: d.published, citation_title: d.citation_title }[column], e.message);
      return null;
    }
  }

  private location(name: string): string {
    const found = this.lookups.location(name);
    if (found) return found.id;
    const created = createEntity(this.tx, 'location', { name });
    this.report.new_entities.locations.push(name);
    return String(created.id);
  }
}

/** The same claim, not retracted: the claim key's fields agree (a NULL agreeing with a NULL). */
const SAME_KEY = [...CLAIM_KEY.map((k) => `${k} ${FIGURE_FIELD[k].required ? '=' : 'IS'} @${k}`), "status <> 'retracted'"].join(' AND ');

/** A small import's look-up of a figure with the same key (effective_date: lets figure_compare find it at once). */
export const DUPLICATE_SQL = `SELECT id FROM figure WHERE ${SAME_KEY} AND effective_date IS coalesce(@as_of, @period_end, @period_start) LIMIT 1`;

/**
 * The duplicate pre-check's hash of a figure's key fields (exported for the test that makes two keys collide):
 * FNV-1a, 32 bits, over each field's value with a mark of its type, so that null, 1 and "1" differ. A collision
 * only costs one SQL lookup by rowid.
 */
export function duplicateKeyHash(fields: Row): number {
  let hash = 0x811c9dc5;
  for (const key of CLAIM_KEY) {
    const value = fields[key] ?? null;
    hash = fnv1a(hash, value === null ? '\u0000' : typeof value === 'number' ? `\u0001${value}\u0003` : `\u0002${String(value)}\u0003`);
  }
  return hash >>> 0;
}

function fnv1a(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

function pick(row: Row, keys: readonly string[]): Row {
  const out: Row = {};
  for (const key of keys) out[key] = row[key] ?? null;
  return out;
}

/**
 * Bulk mode: the file promises at least as many rows as the workbook has figures. Rebuilding the figure indexes
 * then costs about what keeping them up would, and far less when the workbook is small (see suspendIndexes.ts).
 * A row takes 128 bytes or more in every file we know, so size ÷ 128 errs towards bulk mode.
 */
export function importsAtLeastTheWorkbook(db: Database.Database, source: CsvSource): boolean {
  const bytes = 'path' in source ? (statSync(source.path, { throwIfNoEntry: false })?.size ?? 0) : Buffer.byteLength(source.text);
  // figures are never deleted, so the largest rowid counts them (give or take rows a savepoint took back)
  const figures = db.prepare('SELECT coalesce(max(rowid), 0) FROM figure').pluck().get() as number;
  return figures <= bytes / 128;
}

/** The rejected rows of a partial import, as they were, with the reasons: fix them and import this file again. */
class ErrorsFile {
  private fd: number | null = null;
  private written = 0;

  constructor(readonly path: string) {}

  header(header: string[]): void {
    try {
      this.fd = openSync(this.path, 'w');
    } catch (error) {
      throw fileError(this.path, error, 'write the errors file (--errors)');
    }
    this.line([...header, 'error_row', 'error_column', 'error_reason']);
  }

  reject(cells: string[], problems: Problem[]): void {
    if (this.fd === null) return;
    this.line([...cells, String(problems[0]?.row ?? ''), problems.map((p) => p.column ?? '').join('; '), problems.map((p) => p.reason).join('; ')]);
    this.written += 1;
  }

  close(keep: boolean): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    if (!keep) {
      // nothing was imported (or nothing rejected): an errors file would describe an import that did not happen
      rmSync(this.path, { force: true });
    }
  }

  private line(cells: string[]): void {
    try {
      writeSync(this.fd!, csvRecords([cells.map(neutralise)]));
    } catch (error) {
      throw fileError(this.path, error, 'write the errors file (--errors)');
    }
  }
}
