// What known metrics are (cumulative or a flow, what they are part of: METRIC_SHAPES), set on a workbook's metrics
// of those codes that do not say yet, each a logged update.
import type Database from 'better-sqlite3';
import { METRIC_SHAPES } from '../../shared/domain';
import { ChangeWriter, type Transaction } from '../store/changeWriter';
import { refreshWarnings } from './refresh';

export function shapeKnownMetrics(tx: Transaction): number {
  const metrics = tx.query('SELECT id, code FROM metric WHERE kind IS NULL AND part_of IS NULL').all() as Array<{ id: string; code: string }>;
  const codes = new Set(tx.query('SELECT code FROM metric').pluck().all() as string[]);
  let shaped = 0;
  for (const { id, code } of metrics) {
    const shape = METRIC_SHAPES[code];
    if (!shape) continue;
    const wholes = shape.part_of.filter((whole) => codes.has(whole));
    tx.update('metric', id, { kind: shape.kind, part_of: wholes.length ? JSON.stringify(wholes) : null });
    shaped += 1;
  }
  return shaped;
}

/** Schema 4, after its SQL: the known metrics shaped (logged, so the log still proves every row), then every warning found. */
export function finishChecksMigration(db: Database.Database): void {
  new ChangeWriter(db).transact({ by: 'figures-workbench', why: 'schema 4: what known metrics are (cumulative or a flow, part of what)' }, (tx) =>
    shapeKnownMetrics(tx),
  );
  refreshWarnings(db, 'all');
}
