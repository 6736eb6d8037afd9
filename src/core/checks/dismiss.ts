// Dismissing a warning with a reason, and opening it again: logged writes like any other, so undo and redo work.
import { WorkbenchError } from '../../shared/errors';
import type { WarningKind } from '../../shared/warnings';
import type { Row, Transaction } from '../store/changeWriter';
import { newId } from '../store/ids';

export function dismissWarning(tx: Transaction, kind: WarningKind, figureIds: string[], reason: string): Row {
  const ids = JSON.stringify([...new Set(figureIds)].sort());
  const warning = tx.query('SELECT id FROM warning WHERE kind = ? AND figure_ids = ?').pluck().get(kind, ids);
  if (warning === undefined) {
    throw new WorkbenchError('not_found', `no ${kind} warning of figures ${figureIds.join(', ')}`, { place: { field: 'figure_ids', value: ids } });
  }
  const dismissed = tx.query('SELECT id FROM dismissal WHERE kind = ? AND figure_ids = ?').pluck().get(kind, ids);
  if (dismissed !== undefined) throw new WorkbenchError('conflict', 'this warning is already dismissed', { place: { field: 'figure_ids', value: ids } });
  return tx.insert('dismissal', { id: newId(), kind, figure_ids: ids, reason });
}

export function reopenWarning(tx: Transaction, dismissalId: string): Row {
  return tx.delete('dismissal', dismissalId);
}
