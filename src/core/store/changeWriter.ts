// The single write path. Every insert, update, retraction and delete of every entity goes through a Transaction,
// which writes the change and its change_log entry (the reverse delta, who, when, why, import batch, the hashes)
// together. The format is described in migrations/0002_reverse_delta_log.sql.
import type Database from 'better-sqlite3';
import { newId } from './ids';
import type { ChangeOp, Entity } from '../../shared/domain';
import { WorkbenchError } from '../../shared/errors';
import { BatchStateHash, entryHash, type Row, stateHash } from './logChain';

export type { Row };
/** What change_log's op column holds: the API's ops, and 'import' (one entry for every figure an import inserted). */
export type LoggedOp = ChangeOp | 'import';

export interface ChangeContext {
  by: string;
  why?: string | null;
  importBatchId?: string | null;
  /** set on changes that reverse an earlier one */
  undoes?: number | null;
  /** a transaction of another workbook applied here (a merge, a sync): its own txn id, instead of a new one */
  txn?: string;
  /** ... and its own time, which the row stamps of its changes carry too, so both files hold the same rows */
  at?: string;
}

interface EntityStatements {
  columns: string[];
  select: Database.Statement;
  insert: Database.Statement;
  remove: Database.Statement;
  updates: Map<string, Database.Statement>;
}

const STAMP_COLUMNS = new Set(['created_at', 'created_by', 'updated_at', 'updated_by']);

/** Where a figure stood before a write: what the checks group figures by. */
export interface FigureKeys {
  source_id: unknown;
  metric_id: unknown;
  location_id: unknown;
  /** its effective date */
  date: unknown;
}

/** What a transaction wrote that the checks read: the figures (with where each stood before), citations, metrics. */
export interface Touched {
  /** each figure written, with its keys before the transaction (null: it is new) */
  figures: Map<string, FigureKeys | null>;
  /** more figures were written than are kept here (TOUCHED_FIGURES_KEPT): the checks look at every figure */
  everything: boolean;
  citations: Set<string>;
  metrics: boolean;
  /** imports: the batch and the rowid of its first figure (its figures are that rowid and after) */
  imports: Array<{ batchId: string; firstRowid: number }>;
}

/** Past this many figures in one write, keeping where each stood costs more memory than looking at them all. */
const TOUCHED_FIGURES_KEPT = 100_000;

export class ChangeWriter {
  /** Runs last in every transaction, before the commit: what must change with the data (the warnings) does. */
  beforeCommit: ((tx: Transaction) => void) | null = null;
  private readonly entities = new Map<Entity, EntityStatements>();
  private readonly prepared = new Map<string, Database.Statement>();
  private readonly logInsert: Database.Statement;
  private readonly logHead: Database.Statement;

  constructor(readonly db: Database.Database) {
    this.logInsert = db.prepare(
      `INSERT INTO change_log (id, txn, at, by, why, entity, entity_id, op, delta, import_batch_id, undoes, state_hash, hash)
       VALUES (@id, @txn, @at, @by, @why, @entity, @entity_id, @op, @delta, @import_batch_id, @undoes, @state_hash, @hash)`,
    );
    this.logHead = db.prepare('SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1');
  }

  /** Runs `work` in one IMMEDIATE transaction; everything it writes shares one txn id. Rolls back on any throw. */
  transact<T>(context: ChangeContext, work: (tx: Transaction) => T): { value: T; txn: string } {
    const txn = context.txn ?? newId();
    const tx = new Transaction(this, txn, context);
    const value = this.db
      .transaction(() => {
        const result = work(tx);
        this.beforeCommit?.(tx);
        assertStillInTransaction(this.db);
        return result;
      })
      .immediate();
    return { value, txn };
  }

  /**
   * For long imports that parse asynchronously: BEGIN now, then commit() or rollback(). The caller must hold the
   * workbook's lock so nothing else writes on this connection meanwhile.
   */
  begin(context: ChangeContext): { tx: Transaction; commit: () => void; rollback: () => void } {
    const txn = newId();
    this.db.exec('BEGIN IMMEDIATE');
    const tx = new Transaction(this, txn, context);
    return {
      tx,
      commit: () => {
        this.beforeCommit?.(tx);
        assertStillInTransaction(this.db);
        this.db.exec('COMMIT');
      },
      rollback: () => {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      },
    };
  }

  /** A prepared statement, prepared once per connection (preparing costs more than running a small query). */
  statement(sql: string): Database.Statement {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }

  statementsFor(entity: Entity): EntityStatements {
    let statements = this.entities.get(entity);
    if (!statements) {
      // table_xinfo lists generated columns too (hidden 2 or 3); they are computed, never written.
      const info = this.db.prepare(`SELECT name, hidden FROM pragma_table_xinfo(?)`).all(entity) as Array<{
        name: string;
        hidden: number;
      }>;
      const columns = info.filter((c) => c.hidden === 0).map((c) => c.name);
      statements = {
        columns,
        select: this.db.prepare(`SELECT ${columns.join(', ')} FROM ${entity} WHERE id = ?`),
        // positional parameters: binding an array is markedly faster than named parameters on bulk imports
        insert: this.db.prepare(`INSERT INTO ${entity} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`),
        remove: this.db.prepare(`DELETE FROM ${entity} WHERE id = ?`),
        updates: new Map(),
      };
      this.entities.set(entity, statements);
    }
    return statements;
  }

  updateStatement(entity: Entity, fields: string[]): Database.Statement {
    const statements = this.statementsFor(entity);
    const key = fields.join(',');
    let statement = statements.updates.get(key);
    if (!statement) {
      statement = this.db.prepare(`UPDATE ${entity} SET ${fields.map((f) => `${f} = @${f}`).join(', ')} WHERE id = @id`);
      statements.updates.set(key, statement);
    }
    return statement;
  }

  /**
   * Appends an entry to the chain. The head is read each time rather than kept: a statement SQLite took back (a
   * refused row of an import) may have taken a log entry with it.
   */
  log(txn: string, context: ChangeContext, at: string, entity: Entity, id: string, op: LoggedOp, delta: string | null, state: Buffer): number {
    const head = this.logHead.get() as { id: number; hash: Buffer } | undefined;
    const entry = {
      id: (head?.id ?? 0) + 1,
      txn,
      at,
      by: context.by,
      why: context.why ?? null,
      entity,
      entity_id: id,
      op,
      delta,
      import_batch_id: context.importBatchId ?? null,
      undoes: context.undoes ?? null,
    };
    this.logInsert.run({ ...entry, state_hash: state, hash: entryHash(head?.hash ?? null, entry, state) });
    return entry.id;
  }
}

/** The writes of one transaction. */
export class Transaction {
  readonly at: string;
  readonly changeIds: number[] = [];
  readonly touched: Touched = { figures: new Map(), everything: false, citations: new Set(), metrics: false, imports: [] };
  private stampsOfThisTransaction: Row | null = null;
  /** the rowid of the first figure this transaction inserted for logImport to log, which starts its batch */
  private firstFigureLoggedLater: number | null = null;
  /**
   * The import entry's state hash, taken as the figures are inserted: reading a million rows back at the end to
   * hash them costs more than the inserts' own bookkeeping. Exact while every row inserted is still there and of
   * one batch; otherwise (a savepoint took rows back) logImport reads them back after all.
   */
  private loggedLaterState: { batch: unknown; hash: BatchStateHash; count: number } | null = null;
  private loggedLaterExact = true;

  constructor(
    private readonly writer: ChangeWriter,
    readonly txn: string,
    readonly context: ChangeContext,
  ) {
    this.at = context.at ?? new Date().toISOString();
  }

  get by(): string {
    return this.context.by;
  }

  /** For reads inside the transaction; writes go through insert/update/delete. */
  get db(): Database.Database {
    return this.writer.db;
  }

  /** A read statement, prepared once per connection. Shared: a caller that plucks must say .pluck() each time. */
  query(sql: string): Database.Statement {
    return this.writer.statement(sql);
  }

  get(entity: Entity, id: string): Row | undefined {
    return this.writer.statementsFor(entity).select.get(id) as Row | undefined;
  }

  require(entity: Entity, id: string): Row {
    const row = this.get(entity, id);
    if (!row) throw new WorkbenchError('not_found', `no ${entity} with id ${id}`, { place: { field: 'id', value: id } });
    return row;
  }

  /** Inserts a row (stamps filled in unless given, as when replaying) and logs it. */
  insert(entity: Entity, fields: Row, overrides: ChangeContext | null = null): Row {
    const statements = this.writer.statementsFor(entity);
    const stamped: Row = { ...this.stamps, ...fields };
    const row: Row = {};
    const values: unknown[] = [];
    for (const column of statements.columns) {
      const value = stamped[column] ?? null;
      row[column] = value;
      values.push(value);
    }
    statements.insert.run(values);
    // the state as SQLite stored it (a column's affinity may have changed a value), which is what check reads
    const stored = statements.select.get(row.id) as Row;
    this.record(entity, String(row.id), 'insert', null, null, stored, overrides);
    return row;
  }

  /**
   * Bulk imports: inserts a row whose change_log entry is written later by logImport, one entry for all the rows
   * of the import.
   * Returns the new row's rowid. `extra` fields (ids, the batch) win over `fields`, and both over the stamps.
   */
  insertLoggedLater(entity: Entity, fields: Row, extra: Row = {}): number {
    const statements = this.writer.statementsFor(entity);
    const stamps = this.stamps;
    // no merged copy of the row: a million rows would allocate a million objects just to be read once
    const values = statements.columns.map((column) => extra[column] ?? fields[column] ?? stamps[column] ?? null);
    const rowid = Number(statements.insert.run(values).lastInsertRowid);
    if (entity === 'figure') {
      this.firstFigureLoggedLater ??= rowid;
      // The row as given is the row as stored: a figure's fields come validated, numbers for its REAL columns and
      // text for its TEXT ones, so no column affinity changes a value (check would say so: it hashes the rows).
      const batch = extra.import_batch_id ?? fields.import_batch_id;
      this.loggedLaterState ??= { batch, hash: new BatchStateHash(), count: 0 };
      if (this.loggedLaterState.batch !== batch) this.loggedLaterExact = false;
      if (this.loggedLaterExact) {
        this.loggedLaterState.hash.addValues(statements.columns, values);
        this.loggedLaterState.count += 1;
      }
    }
    return rowid;
  }

  /** A savepoint was rolled back: rows inserted for logImport may be gone, so it must read back what is left. */
  rolledBackToSavepoint(): void {
    this.loggedLaterExact = false;
  }

  private get stamps(): Row {
    return (this.stampsOfThisTransaction ??= { created_at: this.at, created_by: this.by, updated_at: this.at, updated_by: this.by });
  }

  /**
   * Logs one entry (op 'import') for every figure of the import batch `batchId`, once they are all written: the
   * rows themselves are the state, and the entry's state hash covers them all, in rowid order. Returns how many.
   */
  logImport(batchId: string): number {
    if (this.firstFigureLoggedLater === null) return 0;
    const taken = this.loggedLaterState;
    if (this.loggedLaterExact && taken?.batch === batchId) {
      if (taken.count > 0) this.touched.imports.push({ batchId, firstRowid: this.firstFigureLoggedLater });
      this.changeIds.push(this.writer.log(this.txn, this.context, this.at, 'figure', batchId, 'import', null, taken.hash.digest()));
      this.loggedLaterState = null;
      this.firstFigureLoggedLater = null;
      return taken.count;
    }
    const columns = this.writer.statementsFor('figure').columns;
    const state = new BatchStateHash();
    let count = 0;
    // New rows get rowids above every existing one, so the import's figures are all at or after its first: a range
    // of the table, read in order, with no index of figures by batch.
    const rows = this.db
      .prepare(`SELECT ${columns.join(', ')} FROM figure WHERE rowid >= ? AND import_batch_id = ? ORDER BY rowid`)
      .iterate(this.firstFigureLoggedLater, batchId);
    for (const row of rows as IterableIterator<Row>) {
      state.add(row);
      count += 1;
    }
    if (count > 0) this.touched.imports.push({ batchId, firstRowid: this.firstFigureLoggedLater });
    if (count > 0) this.changeIds.push(this.writer.log(this.txn, this.context, this.at, 'figure', batchId, 'import', null, state.digest()));
    return count;
  }

  /** Updates the given fields; a no-op when nothing changes. Returns the row after. */
  update(entity: Entity, id: string, patch: Row, op: ChangeOp = 'update', overrides: ChangeContext | null = null): Row {
    const before = this.require(entity, id);
    const changed = Object.keys(patch).filter((f) => f !== 'id' && !STAMP_COLUMNS.has(f) && !sameValue(before[f], patch[f]));
    if (changed.length === 0) return before;
    const stamps = 'updated_at' in before ? { updated_at: this.at, updated_by: this.by } : {};
    const fields = [...changed, ...Object.keys(stamps)];
    const values: Row = { id, ...stamps };
    for (const f of changed) values[f] = patch[f] ?? null;
    const statements = this.writer.statementsFor(entity);
    this.writer.updateStatement(entity, fields).run(values);
    const after = statements.select.get(id) as Row;
    const delta: Record<string, [unknown, unknown]> = {};
    for (const f of fields) if (!sameValue(before[f], after[f])) delta[f] = [before[f] ?? null, after[f] ?? null];
    this.record(entity, id, op, JSON.stringify(delta), before, after, overrides);
    return after;
  }

  /** Hard delete: only for entities nothing refers to (never figures: the schema refuses). */
  delete(entity: Entity, id: string, overrides: ChangeContext | null = null): Row {
    const before = this.require(entity, id);
    this.writer.statementsFor(entity).remove.run(id);
    this.record(entity, id, 'delete', JSON.stringify(before), before, null, overrides);
    return before;
  }

  /**
   * Makes a row exactly `after`, stamps included (a change of another workbook applied here: its stamps are its
   * own), logged as `op` with the fields it changed. A no-op when the row already is `after`.
   */
  putState(entity: Entity, id: string, after: Row, op: ChangeOp = 'update'): Row {
    const before = this.require(entity, id);
    const fields = Object.keys(before).filter((f) => f !== 'id' && f in after && !sameValue(before[f], after[f]));
    if (fields.length === 0) return before;
    const values: Row = { id };
    for (const f of fields) values[f] = after[f] ?? null;
    const statements = this.writer.statementsFor(entity);
    this.writer.updateStatement(entity, fields).run(values);
    const stored = statements.select.get(id) as Row;
    const delta: Record<string, [unknown, unknown]> = {};
    for (const f of fields) if (!sameValue(before[f], stored[f])) delta[f] = [before[f] ?? null, stored[f] ?? null];
    this.record(entity, id, op, JSON.stringify(delta), before, stored, null);
    return stored;
  }

  private touchFigure(id: string, before: Row | null): void {
    const figures = this.touched.figures;
    if (this.touched.everything || figures.has(id)) return;
    if (figures.size >= TOUCHED_FIGURES_KEPT) {
      this.touched.everything = true;
      figures.clear();
      return;
    }
    const date = before ? (before.as_of ?? before.period_end ?? before.period_start) : null;
    figures.set(id, before ? { source_id: before.source_id, metric_id: before.metric_id, location_id: before.location_id, date } : null);
  }

  private record(entity: Entity, id: string, op: ChangeOp, delta: string | null, before: Row | null, after: Row | null, overrides: ChangeContext | null) {
    if (entity === 'figure') this.touchFigure(id, before);
    else if (entity === 'citation') this.touched.citations.add(id);
    else if (entity === 'metric') this.touched.metrics = true;
    // a citation's document: the figures of the citation it belongs to (before and after a move) are to be checked
    else if (entity === 'document') for (const row of [before, after]) if (row?.citation_id) this.touched.citations.add(String(row.citation_id));
    const context = overrides ? { ...this.context, ...overrides } : this.context;
    this.changeIds.push(this.writer.log(this.txn, context, this.at, entity, id, op, delta, stateHash(after)));
  }
}

/**
 * For code that turns a failed write into a problem of one row and carries on: only the refusal of that one
 * statement may be caught — our own (a WorkbenchError) or an SQLite constraint, after which SQLite undoes just that
 * statement. Anything else (a full disk, an I/O error) may have made SQLite roll back the whole transaction by
 * itself; carrying on would write the next rows outside any transaction, each committed on its own. So it is
 * rethrown, and the whole write stops.
 */
export function rowRefusal(error: unknown): WorkbenchError {
  if (error instanceof WorkbenchError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
    return new WorkbenchError('conflict', (error as Error).message);
  }
  throw error;
}

/** SQLite ends a transaction by itself on SQLITE_FULL, IOERR or NOMEM; committing "it" then would be a lie. */
function assertStillInTransaction(db: Database.Database): void {
  if (!db.inTransaction) {
    throw new WorkbenchError('io', 'the write was abandoned: SQLite rolled it back after a disk or I/O error; nothing of it was saved');
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}
