// Reference for the import benchmark: the workbench's own CSV reader (strict UTF-8, sha256 of the bytes, papaparse)
// over the same file, each record handed to a callback that only counts it. Nothing is validated or written: what
// reading the file costs before the first row reaches SQLite.
import { readCsv } from '../src/core/csv/readCsv';

const [csv] = process.argv.slice(2) as [string];
let cells = 0;
const read = await readCsv({ path: csv }, (record) => {
  cells += record.cells.length;
});
process.stdout.write(`${JSON.stringify({ records: read.records, cells })}\n`);
