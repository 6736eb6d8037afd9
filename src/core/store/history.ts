// The change log read back: an entity's history, undo of a change or a whole transaction, revert, and replay.
import type Database from 'better-sqlite3';
import type { ChangeLogEntry, Entity } from '../../shared/domain';
import { WorkbenchError } from '../../shared/errors';
import type { Row, Transaction } from './changeWriter';
import { updateFigure } from './figures';

const STAMPS = new Set(['created_at', 'created_by', 'updated_at', 'updated_by']);

interface ChangeLogRow extends Omit<ChangeLogEntry, 'before' | 'after'> {
  before: string | null;
  after: string | null;
}

function parseEntry(row: ChangeLogRow): ChangeLogEntry {
  return { ...row, before: parseLogged(row.before, row.id), after: parseLogged(row.after, row.id) };
}

/** A change_log before/after; text that is not the JSON we wrote means the file is damaged, not a bug. */
export function parseLogged(text: string | null, changeId: number): Record<string, unknown> | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new WorkbenchError('corrupt', `change_log entry #${changeId} is unreadable: the workbook file is damaged; open its latest backup`);
  }
}

export function entityHistory(db: Database.Database, entity: Entity, id: string): ChangeLogEntry[] {
  const rows = db.prepare('SELECT * FROM change_log WHERE entity_id = ? AND entity = ? ORDER BY id').all(id, entity) as ChangeLogRow[];
  if (rows.length === 0) {
    throw new WorkbenchError('not_found', `no ${entity} with id ${id} in the change log`, { place: { field: 'id', value: id } });
  }
  return rows.map(parseEntry);
}

export function getChange(db: Database.Database, changeId: number): ChangeLogEntry {
  const row = db.prepare('SELECT * FROM change_log WHERE id = ?').get(changeId) as ChangeLogRow | undefined;
  if (!row) throw new WorkbenchError('not_found', `no change #${changeId}`, { place: { field: 'change_id', value: String(changeId) } });
  return parseEntry(row);
}

export function transactionChanges(db: Database.Database, txn: string): ChangeLogEntry[] {
  const rows = db.prepare('SELECT * FROM change_log WHERE txn = ? ORDER BY id').all(txn) as ChangeLogRow[];
  if (rows.length === 0) throw new WorkbenchError('not_found', `no transaction ${txn}`, { place: { field: 'txn', value: txn } });
  return rows.map(parseEntry);
}

/** Fields a change altered (stamps aside). */
function changedFields(change: ChangeLogEntry): string[] {
  const before = change.before ?? {};
  const after = change.after ?? {};
  return Object.keys({ ...before, ...after }).filter((k) => !STAMPS.has(k) && (before[k] ?? null) !== (after[k] ?? null));
}

/**
 * Reverses one change, logging the reversal (with `undoes`). An update is reversed only if the fields it changed
 * still hold what it wrote; otherwise a later edit would be silently lost, so it is a conflict.
 * `lenient` (undoing a whole transaction): a created source, citation, location or metric that figures still
 * name is left in place instead of failing.
 */
export function undoChange(tx: Transaction, change: ChangeLogEntry, lenient = false): number {
  const overrides = { by: tx.by, why: tx.context.why ?? `undo of change #${change.id}`, undoes: change.id, importBatchId: null };
  const count = tx.changeIds.length;
  switch (change.op) {
    case 'insert': {
      if (change.entity === 'import_batch') break; // the record of an import stays; its figures are retracted
      if (change.entity === 'figure') {
        const current = tx.require('figure', change.entity_id);
        if (current.status === 'retracted') {
          if (lenient) break;
          throw new WorkbenchError('conflict', `figure ${change.entity_id} is already retracted`);
        }
        tx.update('figure', change.entity_id, { status: 'retracted', retracted_reason: overrides.why }, 'retract', overrides);
        break;
      }
      if (isReferenced(tx.db, change.entity, change.entity_id)) {
        if (lenient) break;
        throw new WorkbenchError('conflict', `cannot undo the creation of ${change.entity} ${change.entity_id}: figures still refer to it`);
      }
      tx.delete(change.entity, change.entity_id, overrides);
      break;
    }
    case 'update':
    case 'retract': {
      const current = tx.require(change.entity, change.entity_id);
      const patch: Row = {};
      for (const field of changedFields(change)) {
        const now = current[field] ?? null;
        if (now !== (change.after?.[field] ?? null)) {
          throw new WorkbenchError('conflict', `cannot undo change #${change.id}: ${field} has changed since (now ${JSON.stringify(now)})`, {
            place: { field, value: String(now) },
          });
        }
        patch[field] = change.before?.[field] ?? null;
      }
      if (change.entity === 'figure') {
        updateFigure(tx, change.entity_id, patch, overrides); // re-checks the whole figure
      } else {
        tx.update(change.entity, change.entity_id, patch, 'update', overrides);
      }
      break;
    }
    case 'delete': {
      if (tx.get(change.entity, change.entity_id)) {
        throw new WorkbenchError('conflict', `cannot undo the delete of ${change.entity} ${change.entity_id}: it exists again`);
      }
      tx.insert(change.entity, change.before ?? {}, overrides);
      break;
    }
  }
  return tx.changeIds.length - count;
}

/** Reverses every change of a transaction, newest first. */
export function undoTransaction(tx: Transaction, txn: string): number {
  const changes = transactionChanges(tx.db, txn).reverse();
  let reverted = 0;
  for (const change of changes) reverted += undoChange(tx, change, true);
  if (reverted === 0) throw new WorkbenchError('conflict', `transaction ${txn} has nothing left to undo`);
  return reverted;
}

/**
 * What a transaction changed, for a view to read again: its figures (null when more than `limit`), and whether it
 * changed anything else (a source, a citation, a metric, a location).
 */
export function transactionTouched(db: Database.Database, txn: string, limit: number): { figure_ids: string[] | null; entities: boolean } {
  const figures = db
    .prepare("SELECT DISTINCT entity_id FROM change_log WHERE txn = ? AND entity = 'figure' LIMIT ?")
    .pluck()
    .all(txn, limit + 1) as string[];
  const other = db.prepare("SELECT 1 FROM change_log WHERE txn = ? AND entity <> 'figure' LIMIT 1").pluck().get(txn) !== undefined;
  return { figure_ids: figures.length > limit ? null : figures, entities: other };
}

/** Makes a figure what it was right after the given change (a new, logged update). */
export function revertFigure(tx: Transaction, figureId: string, changeId: number): Row {
  const change = getChange(tx.db, changeId);
  if (change.entity !== 'figure' || change.entity_id !== figureId) {
    throw new WorkbenchError('validation', `change #${changeId} is not a change of figure ${figureId}`, {
      place: { field: 'change_id', value: String(changeId) },
    });
  }
  if (!change.after) throw new WorkbenchError('validation', `change #${changeId} left no state to revert to`);
  const patch: Row = {};
  for (const [key, value] of Object.entries(change.after)) {
    if (!STAMPS.has(key) && key !== 'id' && key !== 'import_batch_id' && key !== 'import_row') patch[key] = value;
  }
  return updateFigure(tx, figureId, patch);
}

function isReferenced(db: Database.Database, entity: Entity, id: string): boolean {
  const checks: Record<string, string[]> = {
    source: ['SELECT 1 FROM figure WHERE source_id = @id OR relayed_via_id = @id LIMIT 1'],
    citation: ['SELECT 1 FROM figure WHERE citation_id = @id LIMIT 1'],
    metric: ['SELECT 1 FROM figure WHERE metric_id = @id LIMIT 1'],
    location: ['SELECT 1 FROM figure WHERE location_id = @id LIMIT 1', 'SELECT 1 FROM location WHERE parent_id = @id LIMIT 1'],
  };
  return (checks[entity] ?? []).some((sql) => db.prepare(sql).get({ id }) !== undefined);
}

/**
 * Rebuilds a workbook from another's change log: each entry copied and applied in order, in one transaction.
 * The target must be a freshly migrated file with no data. Proves the log is a complete history of the data.
 */
export function replayChangeLog(from: Database.Database, to: Database.Database): number {
  const insertLog = to.prepare(
    `INSERT INTO change_log (id, txn, at, by, why, entity, entity_id, op, before, after, import_batch_id, undoes)
     VALUES (@id, @txn, @at, @by, @why, @entity, @entity_id, @op, @before, @after, @import_batch_id, @undoes)`,
  );
  let count = 0;
  const run = to.transaction(() => {
    for (const row of from.prepare('SELECT * FROM change_log ORDER BY id').iterate() as IterableIterator<ChangeLogRow>) {
      const entry = parseEntry(row);
      insertLog.run(row);
      applyEntry(to, entry);
      count += 1;
    }
  });
  run.immediate();
  return count;
}

function applyEntry(db: Database.Database, entry: ChangeLogEntry): void {
  if (entry.op === 'delete') {
    db.prepare(`DELETE FROM ${entry.entity} WHERE id = ?`).run(entry.entity_id);
    return;
  }
  const after = entry.after!;
  const columns = Object.keys(after);
  if (entry.op === 'insert') {
    db.prepare(`INSERT INTO ${entry.entity} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(after);
  } else {
    db.prepare(`UPDATE ${entry.entity} SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run(after);
  }
}
