// `npm run bench [-- --quick] [-- --rows N] [-- --rounds K] [-- --import-only] [-- --sync-only]`: the workbench
// against the best baseline on the same machine, in the same run, alternating. Writes BENCHMARKS.md (a --quick run
// writes bench/out/BENCHMARKS.quick.md; --import-only, just the import rows, bench/out/BENCHMARKS.import-N.md;
// --sync-only, just the sync rows on the workbook a previous run left, bench/out/BENCHMARKS.sync-N.md).
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { closeSync, copyFileSync, existsSync, fdatasyncSync, mkdirSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { LATEST_PER_SOURCE } from '../src/core/store/compare';
import { figureCsvQuery } from '../src/core/store/figures';
import { openSession } from '../src/core/session';
import { type Sample, type Stats, stats, timeCall, timeCommand } from './measure';
import { EXTRA_METRICS, writeSyntheticCsv } from './synthetic';
import { benchInteractions } from './interactions';
import { benchRenderer, rendererBrowser } from './renderer';
import { benchSync } from './sync';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    rows: { type: 'string' },
    rounds: { type: 'string' },
    'skip-renderer': { type: 'boolean' },
    'interactions-only': { type: 'boolean' },
    'import-only': { type: 'boolean' },
    'sync-only': { type: 'boolean' },
    'renderer-dir': { type: 'string' },
  },
});
const quick = values.quick ?? false;
const rows = Number(values.rows ?? (quick ? 100_000 : 1_000_000));
const rounds = Number(values.rounds ?? (quick ? 1 : 3));
const OUT = resolve('bench/out');
const BIN = resolve('bin/workbench.js');
mkdirSync(OUT, { recursive: true });

const log = (text: string) => process.stdout.write(`${text}\n`);
const fmt = (n: number | null, digits = 0) =>
  n === null || !Number.isFinite(n) ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

interface Row {
  measure: string;
  ours: Stats;
  baseline: Stats | null;
  baselineName: string;
  target: string;
  met: boolean | null;
  note?: string;
}
const results: Row[] = [];

function report(row: Row): void {
  results.push(row);
  const ratio = row.baseline ? row.ours.median / row.baseline.median : null;
  log(
    `${row.measure}: median ${fmt(row.ours.median, 1)} ms (min ${fmt(row.ours.min, 1)}, max ${fmt(row.ours.max, 1)}, ${row.ours.runs} runs` +
      `${row.ours.rssMiB !== null ? `, peak RSS ${fmt(row.ours.rssMiB)} MiB` : ''})` +
      (row.baseline ? ` vs ${row.baselineName} ${fmt(row.baseline.median, 1)} ms → ×${fmt(ratio, 2)}` : '') +
      ` [target ${row.target}: ${row.met === null ? 'n/a' : row.met ? 'met' : 'MISSED'}]`,
  );
}

async function prepareWorkbook(path: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  rmSync(`${path}.backups`, { recursive: true, force: true });
  const session = await openSession(path, { user: 'bench' });
  for (const metric of EXTRA_METRICS) await session.api.createMetric(metric);
  session.workbook.close();
}

async function syntheticCsv(count: number): Promise<string> {
  const path = join(OUT, `synthetic-${count}-seed42.csv`);
  if (!existsSync(path)) {
    log(`generating ${count.toLocaleString('en-US')} synthetic figures → ${path}`);
    await writeSyntheticCsv(path, { rows: count, seed: 42 });
  }
  return path;
}

/** The export's query as plain SQL, for the sqlite3 CLI: the same joins, columns, filter and order. */
function exportSql(): string {
  return figureCsvQuery({}).sql.replace(/\?/g, () => {
    throw new Error('the unfiltered export query has no parameters');
  });
}

/** What each import leaves on disk: the bytes SQLite had to write (twice in WAL mode: the log, then the file). */
function bytesWritten(workbook: string, baselineDb: string): string {
  const db = new Database(workbook, { readonly: true });
  try {
    const mib = (name: string) => (db.prepare('SELECT sum(pgsize) FROM dbstat WHERE name = ?').pluck().get(name) as number) / 2 ** 20;
    const indexes = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('figure', 'change_log')`).pluck().all() as string[];
    return (
      `On disk after the import: the workbook ${fmt(statSync(workbook).size / 2 ** 20)} MiB — figure ${fmt(mib('figure'))}, ` +
      `change_log ${fmt(mib('change_log'))}, their indexes ${fmt(indexes.reduce((sum, name) => sum + mib(name), 0))} MiB — ` +
      `and sqlite3's table ${fmt(statSync(baselineDb).size / 2 ** 20)} MiB.`
    );
  } finally {
    db.close();
  }
}

async function benchImportExport(csv: string, count: number): Promise<string> {
  const workbook = join(OUT, `bench-${count}.fwb`);
  const baselineDb = join(OUT, `baseline-${count}.sqlite`);
  const ours: Sample[] = [];
  const base: Sample[] = [];
  const floor: Sample[] = [];
  const reads: Sample[] = [];
  const writes: Sample[] = [];
  const floorWorkbook = join(OUT, `bare-${count}.fwb`);
  for (let round = 0; round < rounds; round += 1) {
    rmSync(baselineDb, { force: true });
    base.push(timeCommand('sqlite3', [baselineDb, `.import --csv ${csv} figures_csv`]));
    await prepareWorkbook(floorWorkbook);
    floor.push(timeCommand(process.execPath, ['--import', 'tsx', resolve('bench/bare-import.ts'), floorWorkbook, csv]));
    await prepareWorkbook(workbook);
    ours.push(timeCommand(process.execPath, [BIN, 'import', workbook, csv]));
    reads.push(timeCommand(process.execPath, ['--import', 'tsx', resolve('bench/read-csv.ts'), csv]));
    writes.push(writeTwice(dirname(workbook), statSync(workbook).size));
    log(
      `  import round ${round + 1}: sqlite3 ${fmt(base.at(-1)!.ms)} ms, bare SQL ${fmt(floor.at(-1)!.ms)} ms, workbench ${fmt(ours.at(-1)!.ms)} ms; ` +
        `reading the CSV ${fmt(reads.at(-1)!.ms)} ms, writing the workbook's bytes twice ${fmt(writes.at(-1)!.ms)} ms`,
    );
  }
  rmSync(floorWorkbook, { force: true });
  const importStats = stats(ours);
  const importBase = stats(base);
  report({
    measure: `CLI import of ${count.toLocaleString('en-US')} figures (validation, provenance links, change log)`,
    ours: importStats,
    baseline: importBase,
    baselineName: 'sqlite3 .import',
    target: '≤ 1.5× sqlite3 .import',
    met: importStats.median <= 1.5 * importBase.median,
  });
  const floorStats = stats(floor);
  report({
    measure: `import floor: the same rows into the same schema by bare SQL through better-sqlite3 (no validation, no dedupe, no problem report)`,
    ours: floorStats,
    baseline: importBase,
    baselineName: 'sqlite3 .import',
    target: '(reference: what the schema itself costs)',
    met: null,
    note: `The workbench import takes ×${fmt(importStats.median / floorStats.median, 2)} the floor: that is the price of validation, matching names, dedupe and the problem report. The floor writes a figure row with its foreign keys and CHECKs, builds the figure table's six indexes once at the end (as the workbench does into an empty workbook), and logs the import in one change_log entry with the hash of its figures, where sqlite3 .import writes one row of text into a table with no index. ${bytesWritten(workbook, baselineDb)}`,
  });

  const readStats = stats(reads);
  const writeStats = stats(writes);
  const bound = (readStats.median + writeStats.median) / importBase.median;
  report({
    measure:
      "import reference: reading the CSV alone — the workbench's CSV reader (strict UTF-8, sha256, papaparse) over the same file, nothing validated or written",
    ours: readStats,
    baseline: importBase,
    baselineName: 'sqlite3 .import',
    target: '(reference: what any import in Node pays before SQLite)',
    met: null,
    note: 'Includes tsx start-up (~0.5 s), as the import floor above does; sqlite3 reads the CSV in C, in the same process that writes it.',
  });
  report({
    measure:
      'import reference: the disk alone — as many bytes as the import leaves in the workbook, written twice (once as the -wal, once into the file, as WAL mode does) in 1 MiB blocks, fdatasync after each pass',
    ours: writeStats,
    baseline: importBase,
    baselineName: 'sqlite3 .import',
    target: "(reference: what the workbook's size costs this disk)",
    met: null,
    note:
      `Reading the CSV and writing the workbook's bytes, with nothing else, take ×${fmt(bound, 2)} sqlite3 .import together — ` +
      `${bound > 1.5 ? 'above the ×1.5 target before a single row is checked, matched, indexed or logged' : 'within the ×1.5 target'}. ` +
      'WAL mode writes every page twice; it is kept because a kill mid-import then leaves the workbook file untouched, where a rollback journal would leave it half-written until the next open rolls it back.',
  });

  if (values['import-only']) return workbook;

  const exportOurs: Sample[] = [];
  const exportBase: Sample[] = [];
  const exportFloor: Sample[] = [];
  const sql = exportSql();
  for (let round = 0; round < rounds; round += 1) {
    exportBase.push(timeCommand('sqlite3', ['-csv', '-header', workbook, sql], { stdoutTo: join(OUT, 'baseline-export.csv') }));
    exportFloor.push(timeCommand(process.execPath, ['--import', 'tsx', resolve('bench/bare-export.ts'), workbook, join(OUT, 'bare-export.csv')]));
    exportOurs.push(timeCommand(process.execPath, [BIN, 'export', workbook, join(OUT, 'export.csv')]));
    log(
      `  export round ${round + 1}: sqlite3 ${fmt(exportBase.at(-1)!.ms)} ms, bare Node ${fmt(exportFloor.at(-1)!.ms)} ms, workbench ${fmt(exportOurs.at(-1)!.ms)} ms`,
    );
  }
  const exportStats = stats(exportOurs);
  const exportBaseStats = stats(exportBase);
  report({
    measure: `CLI export of ${count.toLocaleString('en-US')} figures with provenance columns`,
    ours: exportStats,
    baseline: exportBaseStats,
    baselineName: 'sqlite3 -csv (same joined query)',
    target: '≤ 1.5× sqlite3 -csv',
    met: exportStats.median <= 1.5 * exportBaseStats.median,
    note: 'The workbench reads the names of metrics, sources, locations and citations once and scans the figures without joins (src/core/csv/exportRecords.ts); sqlite3 runs the joined query that gives the same cells. Both write the same rows in the same order; the workbench also hashes the file (sha256) and writes it through a temporary file it renames.',
  });
  const exportFloorStats = stats(exportFloor);
  report({
    measure: 'export floor: the joined query through better-sqlite3 and the same CSV writer, bare (no formula guard, no hash, no temporary file)',
    ours: exportFloorStats,
    baseline: exportBaseStats,
    baselineName: 'sqlite3 -csv (same joined query)',
    target: '(reference: what Node itself costs)',
    met: null,
    note: `The workbench export takes ×${fmt(exportStats.median / exportFloorStats.median, 2)} this floor (which includes tsx start-up, ~0.5 s, that the bundled CLI does not pay): below 1 means reading without the joins saves more than the guard, hash and rename cost.`,
  });
  return workbook;
}

async function benchCompareAndEdit(workbook: string): Promise<void> {
  const session = await openSession(workbook, { user: 'bench', create: false });
  try {
    const { api, workbook: wb } = session;
    const ids = wb.db.prepare('SELECT id FROM figure ORDER BY random() LIMIT 200').pluck().all() as string[];
    const bareUpdate = wb.db.prepare('UPDATE figure SET note = ? WHERE id = ?');
    const timeEdits = async (label: string) => {
      const edits: Sample[] = [];
      const bareEdits: Sample[] = [];
      for (const [i, id] of ids.entries()) {
        bareEdits.push({ ms: await timeCall(() => wb.db.transaction(() => bareUpdate.run(`bare ${label} ${i}`, id)).immediate()), rssMiB: null });
        edits.push({ ms: await timeCall(() => api.updateFigure({ id, patch: { note: `bench edit ${label} ${i}` } })), rssMiB: null });
      }
      return { edits, bareEdits };
    };
    // A large workbook is quick_checked on a worker thread after open: the edits are timed while it runs (if it
    // still does) and again, as the target's row, once it has finished.
    let during: { edits: Sample[]; bareEdits: Sample[]; checkMs: number } | null = null;
    if (wb.integrity === 'checking') {
      const opened = performance.now();
      const timed = await timeEdits('during-check');
      const stillChecking = wb.integrity === 'checking';
      await wb.integrityChecked;
      if (stillChecking) during = { ...timed, checkMs: performance.now() - opened };
    }
    const location = (await api.listLocations({}))[0]!;
    const metrics = await api.listMetrics({});
    const query = { metric: 'killed_total', location: location.name, as_of: '2025-06-30' };
    // The same SQL the call runs: latest per source for the metric and for the civilian:combatant table.
    const bare = wb.db.prepare(LATEST_PER_SOURCE);
    const metricIds = ['killed_total', 'killed_civilian', 'killed_combatant'].map((code) => metrics.find((m) => m.code === code)!.id);
    const bareParams = { metric_ids: JSON.stringify(metricIds), location_id: location.id, as_of: query.as_of };
    const ours: Sample[] = [];
    const base: Sample[] = [];
    for (let i = 0; i < 3; i += 1) {
      await api.compare(query);
      bare.all(bareParams);
    }
    for (let i = 0; i < (quick ? 15 : 30); i += 1) {
      base.push({ ms: await timeCall(() => bare.all(bareParams)), rssMiB: null });
      ours.push({ ms: await timeCall(() => api.compare(query)), rssMiB: null });
    }
    const compareStats = stats(ours);
    const compareBase = stats(base);
    report({
      measure: 'compare (latest per source as of a date, spread, ratios)',
      ours: compareStats,
      baseline: compareBase,
      baselineName: 'bare SQL via better-sqlite3',
      target: '≤ 2× bare SQL and < 50 ms',
      met: compareStats.median <= 2 * compareBase.median && compareStats.median < 50,
      note: 'The bare SQL is the one statement the call runs (latest per source for killed_total and for the civilian:combatant table, in one pass), run through better-sqlite3 with nothing around it.',
    });

    const edits = await timeEdits('steady');
    const editStats = stats(edits.edits);
    report({
      measure: 'a figure edit through the API (validate, write, change log, committed with synchronous=FULL)',
      ours: editStats,
      baseline: stats(edits.bareEdits),
      baselineName: 'bare UPDATE in a transaction',
      target: '< 2 ms median',
      met: editStats.median < 2,
      note: during
        ? `Timed once the background integrity check of the large workbook had finished (${fmt(during.checkMs)} ms after the first timed edit), as on a desktop after its first seconds; the next row is the same edit while that check runs.`
        : undefined,
    });
    if (during) {
      report({
        measure: 'the same edit in the first seconds after open, while quick_check reads the whole workbook on a worker thread',
        ours: stats(during.edits),
        baseline: stats(during.bareEdits),
        baselineName: 'bare UPDATE in a transaction',
        target: '(reference: the check competes for the 2 cores and the disk)',
        met: null,
      });
    }
    const syncs = diskSyncs(dirname(workbook), ids.length);
    report({
      measure: 'disk floor: append 4 KiB to a file beside the workbook and fdatasync it (what one durable commit waits for)',
      ours: stats(syncs),
      baseline: stats(edits.bareEdits),
      baselineName: 'bare UPDATE in a transaction',
      target: '(reference: an edit cannot be acknowledged faster and survive a power cut)',
      met: null,
      note: 'A commit in WAL mode with synchronous=FULL appends its pages to the -wal file and fdatasyncs it once; this row times exactly that on the same disk, with nothing of SQLite around it.',
    });
  } finally {
    session.workbook.close();
  }
}

/**
 * Compare as recorded on a moment with N later edits (a tenth of the figures, like the 100k of 1M in the target),
 * on a copy of the workbook: the edits go through the API, and the moment is the import's end, before them. Each
 * timed call is cold: an untimed edit before it moves the head, so the rows changed since are rebuilt every time.
 */
async function benchRecordedCompare(workbook: string, count: number): Promise<void> {
  const copy = join(OUT, `bench-${count}-recorded.fwb`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
  copyFileSync(workbook, copy);
  const session = await openSession(copy, { user: 'bench', create: false, backgroundCheck: false });
  try {
    const { api, workbook: wb } = session;
    const recordedOn = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const edits = Math.round(count / 10);
    const figures = wb.db.prepare('SELECT id, value, low FROM figure ORDER BY random() LIMIT ?').all(edits) as Array<{
      id: string;
      value: number | null;
      low: number | null;
    }>;
    const started = performance.now();
    // The edits set the scene and are not what is timed. With the warnings kept in step, each 10,000-figure batch
    // on a million figures takes minutes (the checks reach every series the batch touches): they are left out here.
    const upkeep = wb.writer.beforeCommit;
    wb.writer.beforeCommit = null;
    for (let at = 0; at < figures.length; at += 10_000) {
      const updates = figures.slice(at, at + 10_000).map((f, i) => {
        // mostly revised numbers, as a re-report does, and some notes, statuses and retractions
        const kind = (at + i) % 10;
        if (kind < 6 && f.value !== null && f.low === null) return { id: f.id, patch: { value: f.value + 1 } };
        if (kind < 8) return { id: f.id, patch: { note: `bench revision ${at + i}` } };
        if (kind === 8) return { id: f.id, patch: { status: 'disputed' as const } };
        return { id: f.id, patch: { status: 'retracted' as const, retracted_reason: 'bench retraction' } };
      });
      await api.updateFigures({ updates, why: 'bench: later edits' });
    }
    wb.writer.beforeCommit = upkeep;
    log(`  ${fmt(edits)} later edits through the API (warnings not kept) in ${fmt(performance.now() - started)} ms`);
    const location = (await api.listLocations({}))[0]!;
    const query = { metric: 'killed_total', location: location.name, as_of: '2025-06-30' };
    const cold: Sample[] = [];
    const warm: Sample[] = [];
    const now: Sample[] = [];
    const [nudge] = figures;
    for (let i = 0; i < (quick ? 7 : 15); i += 1) {
      await api.updateFigure({ id: nudge!.id, patch: { note: `bench nudge ${i}` } });
      cold.push({ ms: await timeCall(() => api.compare({ ...query, recorded_on: recordedOn })), rssMiB: null });
      warm.push({ ms: await timeCall(() => api.compare({ ...query, recorded_on: recordedOn })), rssMiB: null });
      now.push({ ms: await timeCall(() => api.compare(query)), rssMiB: null });
    }
    const coldStats = stats(cold);
    report({
      measure: `compare as recorded on a date, with ${fmt(edits)} later edits of ${fmt(count)} figures (then beside now; the rows changed since rebuilt from the change log each call)`,
      ours: coldStats,
      baseline: stats(now),
      baselineName: 'compare of now (the head)',
      target: '< 200 ms',
      met: coldStats.median < 200,
      note: `Each timed call follows an edit, so nothing rebuilt before is reused; the same call again, with the rebuilt rows kept, takes a median ${fmt(stats(warm).median, 1)} ms. The call runs the compare twice (then and now) and lines the sources up.`,
    });
  } finally {
    session.workbook.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
  }
}

/** Writes `bytes` to a file beside the workbook twice (two files, as the -wal and the workbook), fdatasync after each. */
function writeTwice(directory: string, bytes: number): Sample {
  const block = Buffer.alloc(2 ** 20, 7);
  const paths = [join(directory, 'write-probe.wal'), join(directory, 'write-probe.fwb')];
  const started = performance.now();
  try {
    for (const path of paths) {
      const fd = openSync(path, 'w');
      try {
        for (let written = 0; written < bytes; written += block.length) writeSync(fd, block, 0, Math.min(block.length, bytes - written));
        fdatasyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    return { ms: performance.now() - started, rssMiB: null };
  } finally {
    for (const path of paths) rmSync(path, { force: true });
  }
}

/** Appends 4 KiB and fdatasyncs, `count` times: the price of one durable write on this disk. */
function diskSyncs(directory: string, count: number): Sample[] {
  const path = join(directory, 'fdatasync-probe.bin');
  const block = Buffer.alloc(4096, 1);
  const fd = openSync(path, 'w');
  const samples: Sample[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const started = performance.now();
      writeSync(fd, block);
      fdatasyncSync(fd);
      samples.push({ ms: performance.now() - started, rssMiB: null });
    }
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  return samples;
}

function benchOpen(workbook: string): void {
  const ours: Sample[] = [];
  const base: Sample[] = [];
  for (let i = 0; i < (quick ? 3 : 5); i += 1) {
    base.push(timeCommand('sqlite3', [workbook, 'SELECT count(*) FROM metric']));
    const out = execFileSync(process.execPath, ['--import', 'tsx', resolve('bench/child-open.ts'), workbook], { encoding: 'utf8' });
    ours.push({ ms: Number(JSON.parse(out.trim().split('\n').at(-1)!).ms), rssMiB: null });
  }
  const openStats = stats(ours);
  report({
    measure: `opening the workbook (${fmt(statSync(workbook).size / 2 ** 20)} MiB) to the first API answer`,
    ours: openStats,
    baseline: stats(base),
    baselineName: 'sqlite3 CLI process: open + one query',
    target: '< 500 ms',
    met: openStats.median < 500,
    note: 'Measured inside the process from the open call to the answer of getWorkbookInfo; the baseline is a whole sqlite3 process.',
  });
}

async function benchExportMemory(fullCsv: string, fullWorkbook: string, count: number): Promise<void> {
  if (count <= 100_000) return;
  const smallCsv = join(OUT, 'synthetic-100000-head.csv');
  if (!existsSync(smallCsv)) execFileSync('sh', ['-c', `head -n 100001 ${fullCsv} > ${smallCsv}`]);
  const small = join(OUT, 'bench-100000-head.fwb');
  await prepareWorkbook(small);
  timeCommand(process.execPath, [BIN, 'import', small, smallCsv]);
  const smallRuns = [timeCommand(process.execPath, [BIN, 'export', small, join(OUT, 'export-small.csv')])];
  const largeRuns = [timeCommand(process.execPath, [BIN, 'export', fullWorkbook, join(OUT, 'export.csv')])];
  const smallRss = stats(smallRuns).rssMiB ?? NaN;
  const largeRss = stats(largeRuns).rssMiB ?? NaN;
  report({
    measure: `export peak RSS, 100,000 → ${count.toLocaleString('en-US')} figures`,
    ours: { runs: 1, min: largeRss, median: largeRss, max: largeRss, rssMiB: largeRss },
    baseline: { runs: 1, min: smallRss, median: smallRss, max: smallRss, rssMiB: smallRss },
    baselineName: 'the same export of 100,000 (MiB, not ms)',
    target: 'within 20% (×1.2)',
    met: largeRss <= smallRss * 1.2,
    note: 'Values in this row are MiB of peak resident memory, not milliseconds.',
  });
}

function machine(): string {
  const sqliteCli = execFileSync('sqlite3', ['--version'], { encoding: 'utf8' }).split(' ')[0];
  const db = new Database(':memory:');
  const sqliteLib = db.prepare('SELECT sqlite_version()').pluck().get();
  db.close();
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  return [
    `- CPU: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    `- Memory: ${fmt(totalmem() / 2 ** 30, 1)} GiB`,
    `- Node ${process.version}; better-sqlite3 with SQLite ${sqliteLib}; sqlite3 CLI ${sqliteCli}`,
    `- Commit ${commit}; ${new Date().toISOString()}`,
  ].join('\n');
}

function writeReport(started: number): void {
  const lines = [
    '# Benchmarks',
    '',
    `Command: \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` (${rows.toLocaleString('en-US')} synthetic figures, ${rounds} round${rounds > 1 ? 's' : ''} of each import/export, alternating with the baseline in the same run; ${fmt((Date.now() - started) / 1000)} s in all).`,
    'The data is synthetic (bench/synthetic.ts, seed 42): 200 sources, 2,000 citations, 12 metrics, 50 locations, 3 years of dates, 10% ranges, UTF-8 text — every citation and note says SYNTHETIC.',
    '',
    '## Machine',
    machine(),
    '',
    '## Results (medians; ratio = workbench ÷ baseline)',
    '',
    '| measure | workbench (min / median / max) | baseline | baseline median | ratio | target | met |',
    '|---|---|---|---|---|---|---|',
    ...results.map((r) => {
      const ratio = r.baseline ? r.ours.median / r.baseline.median : null;
      const rss = r.ours.rssMiB !== null && !r.measure.includes('RSS') ? `; peak RSS ${fmt(r.ours.rssMiB)} MiB` : '';
      return `| ${r.measure} | ${fmt(r.ours.min, 1)} / **${fmt(r.ours.median, 1)}** / ${fmt(r.ours.max, 1)}${rss} | ${r.baselineName} | ${r.baseline ? fmt(r.baseline.median, 1) : '–'} | ${ratio === null ? '–' : `×${fmt(ratio, 2)}`} | ${r.target} | ${r.met === null ? 'n/a' : r.met ? 'yes' : '**no**'} |`;
    }),
    '',
    ...results.filter((r) => r.note).map((r) => `- ${r.measure}: ${r.note}`),
    '',
  ];
  const target = values['import-only']
    ? join(OUT, `BENCHMARKS.import-${rows}.md`)
    : values['sync-only']
      ? join(OUT, `BENCHMARKS.sync-${rows}.md`)
      : quick
        ? join(OUT, 'BENCHMARKS.quick.md')
        : resolve('BENCHMARKS.md');
  writeFileSync(target, lines.join('\n'));
  log(`\nwrote ${target}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  log(`Figures Workbench benchmark: ${rows.toLocaleString('en-US')} figures, ${rounds} round(s)${quick ? ' (quick)' : ''}`);
  const phase = async <T>(name: string, run: () => T | Promise<T>): Promise<T> => {
    const phaseStarted = Date.now();
    const result = await run();
    log(`  (${name}: ${fmt((Date.now() - phaseStarted) / 1000, 1)} s)`);
    return result;
  };
  const csv = await phase('synthetic data', () => syntheticCsv(rows));
  if (values['interactions-only'] || values['sync-only']) {
    // Only the renderer's interactions, or the sync, on the workbook a previous run left (imported again if it is missing).
    const workbook = join(OUT, `bench-${rows}.fwb`);
    if (!existsSync(workbook)) {
      await prepareWorkbook(workbook);
      timeCommand(process.execPath, [BIN, 'import', workbook, csv]);
    }
    if (values['sync-only']) await phase('sync', () => sync(workbook));
    else await phase('renderer interactions', () => interactions(workbook));
    writeReport(started);
    return;
  }
  const workbook = await phase('import and export', () => benchImportExport(csv, rows));
  if (values['import-only']) {
    writeReport(started);
    return;
  }
  await phase('compare and edit', () => benchCompareAndEdit(workbook));
  await phase('open', () => benchOpen(workbook));
  await phase('export memory', () => benchExportMemory(csv, workbook, rows));
  await phase('compare as recorded on a date', () => benchRecordedCompare(workbook, rows));
  await phase('sync', () => sync(workbook));
  if (!values['skip-renderer']) {
    // The renderer target is for 100,000 figures: the quick run's workbook, or the 100,000-row one made above.
    const rendererWorkbook = rows > 100_000 ? join(OUT, 'bench-100000-head.fwb') : workbook;
    const renderer = await phase('renderer', () =>
      benchRenderer(rendererWorkbook, Math.min(rows, 100_000), OUT, { rounds: quick ? 3 : 5, jumps: quick ? 3 : 5 }),
    );
    for (const row of renderer) report(row);
    await phase('renderer interactions', () => interactions(rendererWorkbook));
  }
  writeReport(started);
}

/** The initial push to a team server on this machine, and an incremental sync of 1,000 edits, pushed and pulled. */
async function sync(workbook: string): Promise<void> {
  const timed = await benchSync({ workbook, count: rows, out: OUT, bin: BIN, rounds: quick ? 3 : 5, log });
  for (const row of timed) report(row);
}

/** Undo, redo, filter, search, sort, the Sources & citations tab and Compare, on 100,000 figures. */
async function interactions(workbook: string): Promise<void> {
  const browserPath = rendererBrowser();
  if (!browserPath) return;
  const timed = await benchInteractions(workbook, Math.min(rows, 100_000), OUT, {
    browserPath,
    rounds: quick ? 5 : 7,
    rendererDir: values['renderer-dir'],
  });
  for (const row of timed) report(row);
}

await main();

export type { Row as BenchRow };
