// `workbench check`: SQLite's integrity check, then the promises this product makes about provenance.
import type Database from 'better-sqlite3';
import type { CheckReport } from '../../shared/api';
import type { Entity } from '../../shared/domain';
import { parseLogged } from './history';

const LOGGED_ENTITIES: Entity[] = ['metric', 'location', 'source', 'citation', 'import_batch', 'figure'];

export function checkWorkbook(db: Database.Database): CheckReport {
  const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
  const problems: CheckReport['problems'] = [];
  const add = (entity: Entity, id: string, severity: 'error' | 'warning', reason: string) => problems.push({ entity, id, severity, reason });

  for (const fk of db.pragma('foreign_key_check') as Array<{ table: string; rowid: number; parent: string }>) {
    const id = db.prepare(`SELECT id FROM ${fk.table} WHERE rowid = ?`).pluck().get(fk.rowid) as string;
    add(fk.table as Entity, id, 'error', `refers to a missing ${fk.parent}`);
  }

  // Every row must be exactly what its latest change_log entry says it is: nothing may bypass the log.
  const latest = db.prepare('SELECT id, op, after FROM change_log WHERE entity_id = ? AND entity = ? ORDER BY id DESC LIMIT 1');
  for (const entity of LOGGED_ENTITIES) {
    const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(entity) as string[]).join(', ');
    for (const row of db.prepare(`SELECT ${columns} FROM ${entity}`).iterate() as IterableIterator<Record<string, unknown>>) {
      const id = String(row.id);
      const entry = latest.get(id, entity) as { id: number; op: string; after: string | null } | undefined;
      const logged = entry ? readLogged(entry) : null;
      if (!entry) add(entity, id, 'error', 'not in the change log: written around the single write path');
      else if (typeof logged === 'string') add(entity, id, 'error', logged);
      else if (logged === null || !sameRow(logged, row)) {
        add(entity, id, 'error', 'differs from its latest change_log entry: changed around the single write path');
      }
    }
  }

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

/** The logged row, or why it cannot be read (damaged text in the file). */
function readLogged(entry: { id: number; after: string | null }): Record<string, unknown> | null | string {
  try {
    return parseLogged(entry.after, entry.id);
  } catch (error) {
    return (error as Error).message;
  }
}

function sameRow(logged: Record<string, unknown>, row: Record<string, unknown>): boolean {
  return Object.keys(row).every((k) => (logged[k] ?? null) === (row[k] ?? null));
}
