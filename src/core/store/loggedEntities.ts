// change_log names the entity of each entry, and a CHECK lists the entities it may name. A migration that adds an
// entity extends that list from the table's own SQL rather than restating it, so that whatever entities another
// migration added stay allowed, in whichever order the migrations land.
import type Database from 'better-sqlite3';

const ENTITY_CHECK = /(entity\s+TEXT\s+NOT\s+NULL\s+CHECK\s*\(\s*entity\s+IN\s*\()([^)]*)(\)\s*\))/i;

/**
 * Lets change_log name more entities (all in one rebuild of the table). SQLite cannot alter a CHECK, so the table is made anew with the list
 * extended, its rows copied as they are (ids and hashes: the same chain), and its indexes and triggers made again
 * from their own SQL: SQLite's procedure for other schema changes
 * (https://www.sqlite.org/lang_altertable.html#otheralter). The migration runner has foreign keys off meanwhile and
 * checks them before the commit.
 */
export function allowLoggedEntity(db: Database.Database, ...entities: string[]): void {
  const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'change_log'").pluck().get() as string;
  const found = ENTITY_CHECK.exec(table);
  if (!found) throw new Error("change_log's entity column has no CHECK list to extend");
  const allowed = new Set(found[2]!.split(',').map((e) => e.trim()));
  const added = entities.filter((entity) => !allowed.has(`'${entity}'`));
  if (added.length === 0) return;
  const created = table
    .replace(ENTITY_CHECK, (_, head: string, list: string, tail: string) => `${head}${list},${added.map((e) => `'${e}'`).join(',')}${tail}`)
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
