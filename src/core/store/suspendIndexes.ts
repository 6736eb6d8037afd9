// Bulk writes into a table with several indexes: SQLite keeps each index up to date row by row, and rows that come
// in random key order touch a random page of every index. Building an index once from the finished table sorts
// instead, which on a large import is far quicker than keeping it up row by row.
import type Database from 'better-sqlite3';

interface IndexDefinition {
  name: string;
  sql: string;
}

/**
 * Drops the indexes of `table` that only speed up reads (made by CREATE INDEX; the unique ones, and those behind
 * PRIMARY KEY and UNIQUE constraints, stay: they refuse rows) and returns what builds them again from the same SQL. Call it inside a write transaction: a rollback brings the
 * indexes back with everything else, so a failed or refused write never leaves the workbook without them; the
 * caller must rebuild before it commits.
 */
export function suspendIndexes(db: Database.Database, table: string): () => void {
  if (!db.inTransaction) throw new Error('suspendIndexes needs a write transaction');
  const indexes = db
    .prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name`)
    .all(table) as IndexDefinition[];
  for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
  return () => {
    for (const index of indexes) db.exec(index.sql);
  };
}
