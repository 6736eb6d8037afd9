// The change log read back: an entity's history, undo of a change or a whole transaction, revert, and replay.
import type Database from 'better-sqlite3';
import type { ChangeLogEntry, Entity } from '../../shared/domain';
import { WorkbenchError } from '../../shared/errors';
import { refreshWarnings } from '../checks/refresh';
import type { Row, Transaction } from './changeWriter';
import { updateFigure } from './figures';
import { entriesOf, type FieldDelta, headState, type LogRow, parseLogged, stateColumns, walkBack } from './logStates';

const STAMPS = new Set(['created_at', 'created_by', 'updated_at', 'updated_by']);

/** A logged change with its full states, as the API shows it. An import's entry, seen from one of its figures, is that figure's insert. */
function asEntry(row: LogRow, entityId: string, state: { before: Row | null; after: Row | null }): ChangeLogEntry {
  return {
    id: row.id,
    txn: row.txn,
    at: row.at,
    by: row.by,
    why: row.why,
    entity: row.entity,
    entity_id: entityId,
    op: row.op === 'import' ? 'insert' : row.op,
    before: state.before,
    after: state.after,
    import_batch_id: row.import_batch_id,
    undoes: row.undoes,
  };
}

/** An entity's history with every state rebuilt from the head: the shape the old format stored. */
export function entityHistory(db: Database.Database, entity: Entity, id: string): ChangeLogEntry[] {
  const rows = entriesOf(db, entity, id);
  if (rows.length === 0) {
    throw new WorkbenchError('not_found', `no ${entity} with id ${id} in the change log`, { place: { field: 'id', value: id } });
  }
  const states = walkBack(rows, headState(db, entity, id));
  return rows.map((row, i) => asEntry(row, id, states[i]!));
}

export function getChange(db: Database.Database, changeId: number): LogRow {
  const row = db.prepare('SELECT * FROM change_log WHERE id = ?').get(changeId) as LogRow | undefined;
  if (!row) throw new WorkbenchError('not_found', `no change #${changeId}`, { place: { field: 'change_id', value: String(changeId) } });
  return row;
}

function transactionChanges(db: Database.Database, txn: string): LogRow[] {
  const rows = db.prepare('SELECT * FROM change_log WHERE txn = ? ORDER BY id').all(txn) as LogRow[];
  if (rows.length === 0) throw new WorkbenchError('not_found', `no transaction ${txn}`, { place: { field: 'txn', value: txn } });
  return rows;
}

/**
 * Reverses one change, logging the reversal (with `undoes`). An update is reversed only if the fields it changed
 * still hold what it wrote; otherwise a later edit would be silently lost, so it is a conflict.
 * `lenient` (undoing a whole transaction): a created source, citation, location or metric that figures still
 * name is left in place instead of failing.
 */
export function undoChange(tx: Transaction, change: LogRow, lenient = false): number {
  const overrides = { by: tx.by, why: tx.context.why ?? `undo of change #${change.id}`, undoes: change.id, importBatchId: null };
  const count = tx.changeIds.length;
  switch (change.op) {
    case 'import': {
      // every figure the import inserted and that is not retracted since
      const ids = tx.db
        .prepare("SELECT id FROM figure WHERE import_batch_id = ? AND status <> 'retracted' ORDER BY rowid")
        .pluck()
        .all(change.entity_id) as string[];
      if (ids.length === 0 && !lenient) throw new WorkbenchError('conflict', `every figure of import batch ${change.entity_id} is already retracted`);
      for (const id of ids) tx.update('figure', id, { status: 'retracted', retracted_reason: overrides.why }, 'retract', overrides);
      break;
    }
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
      const referrer = referredToBy(tx.db, change.entity, change.entity_id);
      if (referrer) {
        if (lenient) break;
        throw new WorkbenchError('conflict', `cannot undo the creation of ${change.entity} ${change.entity_id}: ${referrer}`);
      }
      tx.delete(change.entity, change.entity_id, overrides);
      break;
    }
    case 'update':
    case 'retract': {
      const current = tx.require(change.entity, change.entity_id);
      const delta = (parseLogged(change.delta, change.id) ?? {}) as FieldDelta;
      const patch: Row = {};
      for (const field of Object.keys(delta).filter((k) => !STAMPS.has(k))) {
        const [was, wrote] = delta[field]!;
        const now = current[field] ?? null;
        if (now !== (wrote ?? null)) {
          throw new WorkbenchError('conflict', `cannot undo change #${change.id}: ${field} has changed since (now ${JSON.stringify(now)})`, {
            place: { field, value: String(now) },
          });
        }
        patch[field] = was ?? null;
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
      tx.insert(change.entity, parseLogged(change.delta, change.id) ?? {}, overrides);
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
  const change = entityHistory(tx.db, 'figure', figureId).find((e) => e.id === changeId);
  if (!change) {
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

/** What still refers to the entity (figures, other locations, its document), in words; null when nothing does. */
function referredToBy(db: Database.Database, entity: Entity, id: string): string | null {
  const checks: Record<string, Array<[string, string]>> = {
    source: [['figures still refer to it', 'SELECT 1 FROM figure WHERE source_id = @id OR relayed_via_id = @id LIMIT 1']],
    citation: [
      ['figures still refer to it', 'SELECT 1 FROM figure WHERE citation_id = @id LIMIT 1'],
      ['its document is attached to it (undo that first)', 'SELECT 1 FROM document WHERE citation_id = @id LIMIT 1'],
    ],
    metric: [['figures still refer to it', 'SELECT 1 FROM figure WHERE metric_id = @id LIMIT 1']],
    location: [
      ['figures still refer to it', 'SELECT 1 FROM figure WHERE location_id = @id LIMIT 1'],
      ['figures still refer to it', 'SELECT 1 FROM location WHERE parent_id = @id LIMIT 1'],
    ],
  };
  return (checks[entity] ?? []).find(([, sql]) => db.prepare(sql).get({ id }) !== undefined)?.[0] ?? null;
}

/**
 * Rebuilds a workbook from another's change log: each entry copied as it is (hashes and all) and applied in order,
 * with the states it produced rebuilt from `from`'s head, in one transaction. The target must be a freshly migrated
 * file with no data. Proves that the log and the head together hold the whole history of the data.
 */
export function replayChangeLog(from: Database.Database, to: Database.Database): number {
  const insertLog = to.prepare(
    `INSERT INTO change_log (id, txn, at, by, why, entity, entity_id, op, delta, import_batch_id, undoes, state_hash, hash)
     VALUES (@id, @txn, @at, @by, @why, @entity, @entity_id, @op, @delta, @import_batch_id, @undoes, @state_hash, @hash)`,
  );
  const statesById = new Map<string, Map<number, Row | null>>();
  /** The state of `entity` `id` right after entry `changeId`, rebuilt once per entity. */
  const stateAfter = (entity: Entity, id: string, changeId: number): Row | null => {
    const key = `${entity}:${id}`;
    let states = statesById.get(key);
    if (!states) {
      const rows = entriesOf(from, entity, id);
      const walked = walkBack(rows, headState(from, entity, id));
      states = new Map(rows.map((row, i) => [row.id, walked[i]!.after]));
      statesById.set(key, states);
    }
    return states.get(changeId) ?? null;
  };
  let count = 0;
  const run = to.transaction(() => {
    for (const row of from.prepare('SELECT * FROM change_log ORDER BY id').iterate() as IterableIterator<LogRow>) {
      insertLog.run(row);
      if (row.op === 'import') {
        const ids = from.prepare('SELECT id FROM figure WHERE import_batch_id = ? ORDER BY rowid').pluck().all(row.entity_id) as string[];
        for (const id of ids) applyState(to, 'figure', id, 'insert', stateAfter('figure', id, row.id));
      } else {
        applyState(to, row.entity, row.entity_id, row.op, row.op === 'delete' ? null : stateAfter(row.entity, row.entity_id, row.id));
      }
      count += 1;
    }
    refreshWarnings(to, 'all'); // derived from the figures, like an index: found again, not replayed
  });
  run.immediate();
  return count;
}

function applyState(db: Database.Database, entity: Entity, id: string, op: string, after: Row | null): void {
  if (op === 'delete') {
    db.prepare(`DELETE FROM ${entity} WHERE id = ?`).run(id);
    return;
  }
  if (!after) throw new WorkbenchError('corrupt', `the change log has no state of ${entity} ${id} to replay`);
  const columns = stateColumns(db, entity);
  if (op === 'insert') {
    db.prepare(`INSERT INTO ${entity} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(after);
  } else {
    db.prepare(`UPDATE ${entity} SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run(after);
  }
}
