// `workbench check`: SQLite's integrity check, then the promises this product makes about provenance: the change
// log's hash chain is whole, and walking back from every row through its entries gives, at each entry, the state
// that entry recorded the hash of. A row or an entry altered outside the app shows at the first entry that no
// longer matches.
import type Database from 'better-sqlite3';
import type { CheckReport } from '../../shared/api';
import type { Entity } from '../../shared/domain';
import { BatchStateHash, entryHash, type Row, stateHash } from './logChain';
import { type LogRow, stateColumns, walkBack } from './logStates';

const LOGGED_ENTITIES: Entity[] = [
  'metric',
  'location',
  'source',
  'citation',
  'import_batch',
  'figure',
  'dismissal',
  'vague_rule',
  'document',
  'conflict',
  'alias',
];

type Problems = CheckReport['problems'];

export function checkWorkbook(db: Database.Database): CheckReport {
  const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
  const problems: Problems = [];
  const add = (entity: Entity, id: string, severity: 'error' | 'warning', reason: string) => problems.push({ entity, id, severity, reason });

  for (const fk of db.pragma('foreign_key_check') as Array<{ table: string; rowid: number; parent: string }>) {
    const id = db.prepare(`SELECT id FROM ${fk.table} WHERE rowid = ?`).pluck().get(fk.rowid) as string;
    add(fk.table as Entity, id, 'error', `refers to a missing ${fk.parent}`);
  }

  const log = readChain(db, add);
  checkStates(db, log, add);

  for (const id of db
    .prepare("SELECT id FROM figure WHERE status <> 'retracted' AND (excerpt IS NULL OR excerpt = '')")
    .pluck()
    .iterate() as IterableIterator<string>) {
    add('figure', id, 'warning', 'no excerpt: the words of the citation that state this figure are not recorded');
  }
  for (const id of db.prepare('SELECT id FROM citation WHERE url IS NULL AND publisher IS NULL').pluck().iterate() as IterableIterator<string>) {
    add('citation', id, 'warning', 'no URL and no publisher: a reader cannot find this document');
  }

  const ok = integrity.length === 1 && integrity[0] === 'ok' && !problems.some((p) => p.severity === 'error');
  return { ok, integrity, problems };
}

interface Chain {
  /** each entity's own entries, oldest first, by `entity:id` */
  byEntity: Map<string, LogRow[]>;
  /** the entry of each import, by its batch id */
  imports: Map<string, LogRow>;
}

type Add = (entity: Entity, id: string, severity: 'error' | 'warning', reason: string) => void;

/** Reads the whole log in order, recomputing each hash from the one before; names the first entry that does not match. */
function readChain(db: Database.Database, add: Add): Chain {
  const chain: Chain = { byEntity: new Map(), imports: new Map() };
  let previous: Buffer | null = null;
  let expectedId = 1;
  let broken = false;
  for (const row of db.prepare('SELECT * FROM change_log ORDER BY id').iterate() as IterableIterator<LogRow>) {
    if (!broken && row.id !== expectedId) {
      broken = true;
      add(row.entity, row.entity_id, 'error', `change_log entries #${expectedId} to #${row.id - 1} are missing: the log was altered outside the app`);
    }
    if (!broken && !entryHash(previous, row, row.state_hash).equals(row.hash)) {
      broken = true;
      add(row.entity, row.entity_id, 'error', `change_log entry #${row.id} does not match its hash: the log was altered outside the app`);
    }
    previous = row.hash;
    expectedId = row.id + 1;
    if (row.op === 'import') chain.imports.set(row.entity_id, row);
    else {
      const key = `${row.entity}:${row.entity_id}`;
      const entries = chain.byEntity.get(key);
      if (entries) entries.push(row);
      else chain.byEntity.set(key, [row]);
    }
  }
  return chain;
}

/** Walks every row back through its entries, and compares each state with the hash its entry recorded. */
function checkStates(db: Database.Database, chain: Chain, add: Add): void {
  const batches = new Map<string, BatchStateHash>();
  const visit = (entity: Entity, id: string, head: Row | null, entries: LogRow[], imported: LogRow | undefined) => {
    let states: ReturnType<typeof walkBack>;
    try {
      states = walkBack(entries, head);
    } catch (error) {
      add(entity, id, 'error', (error as Error).message);
      return;
    }
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const entry = entries[i]!;
      if (!stateHash(states[i]!.after).equals(entry.state_hash)) {
        add(
          entity,
          id,
          'error',
          i === entries.length - 1
            ? `differs from its latest change_log entry (#${entry.id}): changed around the single write path`
            : `the state after change_log entry #${entry.id} is not the one it recorded: the log was altered outside the app`,
        );
        return;
      }
    }
    const first = entries.length ? states[0]!.before : head;
    if (imported && first) {
      let batch = batches.get(imported.entity_id);
      if (!batch) batches.set(imported.entity_id, (batch = new BatchStateHash()));
      batch.add(first);
    } else if (entries.length === 0 || entries[0]!.op !== 'insert') {
      add(entity, id, 'error', 'not in the change log: written around the single write path');
    }
  };

  for (const entity of LOGGED_ENTITIES) {
    const columns = stateColumns(db, entity);
    for (const row of db.prepare(`SELECT ${columns.join(', ')} FROM ${entity} ORDER BY rowid`).iterate() as IterableIterator<Row>) {
      const id = String(row.id);
      const key = `${entity}:${id}`;
      const entries = chain.byEntity.get(key) ?? [];
      chain.byEntity.delete(key);
      const imported = entity === 'figure' && row.import_batch_id ? chain.imports.get(String(row.import_batch_id)) : undefined;
      visit(entity, id, row, entries, imported);
    }
  }
  // entities the log knows but that are no longer there: deleted, or removed outside the app
  for (const entries of chain.byEntity.values()) visit(entries[0]!.entity, entries[0]!.entity_id, null, entries, undefined);
  for (const [batchId, entry] of chain.imports) {
    const state = batches.get(batchId)?.digest() ?? new BatchStateHash().digest();
    if (!state.equals(entry.state_hash)) {
      add(
        'import_batch',
        batchId,
        'error',
        `a figure of this import differs from what change_log entry #${entry.id} recorded: changed around the single write path`,
      );
    }
  }
}
