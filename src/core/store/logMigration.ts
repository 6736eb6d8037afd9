// Schema 2's code step: converts the schema-1 change log (full before/after JSON on every entry) into reverse
// deltas with a hash chain (migrations/0002_reverse_delta_log.sql). Runs inside the migration's transaction, after
// the file's SQL. Every entry is kept, in order; the per-figure insert entries of one import become that import's
// one entry, whose state hash covers what they recorded. The state hashes come from the states schema 1 recorded,
// so `check` afterwards proves the rows are what the old log said they were.
import type Database from 'better-sqlite3';
import { BatchStateHash, entryHash, type EntryContent, type Row, stateHash } from './logChain';

interface V1Row {
  id: number;
  txn: string;
  at: string;
  by: string;
  why: string | null;
  entity: string;
  entity_id: string;
  op: string;
  before: string | null;
  after: string | null;
  import_batch_id: string | null;
  undoes: number | null;
}

interface OpenImport {
  entry: EntryContent;
  state: BatchStateHash;
}

const PAGE = 20_000;

export function convertChangeLogV1(db: Database.Database): void {
  const maxId = (db.prepare('SELECT coalesce(max(id), 0) FROM change_log_v1').pluck().get() as number) ?? 0;
  // old id → new id; an import's figure inserts all map to its one entry
  const newIds = new Int32Array(maxId + 1);
  const page = db.prepare('SELECT * FROM change_log_v1 WHERE id > ? ORDER BY id LIMIT ?');
  const insert = db.prepare(
    `INSERT INTO change_log (id, txn, at, by, why, entity, entity_id, op, delta, import_batch_id, undoes, state_hash, hash)
     VALUES (@id, @txn, @at, @by, @why, @entity, @entity_id, @op, @delta, @import_batch_id, @undoes, @state_hash, @hash)`,
  );
  let previous: Buffer | null = null;
  let nextId = 1;
  let open: OpenImport | null = null;
  const closed = new Set<string>();
  const write = (entry: EntryContent, state: Buffer) => {
    const hash = entryHash(previous, entry, state);
    insert.run({ ...entry, state_hash: state, hash });
    previous = hash;
  };
  const closeImport = () => {
    if (!open) return;
    write(open.entry, open.state.digest());
    closed.add(`${open.entry.txn}:${open.entry.entity_id}`);
    open = null;
  };

  let lastId = 0;
  for (;;) {
    const rows = page.all(lastId, PAGE) as V1Row[];
    if (rows.length === 0) break;
    for (const row of rows) {
      lastId = row.id;
      const after = parse(row.after, row.id);
      const batch = row.import_batch_id;
      const imported = row.op === 'insert' && row.entity === 'figure' && batch !== null && after?.import_batch_id === batch;
      if (imported && open && open.entry.txn === row.txn && open.entry.entity_id === batch) {
        open.state.add(after!);
        newIds[row.id] = open.entry.id;
        continue;
      }
      closeImport();
      if (imported && !closed.has(`${row.txn}:${batch}`)) {
        open = { entry: content(row, nextId, 'figure', batch!, 'import', null, newIds), state: new BatchStateHash() };
        open.state.add(after!);
        newIds[row.id] = nextId;
        nextId += 1;
        continue;
      }
      const before = parse(row.before, row.id);
      const delta = row.op === 'delete' ? JSON.stringify(before) : row.op === 'insert' ? null : JSON.stringify(fieldDelta(before, after));
      write(content(row, nextId, row.entity, row.entity_id, row.op, delta, newIds), stateHash(after));
      newIds[row.id] = nextId;
      nextId += 1;
    }
  }
  closeImport();
  // foreign keys are off while migrating (migrations.ts), so this frees the old log's pages without deleting it
  // row by row
  db.exec('DROP TABLE change_log_v1');
}

function content(row: V1Row, id: number, entity: string, entityId: string, op: string, delta: string | null, newIds: Int32Array): EntryContent {
  return {
    id,
    txn: row.txn,
    at: row.at,
    by: row.by,
    why: row.why,
    entity,
    entity_id: entityId,
    op,
    delta,
    import_batch_id: row.import_batch_id,
    // an entry only ever undoes an earlier one, already renumbered
    undoes: row.undoes === null ? null : newIds[row.undoes]!,
  };
}

function fieldDelta(before: Row | null, after: Row | null): Record<string, [unknown, unknown]> {
  const delta: Record<string, [unknown, unknown]> = {};
  for (const key of Object.keys({ ...before, ...after })) {
    const was = before?.[key] ?? null;
    const now = after?.[key] ?? null;
    if (was !== now) delta[key] = [was, now];
  }
  return delta;
}

function parse(text: string | null, id: number): Row | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as Row;
  } catch {
    throw new Error(`change_log entry #${id} is unreadable: the workbook file is damaged; it was not upgraded`);
  }
}
