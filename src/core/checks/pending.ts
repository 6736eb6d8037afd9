// The warnings' upkeep, after the write. A write records what it touched in check_pending, inside its own
// transaction (cheap: one row); once it has committed, the workbook finds the warnings of every pending write at
// once (one scope, so a burst of edits is checked once) in a transaction of its own, and anything that reads
// warnings finds the pending ones first. The figures are acknowledged without waiting for the checks, which are
// advice about them; a crash between the two leaves the rows, and the next open finishes.
import type Database from 'better-sqlite3';
import type { FigureKeys, Touched } from '../store/changeWriter';
import { refreshWarnings } from './refresh';

/** Past this many figures pending, keeping where each stood costs more than looking at every figure. */
const FIGURES_KEPT = 100_000;

interface PendingJson {
  figures: Array<[string, FigureKeys | null]>;
  everything: boolean;
  citations: string[];
  metrics: boolean;
  imports: Touched['imports'];
}

function isEmpty(touched: Touched): boolean {
  return !touched.everything && touched.figures.size === 0 && touched.citations.size === 0 && !touched.metrics && touched.imports.length === 0;
}

/** Records what a write touched, for the upkeep after its commit; called last inside the write's transaction. */
export function recordPending(db: Database.Database, touched: Touched): void {
  if (isEmpty(touched)) return;
  const json: PendingJson = {
    figures: [...touched.figures],
    everything: touched.everything,
    citations: [...touched.citations],
    metrics: touched.metrics,
    imports: touched.imports,
  };
  db.prepare('INSERT INTO check_pending (touched) VALUES (?)').run(JSON.stringify(json));
}

export function hasPending(db: Database.Database): boolean {
  return db.prepare('SELECT 1 FROM check_pending LIMIT 1').get() !== undefined;
}

/**
 * Finds the warnings of every pending write and clears them, in one transaction. A figure written by several
 * keeps where it stood before the first: the warnings held are those of that state.
 */
export function flushPending(db: Database.Database): void {
  db.transaction(() => {
    const rows = db.prepare('SELECT touched FROM check_pending ORDER BY id').pluck().all() as string[];
    if (rows.length === 0) return;
    const merged: Touched = { figures: new Map(), everything: false, citations: new Set(), metrics: false, imports: [] };
    for (const row of rows) {
      const pending = JSON.parse(row) as PendingJson;
      merged.everything ||= pending.everything;
      merged.metrics ||= pending.metrics;
      for (const id of pending.citations) merged.citations.add(id);
      merged.imports.push(...pending.imports);
      if (merged.everything) continue;
      for (const [id, before] of pending.figures) if (!merged.figures.has(id)) merged.figures.set(id, before);
      if (merged.figures.size > FIGURES_KEPT) merged.everything = true;
    }
    if (merged.everything) merged.figures.clear();
    refreshWarnings(db, merged);
    db.prepare('DELETE FROM check_pending').run();
  }).immediate();
}
