// Schema 5's code step (migrations/0005_vague_quantities.sql): change_log's CHECK on its entity column learns
// vague_rule, and the default rule table is written through the change log. The CHECK is edited from the table's
// own SQL rather than restated, so that whatever entities an earlier migration added stay allowed.
import type Database from 'better-sqlite3';
import { DEFAULT_VAGUE_RULES } from '../../shared/domain';
import { ChangeWriter } from './changeWriter';
import { newId } from './ids';

const ENTITY_CHECK = /(entity\s+TEXT\s+NOT\s+NULL\s+CHECK\s*\(\s*entity\s+IN\s*\()([^)]*)(\)\s*\))/i;

export function addVagueRules(db: Database.Database): void {
  allowLoggedEntity(db, 'vague_rule');
  // A new file has an empty log: the workbook seeds it with its built-ins (workbook.ts), and a file made to replay
  // a log into must stay empty. A workbook in use gets the default rules here.
  if (db.prepare('SELECT count(*) FROM change_log').pluck().get() === 0) return;
  seedVagueRules(new ChangeWriter(db), 'workbench');
}

export function seedVagueRules(writer: ChangeWriter, by: string): void {
  writer.transact({ by, why: 'the default rule table of vague quantities' }, (tx) => {
    for (const rule of DEFAULT_VAGUE_RULES) tx.insert('vague_rule', { id: newId(), ...rule });
  });
}

/**
 * Lets change_log name one more entity. SQLite cannot alter a CHECK, so the table is made anew with the list
 * extended, its rows copied, and its indexes and triggers made again from their own SQL: SQLite's procedure for
 * other schema changes (https://www.sqlite.org/lang_altertable.html#otheralter). The migration runner has foreign
 * keys off meanwhile and checks them before the commit.
 */
export function allowLoggedEntity(db: Database.Database, entity: string): void {
  const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'change_log'").pluck().get() as string;
  const found = ENTITY_CHECK.exec(table);
  if (!found) throw new Error("change_log's entity column has no CHECK list to extend");
  const listed = found[2]!.split(',').map((e) => e.trim());
  if (listed.includes(`'${entity}'`)) return;
  const created = table
    .replace(ENTITY_CHECK, (_, head: string, list: string, tail: string) => `${head}${list},'${entity}'${tail}`)
    .replace(/^CREATE TABLE\s+"?change_log"?/i, 'CREATE TABLE change_log_new');
  const dependents = db
    .prepare("SELECT sql FROM sqlite_schema WHERE tbl_name = 'change_log' AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name")
    .pluck()
    .all() as string[];
  db.exec(created);
  db.exec('INSERT INTO change_log_new SELECT * FROM change_log');
  db.exec('DROP TABLE change_log');
  db.exec('ALTER TABLE change_log_new RENAME TO change_log');
  for (const sql of dependents) db.exec(sql);
}
