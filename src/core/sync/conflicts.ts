// Conflicts of a merge: one entity changed on both sides since their common history. The row keeps the version
// this workbook had and the `conflict` row holds both; the analyst picks one, or combines them, as a logged change
// (undo opens the conflict again).
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ConflictPick, ConflictView } from '../../shared/api';
import type { Entity } from '../../shared/domain';
import { WorkbenchError } from '../../shared/errors';
import { INPUT_FIELDS } from '../../shared/fields';
import type { Row, Transaction } from '../store/changeWriter';
import { updateEntity } from '../store/entities';
import { updateFigure } from '../store/figures';
import { headState } from '../store/logStates';
import { sameData } from './changesets';

/** A row of the conflict table as stored: its states are JSON text. */
export interface ConflictRow {
  id: string;
  entity: Entity;
  entity_id: string;
  base: string | null;
  a_txn: string;
  a: string | null;
  b_txn: string;
  b: string | null;
  at: string;
  /** JSON array: every transaction whose version it took in */
  txns: string;
  resolved_by_txn: string | null;
  resolution: 'a' | 'b' | 'combined' | null;
}

/** A conflict's id, from what it is about: the two workbooks of a merge both ways name one conflict alike. */
export function conflictId(entity: Entity, entityId: string, aTxn: string, bTxn: string): string {
  const hex = createHash('sha256')
    .update(JSON.stringify([entity, entityId, aTxn, bTxn]))
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const STAMPS = new Set(['created_at', 'created_by', 'updated_at', 'updated_by']);

function parsed(text: string | null): Row | null {
  return text === null ? null : (JSON.parse(text) as Row);
}

/** A conflict as the API shows it: both versions, which one the workbook holds now, and the fields they differ in. */
export function conflictView(db: Database.Database, row: ConflictRow): ConflictView {
  const a = parsed(row.a);
  const b = parsed(row.b);
  const current = headState(db, row.entity, row.entity_id);
  const holds = sameData(current, a) ? 'a' : sameData(current, b) ? 'b' : null;
  const fields = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].filter((f) => !STAMPS.has(f) && (a?.[f] ?? null) !== (b?.[f] ?? null));
  return {
    id: row.id,
    entity: row.entity,
    entity_id: row.entity_id,
    at: row.at,
    base: parsed(row.base),
    a: side(db, row.a_txn, a),
    b: side(db, row.b_txn, b),
    ours: holds,
    fields,
    resolved_by_txn: row.resolved_by_txn,
    resolution: row.resolution,
  };
}

/** A side with who made it and when: its transaction in this workbook's log, or the stamps the version carries. */
function side(db: Database.Database, txn: string, state: Row | null): ConflictView['a'] {
  const logged = db.prepare('SELECT by, at FROM change_log WHERE txn = ? LIMIT 1').get(txn) as { by: string; at: string } | undefined;
  const stamp = (key: string) => (typeof state?.[key] === 'string' ? (state[key] as string) : null);
  return { txn, by: logged?.by ?? stamp('updated_by'), at: logged?.at ?? stamp('updated_at'), state };
}

export function listConflicts(db: Database.Database, open: boolean): ConflictView[] {
  const rows = db.prepare(`SELECT * FROM conflict ${open ? 'WHERE resolution IS NULL' : ''} ORDER BY at, id`).all() as ConflictRow[];
  return rows.map((row) => conflictView(db, row));
}

/**
 * Settles a conflict: the entity is made the version picked (`ours`: the one this workbook holds; `theirs`: the
 * other; `a`/`b` by side), or `combined` (the version held, with `fields` over it), and the conflict records the
 * transaction that did it. Both in one transaction, so undoing it opens the conflict again.
 */
export function resolveConflict(tx: Transaction, id: string, pick: ConflictPick, fields: Row | undefined): ConflictView {
  const row = tx.require('conflict', id) as unknown as ConflictRow;
  if (row.resolution !== null) {
    throw new WorkbenchError('conflict', `conflict ${id} is resolved already (transaction ${row.resolved_by_txn}); undo that to pick again`, {
      place: { field: 'id', value: id },
    });
  }
  const view = conflictView(tx.db, row);
  const current = tx.get(row.entity, row.entity_id) ?? null;
  let side: 'a' | 'b' | 'combined';
  if (pick === 'combined') {
    if (!fields || Object.keys(fields).length === 0) {
      throw new WorkbenchError('validation', 'a combined version needs the fields to set over the version held', { place: { field: 'fields', value: '' } });
    }
    side = 'combined';
  } else if (pick === 'a' || pick === 'b') {
    side = pick;
  } else {
    if (view.ours === null) {
      throw new WorkbenchError(
        'conflict',
        `${row.entity} ${row.entity_id} has changed since the conflict was found: it is neither version now; pick a or b, or combine`,
        { place: { field: 'pick', value: pick } },
      );
    }
    side = pick === 'ours' ? view.ours : view.ours === 'a' ? 'b' : 'a';
  }
  const chosen: Row | null = side === 'combined' ? { ...(current ?? {}), ...fields } : side === 'a' ? view.a.state : view.b.state;
  setState(tx, row.entity, row.entity_id, current, chosen);
  tx.update('conflict', id, { resolved_by_txn: tx.txn, resolution: side });
  return conflictView(tx.db, tx.require('conflict', id) as unknown as ConflictRow);
}

/** Makes the entity `chosen` through the checks an edit of it goes through. */
function setState(tx: Transaction, entity: Entity, id: string, current: Row | null, chosen: Row | null): void {
  if (sameData(current, chosen)) return;
  if (chosen === null) {
    if (entity === 'figure') throw new WorkbenchError('validation', 'a figure is retracted with a reason, never deleted: pick the other version, or combine');
    tx.delete(entity, id);
    return;
  }
  if (current === null) {
    tx.insert(entity, { ...chosen, id });
    return;
  }
  const patch: Row = {};
  for (const [key, value] of Object.entries(chosen)) {
    if (key === 'id' || STAMPS.has(key) || (current[key] ?? null) === (value ?? null)) continue;
    patch[key] = value;
  }
  if (entity === 'figure') {
    const input = new Set<string>(INPUT_FIELDS);
    for (const key of Object.keys(patch)) {
      if (!input.has(key))
        throw new WorkbenchError('validation', `${key} is not a field an analyst sets`, { place: { field: key, value: String(patch[key]) } });
    }
    updateFigure(tx, id, patch);
  } else if (entity === 'source' || entity === 'citation' || entity === 'metric' || entity === 'location') {
    updateEntity(tx, entity, id, patch);
  } else {
    tx.update(entity, id, patch);
  }
}
