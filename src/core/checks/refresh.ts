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
import type { Level } from './check';
import { ALL_CANDIDATES, reachSelect, reachTable, scopedCandidates } from './candidates';
import { CHECKS } from './kinds';

/** Today's date, UTC: what future_date holds claims against. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Past this share of the workbook's figures, a scope costs more than finding every warning again. */
const WHOLE_WORKBOOK_SHARE = 0.5;

export function refreshWarnings(db: Database.Database, touched: Touched | 'all', date = today()): void {
  const checks = Object.values(CHECKS);
  workingTables(db);
  if (touched === 'all') {
    for (const check of checks) findAgain(db, check, null, date);
    return;
  }
  if (!touched.everything && touched.figures.size === 0 && touched.citations.size === 0 && !touched.metrics && touched.imports.length === 0) return;
  const scoped = !touched.everything && fillScope(db, touched);
  if (scoped) fillReach(db, new Set(checks.filter((c) => !(touched.metrics && c.readsMetrics)).map((c) => c.level)));
  for (const check of checks) {
    const everywhere = !scoped || (touched.metrics && check.readsMetrics);
    findAgain(db, check, everywhere ? null : check, date);
  }
}

/**
 * The connection's working tables, made if missing each time: made inside a write that then failed, they went
 * with its rollback.
 */
function workingTables(db: Database.Database): void {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS check_scope (figure_id TEXT NOT NULL, source_id TEXT, metric_id TEXT, location_id TEXT, date TEXT);
           CREATE TEMP TABLE IF NOT EXISTS check_stale (id INTEGER PRIMARY KEY);
           CREATE INDEX IF NOT EXISTS temp.check_scope_series ON check_scope (source_id, metric_id, location_id);
           CREATE TEMP TABLE IF NOT EXISTS check_stale (id INTEGER PRIMARY KEY);
           CREATE TEMP TABLE IF NOT EXISTS check_fresh (figure_ids TEXT NOT NULL, facts TEXT NOT NULL, valid_until TEXT);
           ${LEVELS.map((level) => `CREATE TEMP TABLE IF NOT EXISTS ${reachTable(level).slice('temp.'.length)} (id TEXT PRIMARY KEY, rid INTEGER) WITHOUT ROWID;`).join('\n')}`);
}

const LEVELS: Level[] = ['figure', 'series', 'day', 'claim'];

/** Each level's reach from the scope, found once for all the checks of that level. */
function fillReach(db: Database.Database, levels: Set<Level>): void {
  const sql = statements(db);
  for (const level of LEVELS) {
    sql.get(`DELETE FROM ${reachTable(level)}`).run();
    if (levels.has(level)) sql.get(`INSERT OR IGNORE INTO ${reachTable(level)} (rid, id) ${reachSelect(level)}`).run();
  }
}

/** The statements of one connection, prepared once. */
class Statements {
  private readonly cache = new Map<string, Database.Statement>();
  constructor(readonly db: Database.Database) {}
  get(sql: string): Database.Statement {
    let statement = this.cache.get(sql);
    if (!statement) this.cache.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }
}
const statementsOf = new WeakMap<Database.Database, Statements>();
function statements(db: Database.Database): Statements {
  let found = statementsOf.get(db);
  if (!found) statementsOf.set(db, (found = new Statements(db)));
  return found;
}

/** temp.check_scope: the keys of every touched figure, before and after. False when that is most of the workbook. */
function fillScope(db: Database.Database, touched: Touched): boolean {
  const sql = statements(db);
  sql.get('DELETE FROM temp.check_scope').run();
  const insert = sql.get('INSERT INTO temp.check_scope VALUES (?, ?, ?, ?, ?)');
  const keys = 'SELECT id, source_id, metric_id, location_id, effective_date FROM figure';
  const current = sql.get(`INSERT INTO temp.check_scope ${keys} WHERE id = ?`);
  for (const [id, before] of touched.figures) {
    current.run(id);
    if (before) insert.run(id, before.source_id, before.metric_id, before.location_id, before.date);
  }
  const ofCitation = sql.get(`INSERT INTO temp.check_scope ${keys} WHERE citation_id = ?`);
  for (const id of touched.citations) ofCitation.run(id);
  const ofImport = sql.get(`INSERT INTO temp.check_scope ${keys} WHERE rowid >= ? AND import_batch_id = ?`);
  for (const { firstRowid, batchId } of touched.imports) ofImport.run(firstRowid, batchId);
  const scope = sql.get('SELECT count(*) FROM temp.check_scope').pluck().get() as number;
  if (scope < 1000) return true;
  const figures = (sql.get('SELECT max(rowid) FROM figure').pluck().get() as number | null) ?? 0;
  return scope <= figures * WHOLE_WORKBOOK_SHARE;
}

/** A check's SQL reading `candidates` as a common table expression of the given select. */
function withCandidates(sql: string, candidates: string): string {
  const body = sql.trimStart();
  const recursive = /^WITH\s+RECURSIVE\s/i.exec(body);
  if (recursive) return `WITH RECURSIVE candidates AS (${candidates}), ${body.slice(recursive[0].length)}`;
  const plain = /^WITH\s/i.exec(body);
  if (plain) return `WITH candidates AS (${candidates}), ${body.slice(plain[0].length)}`;
  return `WITH candidates AS (${candidates}) ${body}`;
}

/** Replaces a check's warnings: all of them (scope null), or those of the figures its level reaches from the scope. */
function findAgain(db: Database.Database, check: Check, scope: Check | null, date: string): void {
  const sql = statements(db);
  if (scope) {
    sql.get('DELETE FROM temp.check_stale').run();
    sql
      .get(
        `INSERT OR IGNORE INTO temp.check_stale
         SELECT wf.warning_id FROM ${reachTable(check.level)} r
           CROSS JOIN warning_figure wf ON wf.figure_id = r.id
           CROSS JOIN warning w ON w.id = wf.warning_id
          WHERE w.kind = ?`,
      )
      .run(check.kind);
    sql.get('DELETE FROM warning_figure WHERE warning_id IN (SELECT id FROM temp.check_stale)').run();
    sql.get('DELETE FROM warning WHERE id IN (SELECT id FROM temp.check_stale)').run();
  } else {
    sql.get('DELETE FROM warning_figure WHERE warning_id IN (SELECT id FROM warning WHERE kind = ?)').run(check.kind);
    sql.get('DELETE FROM warning WHERE kind = ?').run(check.kind);
  }
  const candidates = scope ? scopedCandidates(check.level) : ALL_CANDIDATES;
  sql.get('DELETE FROM temp.check_fresh').run();
  if (check.sql) {
    const statement = sql.get(
      `INSERT INTO temp.check_fresh (figure_ids, facts, valid_until) SELECT figure_ids, facts, valid_until FROM (${withCandidates(check.sql, candidates)})`,
    );
    if (check.sql.includes('@today')) statement.run({ today: date });
    else statement.run();
  } else {
    const insert = sql.get('INSERT INTO temp.check_fresh (figure_ids, facts, valid_until) VALUES (@figure_ids, @facts, @valid_until)');
    check.find!(db, candidates, (found: Found) => insert.run(found));
  }
  sql
    .get(
      `INSERT INTO warning (kind, figure_ids, facts, valid_until)
       SELECT ?, figure_ids, facts, valid_until FROM temp.check_fresh WHERE true
       ON CONFLICT (kind, figure_ids) DO UPDATE SET facts = excluded.facts, valid_until = excluded.valid_until`,
    )
    .run(check.kind);
  sql
    .get(
      `INSERT OR IGNORE INTO warning_figure (figure_id, warning_id)
       SELECT j.value, w.id FROM temp.check_fresh fr JOIN warning w ON w.kind = ? AND w.figure_ids = fr.figure_ids, json_each(fr.figure_ids) j`,
    )
    .run(check.kind);
}
