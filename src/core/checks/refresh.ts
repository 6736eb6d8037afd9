// Keeps the warning table in step with the figures. Every write runs this last in its own transaction, for the
// figures it touched (a figure's claimant, metric, location and date before and after the write): each check
// finds again, with one set-based query, the warnings of just the figures a change there can affect (its level),
// and replaces the ones it found before. A change to a metric (what it is part of, cumulative or not) finds the
// checks that read metrics again everywhere, as does a write that touched most of the workbook.
//
// Stored rather than found on each read: a Checks view, a row's marker and `workbench check` read warnings far more
// often than figures are written, and finding the series checks again over a whole large workbook takes seconds.
import type Database from 'better-sqlite3';
import type { Touched } from '../store/changeWriter';
import type { Check, Found } from './check';
import { ALL_CANDIDATES, reachedIds, scopedCandidates } from './candidates';
import { CHECKS } from './kinds';

/** Today's date, UTC: what future_date holds claims against. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Past this share of the workbook's figures, a scope costs more than finding every warning again. */
const WHOLE_WORKBOOK_SHARE = 0.5;

export function refreshWarnings(db: Database.Database, touched: Touched | 'all', date = today()): void {
  const checks = Object.values(CHECKS);
  if (touched === 'all') {
    for (const check of checks) findAgain(db, check, null, date);
    return;
  }
  if (touched.figures.size === 0 && touched.citations.size === 0 && !touched.metrics && touched.imports.length === 0) return;
  const scoped = fillScope(db, touched);
  for (const check of checks) {
    const everywhere = !scoped || (touched.metrics && check.readsMetrics);
    findAgain(db, check, everywhere ? null : check, date);
  }
}

/** temp.check_scope: the keys of every touched figure, before and after. False when that is most of the workbook. */
function fillScope(db: Database.Database, touched: Touched): boolean {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS check_scope (figure_id TEXT NOT NULL, source_id TEXT, metric_id TEXT, location_id TEXT, date TEXT);
           DELETE FROM temp.check_scope`);
  const insert = db.prepare('INSERT INTO temp.check_scope VALUES (?, ?, ?, ?, ?)');
  const current = db.prepare('INSERT INTO temp.check_scope SELECT id, source_id, metric_id, location_id, effective_date FROM figure WHERE id = ?');
  for (const [id, before] of touched.figures) {
    current.run(id);
    if (before) insert.run(id, before.source_id, before.metric_id, before.location_id, before.as_of ?? before.period_end ?? before.period_start);
  }
  const ofCitation = db.prepare('INSERT INTO temp.check_scope SELECT id, source_id, metric_id, location_id, effective_date FROM figure WHERE citation_id = ?');
  for (const id of touched.citations) ofCitation.run(id);
  const ofImport = db.prepare(
    'INSERT INTO temp.check_scope SELECT id, source_id, metric_id, location_id, effective_date FROM figure WHERE rowid >= ? AND import_batch_id = ?',
  );
  for (const { firstRowid, batchId } of touched.imports) ofImport.run(firstRowid, batchId);
  const scope = db.prepare('SELECT count(*) FROM temp.check_scope').pluck().get() as number;
  if (scope < 1000) return true;
  const figures = (db.prepare('SELECT max(rowid) FROM figure').pluck().get() as number | null) ?? 0;
  return scope <= figures * WHOLE_WORKBOOK_SHARE;
}

/** Replaces a check's warnings: all of them (scope null), or those of the figures its level reaches from the scope. */
function findAgain(db: Database.Database, check: Check, scope: Check | null, date: string): void {
  if (scope) {
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS check_stale (id INTEGER PRIMARY KEY); DELETE FROM temp.check_stale`);
    db.prepare(
      `INSERT OR IGNORE INTO temp.check_stale
       SELECT wf.warning_id FROM warning_figure wf JOIN warning w ON w.id = wf.warning_id
        WHERE w.kind = ? AND wf.figure_id IN (${reachedIds(check.level)})`,
    ).run(check.kind);
    db.exec('DELETE FROM warning_figure WHERE warning_id IN (SELECT id FROM temp.check_stale)');
    db.exec('DELETE FROM warning WHERE id IN (SELECT id FROM temp.check_stale)');
  } else {
    db.prepare('DELETE FROM warning_figure WHERE warning_id IN (SELECT id FROM warning WHERE kind = ?)').run(check.kind);
    db.prepare('DELETE FROM warning WHERE kind = ?').run(check.kind);
  }
  const candidates = scope ? scopedCandidates(check.level) : ALL_CANDIDATES;
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS check_fresh (figure_ids TEXT NOT NULL, facts TEXT NOT NULL, valid_until TEXT);
           DELETE FROM temp.check_fresh`);
  if (check.sql) {
    // a temporary view, so that every check's SQL reads `candidates` whatever its scope, inlined by SQLite
    db.exec(`DROP VIEW IF EXISTS temp.candidates; CREATE TEMP VIEW candidates AS ${candidates}`);
    const statement = db.prepare(`INSERT INTO temp.check_fresh (figure_ids, facts, valid_until) SELECT figure_ids, facts, valid_until FROM (${check.sql})`);
    if (check.sql.includes('@today')) statement.run({ today: date });
    else statement.run();
  } else {
    const insert = db.prepare('INSERT INTO temp.check_fresh (figure_ids, facts, valid_until) VALUES (@figure_ids, @facts, @valid_until)');
    check.find!(db, candidates, (found: Found) => insert.run(found));
  }
  db.prepare(
    `INSERT INTO warning (kind, figure_ids, facts, valid_until)
     SELECT ?, figure_ids, facts, valid_until FROM temp.check_fresh WHERE true
     ON CONFLICT (kind, figure_ids) DO UPDATE SET facts = excluded.facts, valid_until = excluded.valid_until`,
  ).run(check.kind);
  db.prepare(
    `INSERT OR IGNORE INTO warning_figure (figure_id, warning_id)
     SELECT j.value, w.id FROM temp.check_fresh fr JOIN warning w ON w.kind = ? AND w.figure_ids = fr.figure_ids, json_each(fr.figure_ids) j`,
  ).run(check.kind);
}
