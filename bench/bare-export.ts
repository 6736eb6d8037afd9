// Baseline for the export benchmark: the same query through better-sqlite3 (raw rows) and the same CSV writer, into
// a file — no formula guard, no filter validation, no hash, no temporary file and rename: the floor for exporting
// from Node on this machine, beside the sqlite3 CLI's own -csv.
import { closeSync, openSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { csvLine, csvRecords, Utf8Chunks } from '../src/core/csv/csvRecords';
import { figureCsvQuery } from '../src/core/store/figures';
import { CSV_COLUMNS } from '../src/shared/fields';

const [path, out] = process.argv.slice(2) as [string, string];
const db = new Database(path, { readonly: true });
const fd = openSync(out, 'w');
writeSync(fd, csvRecords([[...CSV_COLUMNS]]));
const chunks = new Utf8Chunks();
for (const row of db.prepare(figureCsvQuery({}).sql).raw(true).iterate() as IterableIterator<unknown[]>) {
  const full = chunks.add(csvLine(row.map((v) => (v === null ? '' : String(v)))));
  if (full) writeSync(fd, full);
}
const rest = chunks.take();
if (rest) writeSync(fd, rest);
closeSync(fd);
db.close();
