// Baseline for the import benchmark: the same CSV into the same schema with the bare SQL through better-sqlite3 —
// papaparse streaming, names resolved through in-memory maps, one prepared INSERT per figure, the import's one
// change_log entry with the hash of its figures (read back in rowid order), the figure indexes built once at the end (as the workbench does into an empty
// workbook), one transaction — and no validation, no problems reported, no dedupe: the floor that the schema itself
// (indexes, constraints, the log) sets on this machine.
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import Database from 'better-sqlite3';
import { newId } from '../src/core/store/ids';
import { BatchStateHash, entryHash } from '../src/core/store/logChain';
import { suspendIndexes } from '../src/core/store/suspendIndexes';

const [path, csv] = process.argv.slice(2) as [string, string];
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('cache_size = -65536');
const now = new Date().toISOString();
const batch = newId();
const txn = newId();
const ids = (table: string, key: string) =>
  new Map((db.prepare(`SELECT ${key} AS k, id FROM ${table}`).all() as Array<{ k: string; id: string }>).map((r) => [r.k, r.id]));
const metrics = ids('metric', 'code');
const sources = ids('source', 'name');
const citations = ids('citation', 'url');
const locations = ids('location', 'name');
const stamp = [now, 'bench', now, 'bench'];
const insertSource = db.prepare(`INSERT INTO source (id, name, kind, created_at, created_by, updated_at, updated_by) VALUES (?, ?, 'other', ?, ?, ?, ?)`);
const insertCitation = db.prepare(
  `INSERT INTO citation (id, title, publisher, url, published, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const insertLocation = db.prepare(`INSERT INTO location (id, name, kind, created_at, created_by, updated_at, updated_by) VALUES (?, ?, 'other', ?, ?, ?, ?)`);
const insertFigure = db.prepare(
  `INSERT INTO figure (id, metric_id, source_id, citation_id, location_id, value, low, high, qualifier, as_of, excerpt, method, status, note,
                       import_batch_id, import_row, created_at, created_by, updated_at, updated_by)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const orCreate = (map: Map<string, string>, key: string, create: (id: string) => void) => {
  let id = map.get(key);
  if (!id) {
    id = newId();
    create(id);
    map.set(key, id);
  }
  return id;
};
const number = (text: string | undefined) => (text ? Number(text) : null);

db.exec('BEGIN IMMEDIATE');
const rebuildIndexes = suspendIndexes(db, 'figure');
let header: string[] | null = null;
let row = 0;
await new Promise<void>((resolve, reject) => {
  Papa.parse<string[]>(createReadStream(csv, 'utf8') as unknown as File, {
    skipEmptyLines: true,
    step: ({ data }) => {
      row += 1;
      if (!header) {
        header = data;
        return;
      }
      const r = Object.fromEntries(header.map((h, i) => [h, data[i]!]));
      const sourceId = orCreate(sources, r.source!, (id) => insertSource.run(id, r.source, ...stamp));
      const citationId = orCreate(citations, r.url!, (id) => insertCitation.run(id, r.citation_title, r.publisher, r.url, r.published || null, ...stamp));
      const locationId = orCreate(locations, r.location!, (id) => insertLocation.run(id, r.location, ...stamp));
      insertFigure.run(
        newId(),
        metrics.get(r.metric!),
        sourceId,
        citationId,
        locationId,
        number(r.value),
        number(r.low),
        number(r.high),
        r.qualifier || 'exact',
        r.as_of,
        r.excerpt || null,
        r.method || null,
        r.status || 'draft',
        r.note || null,
        batch,
        row,
        ...stamp,
      );
    },
    complete: () => resolve(),
    error: reject,
  });
});
rebuildIndexes();
const columns = db.prepare(`SELECT name FROM pragma_table_xinfo('figure') WHERE hidden = 0`).pluck().all() as string[];
db.prepare(
  `INSERT INTO import_batch (id, file_name, sha256, rows, created, updated, unchanged, rejected, mode, at, by) VALUES (?, ?, '', ?, ?, 0, 0, 0, 'all', ?, 'bench')`,
).run(batch, csv, row - 1, row - 1, now);
const state = new BatchStateHash();
for (const figure of db.prepare(`SELECT ${columns.join(', ')} FROM figure WHERE import_batch_id = ? ORDER BY rowid`).iterate(batch)) {
  state.add(figure as Record<string, unknown>);
}
const previous = db.prepare('SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: Buffer } | undefined;
const entry = {
  id: (previous?.id ?? 0) + 1,
  txn,
  at: now,
  by: 'bench',
  why: 'bare import',
  entity: 'figure',
  entity_id: batch,
  op: 'import',
  delta: null,
  import_batch_id: batch,
  undoes: null,
};
const stateHash = state.digest();
db.prepare(
  `INSERT INTO change_log (id, txn, at, by, why, entity, entity_id, op, delta, import_batch_id, undoes, state_hash, hash)
   VALUES (@id, @txn, @at, @by, @why, @entity, @entity_id, @op, @delta, @import_batch_id, @undoes, @state_hash, @hash)`,
).run({ ...entry, state_hash: stateHash, hash: entryHash(previous?.hash ?? null, entry, stateHash) });
db.exec('COMMIT');
db.close();
