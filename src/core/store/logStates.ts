// Reading the reverse-delta change log: an entity's entries, and every state it had, rebuilt by walking back from
// the head (the row as it is now) through the entries, newest first.
import type Database from 'better-sqlite3';
import type { Entity } from '../../shared/domain';
import { WorkbenchError } from '../../shared/errors';
import type { LoggedOp } from './changeWriter';
import type { EntryContent, Row } from './logChain';

/** A change_log row as stored: the content its hash covers, and the hashes. */
export interface LogRow extends EntryContent {
  entity: Entity;
  op: LoggedOp;
  state_hash: Buffer;
  hash: Buffer;
}

/** An update's or retraction's delta: each field it changed, [before, after]. */
export type FieldDelta = Record<string, [unknown, unknown]>;

/** A logged delta; text that is not the JSON we wrote means the file is damaged, not a bug. */
export function parseLogged(text: string | null, changeId: number): Record<string, unknown> | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new WorkbenchError('corrupt', `change_log entry #${changeId} is unreadable: the workbook file is damaged; open its latest backup`);
  }
}

const columnsByDb = new WeakMap<Database.Database, Map<Entity, string[]>>();

/** The stored (not generated) columns of an entity's table, in table order. */
export function stateColumns(db: Database.Database, entity: Entity): string[] {
  let byEntity = columnsByDb.get(db);
  if (!byEntity) columnsByDb.set(db, (byEntity = new Map()));
  let columns = byEntity.get(entity);
  if (!columns) {
    const info = db.prepare('SELECT name, hidden FROM pragma_table_xinfo(?)').all(entity) as Array<{ name: string; hidden: number }>;
    columns = info.filter((c) => c.hidden === 0).map((c) => c.name);
    byEntity.set(entity, columns);
  }
  return columns;
}

/** Statements prepared once per connection: a sync or a history rebuilds the states of thousands of entities. */
const statementsByDb = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function prepared(db: Database.Database, sql: string): Database.Statement {
  let statements = statementsByDb.get(db);
  if (!statements) statementsByDb.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}

export function headState(db: Database.Database, entity: Entity, id: string): Row | null {
  const row = prepared(db, `SELECT ${stateColumns(db, entity).join(', ')} FROM ${entity} WHERE id = ?`).get(id) as Row | undefined;
  return row ?? null;
}

/** An entity's entries in order: its own, and for an imported figure the entry of the import that inserted it. */
export function entriesOf(db: Database.Database, entity: Entity, id: string): LogRow[] {
  const own = prepared(db, 'SELECT * FROM change_log WHERE entity_id = ? AND entity = ? ORDER BY id').all(id, entity) as LogRow[];
  if (entity !== 'figure') return own;
  const batch = prepared(db, 'SELECT import_batch_id FROM figure WHERE id = ?').pluck().get(id) as string | null | undefined;
  if (!batch) return own;
  const imported = prepared(db, "SELECT * FROM change_log WHERE entity_id = ? AND entity = 'figure' AND op = 'import'").get(batch) as LogRow | undefined;
  if (!imported) return own;
  return [imported, ...own].sort((a, b) => a.id - b.id);
}

/** The state before `entry`, from the state after it. */
export function stateBefore(entry: LogRow, after: Row | null): Row | null {
  switch (entry.op) {
    case 'insert':
    case 'import':
      return null;
    case 'delete':
      return parseLogged(entry.delta, entry.id);
    default: {
      if (!after)
        throw new WorkbenchError('corrupt', `change_log entry #${entry.id} changes ${entry.entity} ${entry.entity_id}, which the log says did not exist then`);
      const delta = (parseLogged(entry.delta, entry.id) ?? {}) as FieldDelta;
      const before: Row = { ...after };
      for (const [field, [was]] of Object.entries(delta)) before[field] = was;
      return before;
    }
  }
}

/** Every state the entries produced and started from, rebuilt from `head` backwards: one {before, after} each. */
export function walkBack(entries: LogRow[], head: Row | null): Array<{ before: Row | null; after: Row | null }> {
  const states = new Array<{ before: Row | null; after: Row | null }>(entries.length);
  let state = head;
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    const before = stateBefore(entries[i]!, state);
    states[i] = { before, after: state };
    state = before;
  }
  return states;
}
